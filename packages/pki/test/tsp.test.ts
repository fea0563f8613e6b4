import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSigner, digest, generateKeyPair, isYzError, utf8, type KeygenAlgorithm, type PrivateKey } from '@yinzhang/gm';
import {
  Tsa, certificateToPem, createTimestampRequest, issueCertificate, parseTimestampRequest, parseTimestampResponse, requestTimestamp, signCms,
  verifyTimestampToken, PkiOid, parseCertificate, type Certificate,
} from '../src/index.js';
import { openssl, tempDir } from './helpers.js';

async function pki(alg: KeygenAlgorithm): Promise<{ root: Certificate; tsaCert: Certificate; tsaKey: PrivateKey; rootKey: PrivateKey }> {
  const rootKey = generateKeyPair(alg);
  const root = await issueCertificate({ profile: 'root', subject: `CN=TSA Root ${alg},C=CN`, issuer: { signer: createSigner(rootKey) } });
  const tsaKey = generateKeyPair(alg);
  const tsaCert = await issueCertificate({ profile: 'tsa', subject: `CN=TSA ${alg},C=CN`, publicKey: tsaKey.publicKey, issuer: { certificate: root, signer: createSigner(rootKey) } });
  return { root, tsaCert, tsaKey, rootKey };
}

const data = utf8('要加时间戳的数据\n');

for (const alg of ['p256', 'rsa2048'] as KeygenAlgorithm[]) {
  test(`${alg}: openssl ts -verify accepts our TSA's replies; we verify openssl's`, async () => {
    const t = tempDir();
    const { root, tsaCert, tsaKey } = await pki(alg);
    t.write('root.pem', certificateToPem(root));
    t.write('tsa.pem', certificateToPem(tsaCert));
    t.write('tsa.key', tsaKey.toPem());
    t.write('data.bin', data);
    assert.equal(openssl(['ts', '-query', '-data', t.path('data.bin'), '-sha256', '-cert', '-out', t.path('q.tsq')]).status, 0);
    const tsa = new Tsa({ certificate: tsaCert, signer: createSigner(tsaKey), chain: [root], policy: '1.2.3.4.1' });
    const resp = await tsa.respond(t.read('q.tsq'));
    t.write('r.tsr', resp);
    const v = openssl(['ts', '-verify', '-queryfile', t.path('q.tsq'), '-in', t.path('r.tsr'), '-CAfile', t.path('root.pem')]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /Verification: OK/);
    const vd = openssl(['ts', '-verify', '-data', t.path('data.bin'), '-in', t.path('r.tsr'), '-CAfile', t.path('root.pem')]);
    assert.equal(vd.status, 0, vd.stdout + vd.stderr);
    const q = parseTimestampRequest(t.read('q.tsq'));
    const ours = await verifyTimestampToken(resp, { data, nonce: q.nonce!, policy: '1.2.3.4.1', trustAnchors: [root] });
    assert.equal(ours.valid, true, ours.problems.join('; '));

    // openssl as the TSA
    t.write('serial', '01\n');
    t.write('ts.cnf', `[tsa]\ndefault_tsa = t\n[t]\nserial = ${t.path('serial')}\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.5\ndigests = sha256\naccuracy = secs:1\ness_cert_id_alg = sha1\n`);
    const o = openssl(['ts', '-reply', '-config', t.path('ts.cnf'), '-queryfile', t.path('q.tsq'), '-signer', t.path('tsa.pem'), '-inkey', t.path('tsa.key'), '-out', t.path('o.tsr')]);
    assert.equal(o.status, 0, o.stderr);
    const theirs = await verifyTimestampToken(t.read('o.tsr'), { data, nonce: q.nonce!, policy: '1.2.3.4.5', trustAnchors: [root] });
    assert.equal(theirs.valid, true, theirs.problems.join('; '));
    assert.ok(theirs.cms?.signedAttributes?.signingCertificate, 'openssl writes ESS signingCertificate v1');
    const wrongData = await verifyTimestampToken(t.read('o.tsr'), { data: utf8('x') });
    assert.equal(wrongData.valid, false);
    assert.match(wrongData.problems.join(), /imprint/);
  });
}

test('SM2 TSA: token verifies (imprint, nonce, policy, EKU, chain at genTime); mismatches are reported', async () => {
  const { root, tsaCert, tsaKey, rootKey } = await pki('sm2');
  const tsa = new Tsa({ certificate: tsaCert, signer: createSigner(tsaKey), chain: [root] });
  const req = createTimestampRequest({ data, hashAlgorithm: 'sm3' });
  const resp = parseTimestampResponse(await tsa.respond(req.der));
  assert.equal(resp.status, 'granted');
  const token = resp.token!;
  const ok = await verifyTimestampToken(token, { digest: digest('sm3', data), nonce: req.nonce!, policy: tsa.policy, trustAnchors: [root] });
  assert.equal(ok.valid, true, ok.problems.join('; '));
  assert.equal(ok.tstInfo?.hashAlgorithm, 'sm3');
  assert.ok(Math.abs(ok.genTime!.getTime() - Date.now()) < 60_000);
  const bad = await verifyTimestampToken(token, { data: utf8('other'), nonce: req.nonce! + 1n, policy: '1.2.3' });
  assert.equal(bad.valid, false);
  assert.equal(bad.problems.length, 3, bad.problems.join('; '));

  // a token signed by a certificate without the timeStamping EKU
  const k = generateKeyPair('sm2');
  const signerCert = await issueCertificate({ profile: 'signer', subject: 'CN=not a TSA', publicKey: k.publicKey, issuer: { certificate: root, signer: createSigner(rootKey) } });
  assert.throws(() => new Tsa({ certificate: signerCert, signer: createSigner(k) }), /timeStamping/);
  const tst = parseTimestampRequest(req.der);
  const fake = await new Tsa({ certificate: tsaCert, signer: createSigner(tsaKey) }).issueToken(tst);
  // re-sign the same TSTInfo with the wrong certificate
  const info = (await verifyTimestampToken(fake, { data })).cms!.content!;
  const forged = await signCms({ data: info, detached: false, signer: createSigner(k), certificate: signerCert, eContentType: PkiOid.tstInfo });
  const f = await verifyTimestampToken(forged, { data, trustAnchors: [root] });
  assert.equal(f.valid, false);
  assert.match(f.problems.join(), /timeStamping/);
});

test('TSA rejects bad requests with a PKIStatus, never a crash', async () => {
  const { tsaCert, tsaKey } = await pki('sm2');
  const tsa = new Tsa({ certificate: tsaCert, signer: createSigner(tsaKey), acceptedHashes: ['sm3'] });
  for (const [req, bit] of [
    [utf8('garbage'), 5],
    [createTimestampRequest({ data, hashAlgorithm: 'sha256' }).der, 0],
    [createTimestampRequest({ data, hashAlgorithm: 'sm3', policy: '1.2.3.9' }).der, 15],
  ] as const) {
    const r = parseTimestampResponse(await tsa.respond(req));
    assert.equal(r.status, 'rejection');
    assert.deepEqual(r.failInfo, [bit]);
    assert.equal(r.token, undefined);
  }
  await assert.rejects(verifyTimestampToken(utf8('nope')), (e) => isYzError(e));
});

test('yinzhang tsa serve on a CA directory answers on 127.0.0.1; openssl verifies the reply', async () => {
  const t = tempDir();
  const bin = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;
  const init = spawn(process.execPath, [bin, 'ca', 'init', '--dir', t.path('ca'), '--alg', 'p256', '--subject', 'CN=Serve Root,O=Yinzhang,C=CN']);
  assert.equal(await new Promise((r) => init.on('exit', r)), 0);
  const child = spawn(process.execPath, [bin, 'tsa', 'serve', '--dir', t.path('ca'), '--port', '0', '--lang', 'en'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`tsa serve exited ${code}`)));
      setTimeout(() => reject(new Error('tsa serve did not start')), 20_000);
    });
    const req = createTimestampRequest({ data });
    const token = await requestTimestamp(url, req);
    const root = parseCertificate(t.read('ca/ca.pem'));
    const v = await verifyTimestampToken(token, { data, nonce: req.nonce!, trustAnchors: [root] });
    assert.equal(v.valid, true, v.problems.join('; '));
    assert.match(v.tsaCertificate!.subject.toString(), /CN=yinzhang TSA,O=Yinzhang,C=CN/);
    // openssl checks the same token
    t.write('tok.der', token);
    t.write('data.bin', data);
    const o = openssl(['ts', '-verify', '-data', t.path('data.bin'), '-token_in', '-in', t.path('tok.der'), '-CAfile', t.path('ca/ca.pem')]);
    assert.equal(o.status, 0, o.stdout + o.stderr);
    // wrong method / type
    assert.equal((await fetch(url)).status, 405);
    assert.equal((await fetch(url, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })).status, 415);
  } finally {
    child.kill('SIGTERM');
  }
});
