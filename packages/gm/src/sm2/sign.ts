/**
 * SM2 signatures with the user ID done right: e = SM3(Z(ID) ‖ M), default ID "1234567812345678" (GB/T 35276).
 * Verification accepts DER and raw r‖s; signing writes DER unless raw is asked for.
 */
import { ErrorCode, YzError } from '../errors.js';
import { DEFAULT_SM2_ID, SM2_CURVE } from './curve.js';
import type { Sm2PrivateKey, Sm2PublicKey } from './keys.js';
import { decodeSignature, encodeSignature, type SignatureEncoding } from './signature-encoding.js';
import { cachedZ, messageDigestE } from './z.js';
import { signDigestJs, verifyDigestJs } from './sign-js.js';
import { getSm2Backend } from './backend.js';

export interface Sm2SignOptions {
  /** SM2 user ID (bytes or UTF-8 text); default "1234567812345678". */
  id?: Uint8Array | string;
  encoding?: SignatureEncoding;
}

export function normaliseId(id: Uint8Array | string | undefined): Uint8Array {
  if (id === undefined) return DEFAULT_SM2_ID;
  return typeof id === 'string' ? new TextEncoder().encode(id) : id;
}

const handles = new WeakMap<object, object>();

function nativeHandle(key: Sm2PrivateKey | Sm2PublicKey): object | undefined {
  const nativeSm2 = getSm2Backend();
  if (!nativeSm2) return undefined;
  let h = handles.get(key);
  if (!h) {
    h = key.type === 'sm2-private' ? nativeSm2.keyFromRaw(key.publicKey.raw, key.toRaw()) : nativeSm2.keyFromRaw(key.raw);
    handles.set(key, h);
  }
  return h;
}

function checkDigest(e: Uint8Array): void {
  if (!ArrayBuffer.isView(e) || e.length !== 32) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'SM2 digest e must be 32 bytes');
}

/** Signs a given e (prehashed variant, for vendors who hash differently). */
export function sm2SignDigest(key: Sm2PrivateKey, e: Uint8Array, encoding: SignatureEncoding = 'der'): Uint8Array {
  checkDigest(e);
  const h = nativeHandle(key);
  if (h) {
    const der = getSm2Backend()!.signDigest(h, e);
    return encoding === 'der' ? new Uint8Array(der.buffer, der.byteOffset, der.length) : encodeSignature(decodeSignature(der, SM2_CURVE.n), 'raw');
  }
  return encodeSignature(signDigestJs(SM2_CURVE, key.scalar(), e), encoding);
}

/** Verifies over a given e. False for a wrong signature; YzError for a malformed one. */
export function sm2VerifyDigest(key: Sm2PublicKey, e: Uint8Array, signature: Uint8Array): boolean {
  checkDigest(e);
  const rs = decodeSignature(signature, SM2_CURVE.n);
  const h = nativeHandle(key);
  if (h) return getSm2Backend()!.verifyDigest(h, e, encodeSignature(rs, 'der'));
  return verifyDigestJs(SM2_CURVE, key.point, e, rs);
}

export function sm2ComputeE(key: Sm2PublicKey, message: Uint8Array, id?: Uint8Array | string): Uint8Array {
  return messageDigestE(cachedZ(key, key.raw, normaliseId(id)), message);
}

export function sm2Sign(key: Sm2PrivateKey, message: Uint8Array, opts: Sm2SignOptions = {}): Uint8Array {
  return sm2SignDigest(key, sm2ComputeE(key.publicKey, message, opts.id), opts.encoding ?? 'der');
}

export function sm2Verify(key: Sm2PublicKey, message: Uint8Array, signature: Uint8Array, opts: { id?: Uint8Array | string } = {}): boolean {
  return sm2VerifyDigest(key, sm2ComputeE(key, message, opts.id), signature);
}

/** Which implementation does the scalar work ("native" or "js"), for benchmarks and diagnostics. */
export const sm2Backend = (): 'native' | 'js' => (getSm2Backend() ? 'native' : 'js');
