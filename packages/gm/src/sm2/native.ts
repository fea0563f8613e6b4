/**
 * Loads the optional SM2 addon (native/sm2_addon.c, built at install). It only does scalar work on a digest e we
 * computed ourselves, so results are identical to the JS path; it is about an order of magnitude faster.
 * YINZHANG_NO_NATIVE=1 forces the JS path (tests run both).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

export interface NativeSm2 {
  keyFromRaw(pub65: Uint8Array, priv32?: Uint8Array): object;
  signDigest(key: object, e: Uint8Array): Uint8Array;
  verifyDigest(key: object, e: Uint8Array, derSig: Uint8Array): boolean;
}

function load(): NativeSm2 | undefined {
  if (process.env.YINZHANG_NO_NATIVE === '1') return undefined;
  const path = new URL('../../build/Release/yinzhang_sm2.node', import.meta.url).pathname;
  if (!existsSync(path)) return undefined;
  try {
    return createRequire(import.meta.url)(path) as NativeSm2;
  } catch {
    return undefined;
  }
}

export const nativeSm2: NativeSm2 | undefined = load();
