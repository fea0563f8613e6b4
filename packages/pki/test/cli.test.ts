import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { OFDRW, openssl, tempDir } from './helpers.js';

const BIN = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;

function yz(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'zh_CN.UTF-8', ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('ca init → issue → cert verify → revoke → crl → cert verify (SM2), checked by openssl', () => {
  const t = tempDir();
  const ca = t.path('ca');
  let r = yz(['ca', 'init', '--dir', ca, '--alg', 'sm2', '--subject', 'CN=测试根 CA,O=Yinzhang,C=CN', '--days', '100']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /已创建 CA/);
  assert.equal(statSync(t.path('ca/ca-key.pem')).mode & 0o777, 0o600);
  assert.equal(yz(['ca', 'init', '--dir', ca, '--alg', 'sm2', '--subject', 'CN=again']).status, 2, 'existing CA is not overwritten');

  r = yz(['ca', 'issue', '--dir', ca, '--profile', 'signer', '--subject', 'CN=张三,O=某公司,C=CN', '--out', t.path('leaf.pem'), '--key-out', t.path('leaf.key'), '--uscc', '91350100M000100Y43', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const issued = JSON.parse(r.stdout) as { serial: string };
  assert.equal(statSync(t.path('leaf.key')).mode & 0o777, 0o600);
  const o = openssl(['verify', '-vfyopt', 'distid:1234567812345678', '-CAfile', t.path('ca/ca.pem'), t.path('leaf.pem')]);
  assert.equal(o.status, 0, o.stdout + o.stderr);

  r = yz(['cert', 'verify', t.path('leaf.pem'), '--trust', t.path('ca/ca.pem'), '--purpose', 'signer']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /证书有效/);

  r = yz(['ca', 'revoke', '--dir', ca, '--serial', issued.serial.toUpperCase(), '--reason', 'keyCompromise']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(yz(['ca', 'revoke', '--dir', ca, '--serial', 'abcdef']).status, 2, 'unknown serial');
  r = yz(['ca', 'crl', '--dir', ca, '--out', t.path('crl.pem'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).revoked, 1);

  r = yz(['cert', 'verify', t.path('leaf.pem'), '--trust', t.path('ca/ca.pem'), '--crl', t.path('crl.pem'), '--json']);
  assert.equal(r.status, 1);
  const j = JSON.parse(r.stdout);
  assert.equal(j.valid, false);
  assert.deepEqual(j.reasons.map((x: { code: string }) => x.code), ['REVOKED']);
  assert.equal(j.revocation.reason, 'keyCompromise');

  // the OpenSSL-3.0-compatible SM2 CRL (empty ID) makes openssl report the revocation too
  r = yz(['ca', 'crl', '--dir', ca, '--out', t.path('crl-openssl.pem'), '--sm2-id=']);
  assert.equal(r.status, 0, r.stderr);
  const v = openssl(['verify', '-vfyopt', 'distid:1234567812345678', '-crl_check', '-CRLfile', t.path('crl-openssl.pem'), '-CAfile', t.path('ca/ca.pem'), t.path('leaf.pem')]);
  assert.notEqual(v.status, 0);
  assert.match(v.stdout + v.stderr, /certificate revoked/);
  assert.match(openssl(['crl', '-in', t.path('crl-openssl.pem'), '-noout', '-text']).stdout, /CRL Number: \n\s+2\n/);
});

test('ca issue tsa with p256; openssl accepts it for timestamp signing', () => {
  const t = tempDir();
  const ca = t.path('ca');
  assert.equal(yz(['ca', 'init', '--dir', ca, '--alg', 'p256', '--subject', 'CN=P256 Root,C=CN']).status, 0);
  const r = yz(['ca', 'issue', '--dir', ca, '--profile', 'tsa', '--subject', 'CN=TSA,C=CN', '--out', t.path('tsa.pem'), '--key-out', t.path('tsa.key')]);
  assert.equal(r.status, 0, r.stderr);
  const o = openssl(['verify', '-purpose', 'timestampsign', '-CAfile', t.path('ca/ca.pem'), t.path('tsa.pem')]);
  assert.equal(o.status, 0, o.stdout + o.stderr);
  assert.equal(yz(['cert', 'verify', t.path('tsa.pem'), '--trust', t.path('ca/ca.pem'), '--purpose', 'tsa']).status, 0);
});

test('cert verify with the ofdrw PKI: expired now (exit 1), valid --at 2021-01-01T00:00:00Z', () => {
  const t = tempDir();
  assert.equal(openssl(['pkcs12', '-legacy', '-in', OFDRW + 'ROOT.p12', '-passin', 'pass:123456', '-nokeys', '-out', t.path('root.pem')]).status, 0);
  assert.equal(openssl(['pkcs12', '-legacy', '-in', OFDRW + 'USER.p12', '-passin', 'pass:777777', '-nokeys', '-clcerts', '-out', t.path('user.pem')]).status, 0);
  let r = yz(['cert', 'verify', t.path('user.pem'), '--trust', t.path('root.pem')]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /EXPIRED/);
  r = yz(['cert', 'verify', t.path('user.pem'), '--trust', t.path('root.pem'), '--at', '2021-01-01T00:00:00Z', '--lang', 'en']);
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /certificate valid/);
  r = yz(['cert', 'verify', OFDRW + 'sign_cert.pem', '--trust', t.path('root.pem'), '--at', '2022-01-01']);
  assert.equal(r.status, 0, r.stdout);
});

test('cert verify: bad usage and unreadable input exit 2', () => {
  const t = tempDir();
  t.write('junk.pem', 'hello');
  assert.equal(yz(['cert', 'verify', t.path('junk.pem'), '--trust', t.path('junk.pem')]).status, 2);
  assert.equal(yz(['cert', 'verify', OFDRW + 'sign_cert.pem']).status, 2);
  assert.equal(yz(['cert', 'verify', OFDRW + 'sign_cert.pem', '--trust', OFDRW + 'sign_cert.pem', '--at', 'yesterday']).status, 2);
  assert.equal(yz(['cert', 'verify', t.path('missing.pem'), '--trust', OFDRW + 'sign_cert.pem']).status, 2);
  assert.equal(yz(['ca', 'issue', '--dir', t.path('none'), '--profile', 'signer', '--subject', 'CN=x', '--out', t.path('a'), '--key-out', t.path('b')]).status, 2);
  assert.equal(yz(['ca', 'init', '--dir', t.path('x'), '--alg', 'sm2', '--subject', 'no equals sign']).status, 2);
});

test('ca issue --csr certifies an openssl-made SM2 request without seeing the key', () => {
  const t = tempDir();
  const ca = t.path('ca');
  assert.equal(yz(['ca', 'init', '--dir', ca, '--alg', 'sm2', '--subject', 'CN=CSR Root,C=CN']).status, 0);
  assert.equal(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', t.path('k.pem')]).status, 0);
  assert.equal(openssl(['req', '-new', '-key', t.path('k.pem'), '-sm3', '-sigopt', 'distid:1234567812345678', '-utf8', '-subj', '/C=CN/O=某公司/CN=王五', '-out', t.path('r.pem')]).status, 0);
  const r = yz(['ca', 'issue', '--dir', ca, '--profile', 'seal-maker', '--csr', t.path('r.pem'), '--out', t.path('c.pem'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).subject, 'CN=王五,O=某公司,C=CN');
  const o = openssl(['verify', '-vfyopt', 'distid:1234567812345678', '-CAfile', t.path('ca/ca.pem'), t.path('c.pem')]);
  assert.equal(o.status, 0, o.stdout + o.stderr);
  // the certificate certifies the key in the request
  assert.equal(openssl(['x509', '-in', t.path('c.pem'), '-noout', '-pubkey']).stdout, openssl(['pkey', '-in', t.path('k.pem'), '-pubout']).stdout);
  assert.equal(yz(['ca', 'issue', '--dir', ca, '--profile', 'signer', '--csr', t.path('r.pem'), '--out', t.path('c2.pem'), '--key-out', t.path('x')]).status, 2);
});
