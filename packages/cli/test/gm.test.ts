import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openssl, tempDir, yinzhang } from './helpers.js';

const dir = tempDir();
const p = (f: string) => join(dir, f);
writeFileSync(p('doc.txt'), '电子印章管理办法 第十二条\n');

test('gm keygen → sign → verify, cross-checked with openssl (SM2, default ID)', () => {
  let r = yinzhang(['gm', 'keygen', '--alg', 'sm2', '--out', p('k.pem'), '--pub-out', p('pub.pem')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(statSync(p('k.pem')).mode & 0o777, 0o600, 'private key file is 0600');
  assert.match(readFileSync(p('k.pem'), 'utf8'), /BEGIN PRIVATE KEY/);
  r = yinzhang(['gm', 'sign', '--key', p('k.pem'), p('doc.txt'), '--out', p('sig.der')]);
  assert.equal(r.status, 0, r.stderr);
  const o = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', p('pub.pem'), '-rawin', '-in', p('doc.txt'), '-sigfile', p('sig.der'), '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678']);
  assert.equal(o.status, 0, o.stderr);
  r = yinzhang(['gm', 'verify', '--pub', p('pub.pem'), p('doc.txt'), '--sig', p('sig.der')]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /签名有效/);
  r = yinzhang(['gm', 'verify', '--pub', p('pub.pem'), '--id', 'someone-else', p('doc.txt'), '--sig', p('sig.der'), '--json']);
  assert.equal(r.status, 1);
  assert.deepEqual(JSON.parse(r.stdout), { valid: false, algorithm: 'SM2-with-SM3' });
});

test('gm sign --encoding raw and --id; gm verify --cert with an openssl-made SM2 certificate', () => {
  assert.equal(openssl(['genpkey', '-algorithm', 'SM2', '-out', p('ok.pem')]).status, 0);
  const c = openssl(['req', '-x509', '-new', '-key', p('ok.pem'), '-subj', '/CN=test/O=yinzhang/C=CN', '-sm3', '-sigopt', 'distid:1234567812345678', '-days', '2', '-out', p('cert.pem')]);
  assert.equal(c.status, 0, c.stderr);
  let r = yinzhang(['gm', 'sign', '--key', p('ok.pem'), '--id', 'ALICE', '--encoding', 'raw', p('doc.txt'), '--out', p('raw.sig')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(p('raw.sig')).length, 64);
  r = yinzhang(['gm', 'verify', '--cert', p('cert.pem'), '--id', 'ALICE', p('doc.txt'), '--sig', p('raw.sig')]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  r = yinzhang(['gm', 'verify', '--cert', p('cert.pem'), p('doc.txt'), '--sig', p('raw.sig')]);
  assert.equal(r.status, 1);
});

test('gm keygen for p256 and rsa2048; signatures verify with openssl', () => {
  for (const alg of ['p256', 'rsa2048']) {
    assert.equal(yinzhang(['gm', 'keygen', '--alg', alg, '--out', p(`${alg}.pem`), '--pub-out', p(`${alg}.pub`)]).status, 0);
    assert.equal(yinzhang(['gm', 'sign', '--key', p(`${alg}.pem`), p('doc.txt'), '--out', p(`${alg}.sig`)]).status, 0);
    const o = openssl(['dgst', '-sha256', '-verify', p(`${alg}.pub`), '-signature', p(`${alg}.sig`), p('doc.txt')]);
    assert.equal(o.status, 0, o.stderr);
    assert.equal(yinzhang(['gm', 'verify', '--pub', p(`${alg}.pub`), p('doc.txt'), '--sig', p(`${alg}.sig`)]).status, 0);
  }
});

test('gm sm3 prints lowercase hex equal to openssl', () => {
  const r = yinzhang(['gm', 'sm3', p('doc.txt')]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), createHash('sm3').update(readFileSync(p('doc.txt'))).digest('hex'));
});

test('pure-JS fallback (YINZHANG_NO_NATIVE=1) produces and verifies the same kind of signatures', () => {
  const env = { YINZHANG_NO_NATIVE: '1' };
  assert.equal(yinzhang(['gm', 'keygen', '--out', p('js.pem'), '--pub-out', p('js.pub')], { env }).status, 0);
  assert.equal(yinzhang(['gm', 'sign', '--key', p('js.pem'), p('doc.txt'), '--out', p('js.sig')], { env }).status, 0);
  const o = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', p('js.pub'), '-rawin', '-in', p('doc.txt'), '-sigfile', p('js.sig'), '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678']);
  assert.equal(o.status, 0, o.stderr);
  assert.equal(yinzhang(['gm', 'verify', '--pub', p('js.pub'), p('doc.txt'), '--sig', p('sig.der')], { env }).status, 1, 'another key');
});

test('usage errors and unreadable input exit 2 with a clear message, no stack trace; --help and --lang en', () => {
  const cases: [string[], RegExp][] = [
    [['gm', 'keygen', '--alg', 'dsa', '--out', p('x.pem')], /--alg/],
    [['gm', 'sign', '--key', p('missing.pem'), p('doc.txt'), '--out', p('x.sig')], /FILE_UNREADABLE/],
    [['gm', 'sign', '--key', p('doc.txt'), p('doc.txt'), '--out', p('x.sig')], /PEM_MALFORMED|KEY_MALFORMED/],
    [['gm', 'verify', '--pub', p('pub.pem'), p('doc.txt'), '--sig', p('doc.txt')], /SIGNATURE_MALFORMED/],
    [['gm', 'verify', p('doc.txt'), '--sig', p('sig.der')], /--pub/],
    [['gm', 'sign', '--bogus'], /参数错误/],
    [['gm', 'sm3'], /位置参数/],
    [['nonsense'], /未知命令/],
  ];
  for (const [args, re] of cases) {
    const r = yinzhang(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.equal(existsSync(p('x.sig')), false, 'nothing half-written');
  const h = yinzhang(['gm', 'sign', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--key KEY.pem/);
  const en = yinzhang(['gm', 'verify', '--pub', p('pub.pem'), p('doc.txt'), '--sig', p('sig.der'), '--lang', 'en']);
  assert.match(en.stdout, /signature valid/);
  assert.match(yinzhang(['--help']).stdout, /gm keygen/);
  assert.match(yinzhang(['gm', 'sm3', p('nope')], { env: { LANG: 'en_US.UTF-8' } }).stderr, /^error \[FILE_UNREADABLE\]/);
});
