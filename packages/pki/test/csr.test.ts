import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSigner, generateKeyPair, isYzError, type KeygenAlgorithm } from '@yinzhang/gm';
import { createCsr, csrToPem, issueCertificate, parseCsr, verifyCsr, verifyCertificateSignature } from '../src/index.js';
import { openssl, tempDir } from './helpers.js';

for (const alg of ['sm2', 'p256', 'rsa2048'] as KeygenAlgorithm[]) {
  test(`${alg}: our CSR passes openssl req -verify; a CA certifies the key in it`, async () => {
    const t = tempDir();
    const key = generateKeyPair(alg);
    const der = await createCsr({ subject: 'CN=申请人,O=Org,C=CN', signer: createSigner(key) });
    t.write('r.pem', csrToPem(der));
    const r = openssl(['req', '-in', t.path('r.pem'), '-verify', '-noout', ...(alg === 'sm2' ? ['-vfyopt', 'distid:1234567812345678'] : [])]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const csr = parseCsr(csrToPem(der));
    assert.equal(csr.subject.toString(), 'CN=申请人,O=Org,C=CN');
    assert.ok(await verifyCsr(csr));
    const rootKey = generateKeyPair(alg);
    const root = await issueCertificate({ profile: 'root', subject: 'CN=R', issuer: { signer: createSigner(rootKey) } });
    const cert = await issueCertificate({ profile: 'signer', subject: csr.subject, publicKey: csr.spki, issuer: { certificate: root, signer: createSigner(rootKey) } });
    assert.ok(await verifyCertificateSignature(cert, root));
    // a request whose signature does not match its key
    const m = der.slice();
    m[m.length - 3] = m[m.length - 3]! ^ 1;
    assert.equal(await verifyCsr(parseCsr(m)), false);
  });
}

test('openssl-made SM2 and P-256 requests parse and verify; garbage is CERT_MALFORMED', async () => {
  const t = tempDir();
  for (const curve of ['SM2', 'prime256v1']) {
    assert.equal(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', t.path('k.pem')]).status, 0);
    const args = ['req', '-new', '-key', t.path('k.pem'), '-subj', '/C=CN/CN=openssl', '-out', t.path('r.pem')];
    assert.equal(openssl(curve === 'SM2' ? [...args, '-sm3', '-sigopt', 'distid:1234567812345678'] : args).status, 0);
    const csr = parseCsr(t.read('r.pem'));
    assert.equal(csr.keyAlgorithm, curve === 'SM2' ? 'sm2' : 'p256');
    assert.ok(await verifyCsr(csr), curve);
  }
  assert.throws(() => parseCsr(Uint8Array.of(0x30, 0x02, 0x05, 0x00)), (e) => isYzError(e, 'CERT_MALFORMED'));
  assert.throws(() => parseCsr('nothing'), (e) => isYzError(e, 'PEM_MALFORMED'));
});
