/**
 * Pure-JS SM2 signature generation and verification on a digest e (GB/T 32918.2 §6.1, §7.1). Used when the native
 * addon is unavailable (and by a future browser provider). signWithK is internal: the package's public entry never
 * exports it, so production code cannot choose k; tests import it by path for the standard's Annex A example.
 */
import { bytesToBigInt } from '../bytes.js';
import type { Point, Sm2Curve } from './curve.js';
import type { RS } from './signature-encoding.js';

function mod(a: bigint, n: bigint): bigint {
  const r = a % n;
  return r >= 0n ? r : r + n;
}

function invert(a: bigint, n: bigint): bigint {
  // Extended Euclid; n is prime and 0 < a < n here.
  let [x0, x1, r0, r1] = [0n, 1n, n, mod(a, n)];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [x0, x1] = [x1, x0 - q * x1];
  }
  return mod(x0, n);
}

/** Returns undefined when this k must be rejected (r = 0, r + k = n or s = 0): the caller draws another. */
export function signWithK(curve: Sm2Curve, d: bigint, e: Uint8Array, k: bigint): RS | undefined {
  const { n } = curve;
  const x1 = curve.Point.BASE.multiply(k).toAffine().x;
  const r = mod(bytesToBigInt(e) + x1, n);
  if (r === 0n || r + k === n) return undefined;
  const s = mod(invert(1n + d, n) * (k - r * d), n);
  if (s === 0n) return undefined;
  return { r, s };
}

export function signDigestJs(curve: Sm2Curve, d: bigint, e: Uint8Array): RS {
  for (;;) {
    const k = bytesToBigInt(crypto.getRandomValues(new Uint8Array(32))) % curve.n;
    if (k === 0n) continue;
    const rs = signWithK(curve, d, e, k);
    if (rs) return rs;
  }
}

/** r and s must already be in [1, n-1] (decodeSignature checks that). */
export function verifyDigestJs(curve: Sm2Curve, publicPoint: Point, e: Uint8Array, sig: RS): boolean {
  const { n } = curve;
  const t = mod(sig.r + sig.s, n);
  if (t === 0n) return false;
  const p = curve.Point.BASE.multiply(sig.s).add(publicPoint.multiplyUnsafe(t));
  if (p.equals(curve.Point.ZERO)) return false;
  return mod(bytesToBigInt(e) + p.toAffine().x, n) === sig.r;
}
