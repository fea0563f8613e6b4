import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** Runs the openssl CLI (the independent cross-check); returns status and output. */
export function openssl(args: string[], input?: Uint8Array): { status: number; stdout: Buffer; stderr: string } {
  const r = spawnSync('openssl', args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** A temporary directory removed after the test file finishes. */
export function tempDir(): { path: (name: string) => string; write: (name: string, data: Uint8Array | string) => string; read: (name: string) => Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'yz-gm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    path: (name) => join(dir, name),
    write: (name, data) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    },
    read: (name) => new Uint8Array(readFileSync(join(dir, name))),
  };
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
