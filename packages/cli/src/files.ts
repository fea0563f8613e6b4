/** File access for CLI verbs: unreadable input becomes a typed error (exit 2), outputs are written atomically. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ErrorCode, YzError } from '@yinzhang/gm';

/** Upper bound on any single input file the CLI reads into memory. */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export function readInput(path: string): Uint8Array {
  try {
    const b = path === '-' ? readFileSync(0) : readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  } catch (e) {
    throw new YzError(ErrorCode.FILE_UNREADABLE, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { path });
  }
}

export function readText(path: string): string {
  return new TextDecoder().decode(readInput(path));
}

/** Writes via a temporary file and rename, so a failure never leaves a half-written output. Secrets get 0600. */
export function writeOutput(path: string, data: Uint8Array | string, secret = false): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data, { mode: secret ? 0o600 : 0o644 });
    renameSync(tmp, path);
  } catch (e) {
    throw new YzError(ErrorCode.FILE_UNREADABLE, `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { path });
  }
}
