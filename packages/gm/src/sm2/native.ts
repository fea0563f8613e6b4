/**
 * Loads the optional SM2 addon (native/sm2_addon.c, built at install) — Node only. It does only the scalar work on a
 * digest e we computed ourselves, so results equal the JS path's; it is several times faster.
 * YINZHANG_NO_NATIVE=1 forces the JS path.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import type { NativeSm2 } from './backend.js';

export function loadNativeSm2(): NativeSm2 | undefined {
  if (process.env.YINZHANG_NO_NATIVE === '1') return undefined;
  const path = new URL('../../build/Release/yinzhang_sm2.node', import.meta.url).pathname;
  if (!existsSync(path)) return undefined;
  try {
    return createRequire(import.meta.url)(path) as NativeSm2;
  } catch {
    return undefined;
  }
}
