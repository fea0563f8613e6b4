/**
 * SM2/ECDSA signature encodings: DER ECDSA-Sig-Value (GB/T 35276 §7.3) and raw 64-byte r‖s, which several vendors
 * write instead. Parsing checks 1 ≤ r, s < n so that an out-of-range value is a typed error, not a silent false.
 */
import { ErrorCode, YzError } from '../errors.js';
import { bigIntToBytes } from '../bytes.js';
import { Tag, children, derInteger, derSequence, readSingle } from '../der.js';
import { bytesToBigInt } from '../bytes.js';

export type SignatureEncoding = 'der' | 'raw';

export interface RS {
  r: bigint;
  s: bigint;
}

export function encodeSignature(sig: RS, encoding: SignatureEncoding, size = 32): Uint8Array {
  if (encoding === 'raw') {
    const out = new Uint8Array(size * 2);
    out.set(bigIntToBytes(sig.r, size), 0);
    out.set(bigIntToBytes(sig.s, size), size);
    return out;
  }
  return derSequence(derInteger(sig.r), derInteger(sig.s));
}

function tryDer(sig: Uint8Array): RS | undefined {
  if (sig[0] !== Tag.SEQUENCE) return undefined;
  try {
    const parts = children(readSingle(sig), 3);
    if (parts.length !== 2 || parts[0]!.tag !== Tag.INTEGER || parts[1]!.tag !== Tag.INTEGER) return undefined;
    if (parts[0]!.value.length === 0 || parts[1]!.value.length === 0) return undefined;
    if (parts[0]!.value[0]! & 0x80 || parts[1]!.value[0]! & 0x80) return undefined; // negative
    return { r: bytesToBigInt(parts[0]!.value), s: bytesToBigInt(parts[1]!.value) };
  } catch {
    return undefined;
  }
}

/** Accepts DER or raw r‖s (2·size bytes); throws SIGNATURE_MALFORMED / SIGNATURE_OUT_OF_RANGE. */
export function decodeSignature(sig: Uint8Array, n: bigint, size = 32): RS {
  const rs = tryDer(sig) ?? (sig.length === size * 2 ? { r: bytesToBigInt(sig.subarray(0, size)), s: bytesToBigInt(sig.subarray(size)) } : undefined);
  if (!rs) {
    throw new YzError(ErrorCode.SIGNATURE_MALFORMED, `signature is neither DER nor ${size * 2}-byte r‖s (${sig.length} bytes)`, { length: sig.length });
  }
  if (rs.r < 1n || rs.r >= n || rs.s < 1n || rs.s >= n) {
    throw new YzError(ErrorCode.SIGNATURE_OUT_OF_RANGE, 'signature r or s is outside [1, n-1]');
  }
  return rs;
}

/** Normalises any accepted encoding to minimal DER (what OpenSSL's verifier requires). */
export function toDerSignature(sig: Uint8Array, n: bigint, size = 32): Uint8Array {
  return encodeSignature(decodeSignature(sig, n, size), 'der');
}
