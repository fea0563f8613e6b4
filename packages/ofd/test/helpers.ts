import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { isYzError } from '@yinzhang/gm';
import assert from 'node:assert/strict';
import { ZipArchive, writeZip } from '../src/index.js';

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

/** Rewrites one part of a zip (everything else copied raw): the tool of the tamper tests. */
export function replaceEntry(zip: Uint8Array, name: string, mutate: (data: Uint8Array) => Uint8Array): Uint8Array {
  const a = ZipArchive.read(zip);
  assert.ok(a.has(name), `no ${name} in the package`);
  return writeZip(a.entries.map((e) => (e.name === name ? { name, data: mutate(a.read(name)!.slice()) } : { name: e.name, copy: e })));
}

/** Flips one byte of a part. */
export function flipByte(zip: Uint8Array, name: string, at: (len: number) => number): Uint8Array {
  return replaceEntry(zip, name, (d) => {
    const i = at(d.length);
    d[i] = d[i]! ^ 0x01;
    return d;
  });
}

export function entryText(zip: Uint8Array, name: string): string {
  return new TextDecoder().decode(ZipArchive.read(zip).read(name));
}
