import { digest, toHex } from '@yinzhang/gm/portable';
import type { FileInfo } from './model.js';

/** Identifies the verified file by SM3 and SHA-256 so that a report can be matched to the exact bytes. */
export function fileInfo(name: string, bytes: Uint8Array): FileInfo {
  return { name, size: bytes.length, sm3: toHex(digest('sm3', bytes)), sha256: toHex(digest('sha256', bytes)) };
}
