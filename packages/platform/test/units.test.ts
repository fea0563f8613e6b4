import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { isValidIdNumber, isValidUscc, maskIdNumber } from '../src/checkdigits.js';
import { loadKek } from '../src/keystore.js';
import { BACKENDS, startPlatform } from './helpers.js';

test('USCC check character (GB 32100): published codes pass, any single change fails', () => {
  for (const good of ['91350100M000100Y43', '91110000600037341L']) {
    assert.equal(isValidUscc(good), true, good);
    for (let i = 0; i < 18; i++) {
      const ch = good[i] === '1' ? '2' : '1';
      assert.equal(isValidUscc(good.slice(0, i) + ch + good.slice(i + 1)), false, `${good} changed at ${i}`);
    }
  }
  for (const bad of ['', '91350100M000100Y4', '91350100M000100Y433', '91350100m000100y43', '9135010OM000100Y43', 'I1350100M000100Y43']) assert.equal(isValidUscc(bad), false, bad);
});

test('ID number check digit (GB 11643): the standard examples pass; wrong digit, impossible dates fail', () => {
  assert.equal(isValidIdNumber('11010519491231002X'), true);
  assert.equal(isValidIdNumber('11010519491231002x'), true);
  assert.equal(isValidIdNumber('440524188001010014'), false, 'born before 1900 is refused');
  assert.equal(isValidIdNumber('110105194912310021'), false);
  assert.equal(isValidIdNumber('110105194902300020'), false, 'February 30th');
  assert.equal(isValidIdNumber('1101051949123100'), false);
  assert.equal(maskIdNumber('11010519491231002X'), '110105********002X');
});

test('KEK: generated once as a 0600 file, or taken from YINZHANG_KEK (64 hex digits only)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yz-kek-'));
  const k1 = loadKek(dir, {});
  assert.equal(statSync(join(dir, 'kek')).mode & 0o777, 0o600);
  assert.deepEqual(loadKek(dir, {}), k1);
  assert.equal(readFileSync(join(dir, 'kek'), 'utf8').trim().length, 64);
  assert.deepEqual(loadKek(dir, { YINZHANG_KEK: '11'.repeat(32) }), new Uint8Array(32).fill(0x11));
  assert.throws(() => loadKek(dir, { YINZHANG_KEK: 'xyz' }), (e: { code: string }) => e.code === 'INVALID_ARGUMENT');
});

test('keystore: private keys only wrapped at rest, bound to their id, useless under another KEK', { skip: BACKENDS[0]!.skip }, async () => {
  const h = await startPlatform();
  try {
    const ctx = h.platform.ctx;
    const rows = await ctx.db.selectFrom('keys').selectAll().execute();
    assert.ok(rows.length >= 4, 'audit, CA, seal maker, TSA keys');
    for (const r of rows) {
      const key = await ctx.keystore.load(ctx.db, r.id);
      const pkcs8 = Buffer.from(key.toPkcs8Der());
      assert.ok(!Buffer.from(r.wrapped).includes(pkcs8.subarray(-32)), 'no clear private key bytes in the row');
    }
    // Swap two wrapped keys: the id binding (AAD) makes both fail.
    const [a, b] = rows;
    await ctx.db.updateTable('keys').set({ wrapped: b!.wrapped }).where('id', '=', a!.id).execute();
    await assert.rejects(ctx.keystore.load(ctx.db, a!.id), (e: { code: string }) => e.code === 'AUTHENTICATION_FAILED');
    const { SoftwareKeystore } = await import('../src/keystore.js');
    const other = new SoftwareKeystore(new Uint8Array(32).fill(7), ctx.clock);
    await assert.rejects(other.load(ctx.db, b!.id), (e: { code: string }) => e.code === 'AUTHENTICATION_FAILED');
  } finally {
    await h.close();
  }
});

test('first start without YINZHANG_ADMIN_PASSWORD generates one, once; the request log carries no secrets', async () => {
  const { createPlatform } = await import('../src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'yz-first-'));
  let log = '';
  const logStream = new Writable({ write(chunk, _enc, cb) { log += String(chunk); cb(); } });
  const p1 = await createPlatform({ dataDir: dir, env: {}, logStream });
  assert.match(p1.generatedAdminPassword ?? '', /^[A-Za-z0-9_-]{20,}$/);
  const r = await p1.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'admin', password: p1.generatedAdminPassword } });
  assert.equal(r.statusCode, 200);
  const cookie = String(r.headers['set-cookie']).split(';')[0]!;
  const csrf = (JSON.parse(r.body) as { csrfToken: string }).csrfToken;
  const k = await p1.app.inject({ method: 'POST', url: '/api/v1/api-keys?probe=1', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'k', roles: ['auditor'] } });
  assert.equal(k.statusCode, 403, 'admin is not the security officer');
  await p1.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer yzk_00000000-0000-0000-0000-000000000000_secretsecretsecretsecret' } });
  assert.match(log, /"url":"\/api\/v1\/auth\/login"/);
  for (const secret of [p1.generatedAdminPassword!, cookie.split('=')[1]!, csrf, 'secretsecretsecretsecret']) assert.ok(!log.includes(secret), 'secret in log');
  await p1.close();
  const p2 = await createPlatform({ dataDir: dir, env: {} });
  assert.equal(p2.generatedAdminPassword, undefined, 'printed only on the first start');
  await p2.close();
});

test('an instance with another KEK refuses to start instead of failing later', async () => {
  const { createPlatform } = await import('../src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'yz-kek2-'));
  const p = await createPlatform({ dataDir: dir, env: { YINZHANG_ADMIN_PASSWORD: 'x', YINZHANG_KEK: '01'.repeat(32) } });
  await p.close();
  await assert.rejects(createPlatform({ dataDir: dir, env: { YINZHANG_ADMIN_PASSWORD: 'x', YINZHANG_KEK: '02'.repeat(32) } }), (e: { code: string; message: string }) => e.code === 'AUTHENTICATION_FAILED' && /YINZHANG_KEK/.test(e.message));
});
