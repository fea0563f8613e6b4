/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) and e = SM3(Z_A ‖ M), GB/T 32918.2 §5.5 and §6.1. */
import { ErrorCode, YzError } from '../errors.js';
import { concatBytes } from '../bytes.js';
import { sm3 } from '../hash.js';
import { DEFAULT_SM2_ID, SM2_CURVE } from './curve.js';
import type { Sm2Curve } from './curve.js';

/** ENTL is two bytes of bit length, so an ID can be at most 8191 bytes. */
export const MAX_SM2_ID_BYTES = 8191;

export function computeZRaw(publicRaw: Uint8Array, id: Uint8Array = DEFAULT_SM2_ID, curve: Sm2Curve = SM2_CURVE): Uint8Array {
  if (id.length > MAX_SM2_ID_BYTES) throw new YzError(ErrorCode.INVALID_ARGUMENT, `SM2 ID longer than ${MAX_SM2_ID_BYTES} bytes`);
  const bits = id.length * 8;
  return sm3(concatBytes(Uint8Array.of(bits >> 8, bits & 0xff), id, curve.zPrefix, publicRaw.subarray(1, 65)));
}

// Z depends only on (public key, ID): cache it per key object, since every signature and verification needs it.
const zCache = new WeakMap<object, Map<string, Uint8Array>>();

export function cachedZ(owner: object, publicRaw: Uint8Array, id: Uint8Array = DEFAULT_SM2_ID): Uint8Array {
  let m = zCache.get(owner);
  if (!m) zCache.set(owner, (m = new Map()));
  // The prefix keeps the empty ID (OpenSSL 3.0's default for CRLs) apart from the default ID.
  const key = id === DEFAULT_SM2_ID ? 'default' : 'id:' + new TextDecoder('latin1').decode(id);
  let z = m.get(key);
  if (!z) {
    z = computeZRaw(publicRaw, id);
    if (m.size < 16) m.set(key, z);
  }
  return z;
}

export function messageDigestE(z: Uint8Array, message: Uint8Array): Uint8Array {
  return sm3(concatBytes(z, message));
}
