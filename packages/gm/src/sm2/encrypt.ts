/**
 * SM2 public-key encryption (GB/T 32918.4), ciphertext in C1‖C3‖C2 order: as ASN.1 (GM/T 0009 / GB/T 35276
 * SM2Cipher, what `openssl pkeyutl -encrypt` writes) or raw 04‖x1‖y1‖C3‖C2.
 */
import { ErrorCode, YzError } from '../errors.js';
import { bigIntToBytes, bytesEqual, bytesToBigInt, concatBytes } from '../bytes.js';
import { Tag, children, derInteger, derOctetString, derSequence, expectTag, readSingle, readUnsignedInteger } from '../der.js';
import { sm3 } from '../hash.js';
import { SM2_CURVE } from './curve.js';
import type { Point } from './curve.js';
import type { Sm2PrivateKey, Sm2PublicKey } from './keys.js';

export type Sm2CipherFormat = 'asn1' | 'raw';

/** Limit on one SM2 plaintext: SM2 encryption is for keys and short secrets, not bulk data. */
export const MAX_SM2_PLAINTEXT = 1 << 20;

function kdf(z: Uint8Array, klen: number): Uint8Array {
  const out = new Uint8Array(klen);
  const ct = new Uint8Array(4);
  for (let i = 0, c = 1; i < klen; i += 32, c++) {
    new DataView(ct.buffer).setUint32(0, c);
    out.set(sm3(concatBytes(z, ct)).subarray(0, Math.min(32, klen - i)), i);
  }
  return out;
}

function xorInto(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export function sm2Encrypt(key: Sm2PublicKey, plaintext: Uint8Array, format: Sm2CipherFormat = 'asn1'): Uint8Array {
  if (plaintext.length === 0) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'SM2 cannot encrypt an empty message');
  if (plaintext.length > MAX_SM2_PLAINTEXT) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `SM2 plaintext larger than ${MAX_SM2_PLAINTEXT} bytes`);
  for (;;) {
    const k = bytesToBigInt(crypto.getRandomValues(new Uint8Array(32))) % SM2_CURVE.n;
    if (k === 0n) continue;
    const c1 = SM2_CURVE.Point.BASE.multiply(k).toAffine();
    const s = key.point.multiply(k).toAffine();
    const x2 = bigIntToBytes(s.x, 32);
    const y2 = bigIntToBytes(s.y, 32);
    const t = kdf(concatBytes(x2, y2), plaintext.length);
    if (t.every((b) => b === 0)) continue;
    const c2 = xorInto(plaintext, t);
    const c3 = sm3(concatBytes(x2, plaintext, y2));
    if (format === 'raw') return concatBytes(Uint8Array.of(4), bigIntToBytes(c1.x, 32), bigIntToBytes(c1.y, 32), c3, c2);
    return derSequence(derInteger(c1.x), derInteger(c1.y), derOctetString(c3), derOctetString(c2));
  }
}

function parseCiphertext(ct: Uint8Array): { c1: Point; c3: Uint8Array; c2: Uint8Array } {
  let x: bigint, y: bigint, c3: Uint8Array, c2: Uint8Array;
  try {
    if (ct[0] === 0x04) {
      if (ct.length < 1 + 64 + 32 + 1) throw new YzError(ErrorCode.CIPHERTEXT_MALFORMED, 'raw SM2 ciphertext too short');
      x = bytesToBigInt(ct.subarray(1, 33));
      y = bytesToBigInt(ct.subarray(33, 65));
      c3 = ct.subarray(65, 97);
      c2 = ct.subarray(97);
    } else {
      const parts = children(readSingle(ct), 5);
      if (parts.length !== 4) throw new YzError(ErrorCode.CIPHERTEXT_MALFORMED, 'SM2Cipher must have 4 fields');
      x = readUnsignedInteger(parts[0]!);
      y = readUnsignedInteger(parts[1]!);
      c3 = expectTag(parts[2], Tag.OCTET_STRING, 'HASH').value;
      c2 = expectTag(parts[3], Tag.OCTET_STRING, 'CipherText').value;
      if (c3.length !== 32) throw new YzError(ErrorCode.CIPHERTEXT_MALFORMED, 'SM2Cipher HASH must be 32 bytes');
    }
    const c1 = SM2_CURVE.Point.fromAffine({ x, y });
    c1.assertValidity();
    return { c1, c3, c2 };
  } catch (e) {
    if (e instanceof YzError && e.code === ErrorCode.CIPHERTEXT_MALFORMED) throw e;
    throw new YzError(ErrorCode.CIPHERTEXT_MALFORMED, 'malformed SM2 ciphertext', undefined, { cause: e });
  }
}

export function sm2Decrypt(key: Sm2PrivateKey, ciphertext: Uint8Array): Uint8Array {
  const { c1, c3, c2 } = parseCiphertext(ciphertext);
  if (c2.length === 0) throw new YzError(ErrorCode.CIPHERTEXT_MALFORMED, 'empty SM2 ciphertext body');
  const s = c1.multiply(key.scalar()).toAffine();
  const x2 = bigIntToBytes(s.x, 32);
  const y2 = bigIntToBytes(s.y, 32);
  const t = kdf(concatBytes(x2, y2), c2.length);
  if (t.every((b) => b === 0)) throw new YzError(ErrorCode.DECRYPTION_FAILED, 'SM2 decryption failed');
  const m = xorInto(c2, t);
  if (!bytesEqual(sm3(concatBytes(x2, m, y2)), c3)) throw new YzError(ErrorCode.DECRYPTION_FAILED, 'SM2 decryption failed (C3 mismatch)');
  return m;
}
