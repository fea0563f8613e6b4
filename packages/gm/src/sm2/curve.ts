/** SM2 curve arithmetic (GB/T 32918.5 recommended curve) over @noble/curves' Weierstrass points. */
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import type { WeierstrassPoint, WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { bigIntToBytes } from '../bytes.js';

export interface Sm2CurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  Gx: bigint;
  Gy: bigint;
}

export interface Sm2Curve extends Sm2CurveParams {
  Point: WeierstrassPointCons<bigint>;
  /** a ‖ b ‖ Gx ‖ Gy as 32-byte fields, the curve part of Z (GB/T 32918.2 §5.5). */
  zPrefix: Uint8Array;
}

export type Point = WeierstrassPoint<bigint>;

export function makeCurve(params: Sm2CurveParams): Sm2Curve {
  const Point = weierstrass({ ...params, h: 1n });
  const zPrefix = new Uint8Array(128);
  zPrefix.set(bigIntToBytes(params.a, 32), 0);
  zPrefix.set(bigIntToBytes(params.b, 32), 32);
  zPrefix.set(bigIntToBytes(params.Gx, 32), 64);
  zPrefix.set(bigIntToBytes(params.Gy, 32), 96);
  return { ...params, Point, zPrefix };
}

export const SM2_CURVE: Sm2Curve = makeCurve({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

/** Default SM2 user ID of GB/T 35276 §9 / GM/T 0009. */
export const DEFAULT_SM2_ID = new TextEncoder().encode('1234567812345678');
