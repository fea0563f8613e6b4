import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { isYzError } from '@yinzhang/gm';
import assert from 'node:assert/strict';

export const INTEROP = new URL('./fixtures/ofdrw/', import.meta.url).pathname;

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(INTEROP, name)));
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'yz-ofd-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Asserts that fn throws a YzError with the given code. */
export async function rejectsWith(fn: () => unknown, code: string): Promise<void> {
  await assert.rejects(async () => fn(), (e: unknown) => {
    assert.ok(isYzError(e), `expected YzError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return true;
  });
}
