import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('`yinzhang serve --port 0 --data DIR` starts, prints the generated admin password once, serves the API, stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yz-serve-'));
  const env = { ...process.env, LANG: 'en_US.UTF-8', YINZHANG_ADMIN_PASSWORD: '', DATABASE_URL: '', YINZHANG_KEK: '' };
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../cli/bin/yinzhang.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dir], { env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += String(d); });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /platform listening: (http:\/\/[^\s/]+)/.exec(out);
        if (m) { clearTimeout(t); resolve(m[1]!); }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const password = /shown only this once\): (\S+)/.exec(out)?.[1];
    assert.ok(password, out);
    assert.equal((await fetch(`${address}/api/v1/health`)).status, 200);
    const login = await fetch(`${address}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password }) });
    assert.equal(login.status, 200);
    assert.equal((await fetch(`${address}/api/openapi.json`)).status, 200);
    assert.equal((await fetch(`${address}/api/v1/public/crl`)).headers.get('content-type'), 'application/pkix-crl');
    const lines = out.split('\n').filter((l) => l.includes(password));
    assert.equal(lines.length, 1, 'password printed once and never logged');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});
