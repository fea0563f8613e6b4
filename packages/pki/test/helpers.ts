import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export const OFDRW = '/work/shared/interop/ofdrw/';
export const ofdrw = (name: string): Uint8Array => new Uint8Array(readFileSync(OFDRW + name));

/** Runs the openssl CLI (the independent cross-check). */
export function openssl(args: string[], input?: Uint8Array): { status: number; stdout: string; stderr: string; raw: Uint8Array } {
  const r = spawnSync('openssl', args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString(), raw: new Uint8Array(r.stdout) };
}

export function tempDir(): { dir: string; path: (name: string) => string; write: (name: string, data: Uint8Array | string) => string; read: (name: string) => Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'yz-pki-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    path: (name) => join(dir, name),
    write: (name, data) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    },
    read: (name) => new Uint8Array(readFileSync(join(dir, name))),
  };
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
