import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSigner, generateKeyPair, type KeygenAlgorithm } from '@yinzhang/gm';
import {
  CertificateAuthority, DirectoryCaStore, certificateToPem, crlToPem, parseCertificate, parseCrl, validateCertificate, issueCertificate, issueCrl,
} from '../src/index.js';
import { openssl, tempDir } from './helpers.js';

const SM2_OPT = ['-vfyopt', 'distid:1234567812345678'];

for (const alg of ['sm2', 'p256', 'rsa2048'] as KeygenAlgorithm[]) {
  test(`${alg}: CA chain accepted by openssl verify, revocation seen with -crl_check`, async () => {
    const t = tempDir();
    const store = new DirectoryCaStore(t.path('ca'));
    const caKey = generateKeyPair(alg);
    const ca = await CertificateAuthority.init({ store, signer: createSigner(caKey), subject: `CN=Test Root ${alg},O=Yinzhang,C=CN`, settings: { crlDistributionPoints: ['http://127.0.0.1/ca.crl'] } });
    store.saveCaKey(caKey);
    const leafKey = generateKeyPair(alg);
    const leaf = await ca.issue({ profile: 'signer', subject: 'CN=张三,O=某某公司,C=CN', publicKey: leafKey.publicKey, organizationCode: '91350100M000100Y43' });
    const tsa = await ca.issue({ profile: 'tsa', subject: 'CN=TSA,O=Yinzhang,C=CN', publicKey: generateKeyPair(alg).publicKey });
    t.write('root.pem', certificateToPem(ca.certificate));
    t.write('leaf.pem', certificateToPem(leaf));
    t.write('tsa.pem', certificateToPem(tsa));
    const opt = alg === 'sm2' ? SM2_OPT : [];
    let r = openssl(['verify', ...opt, '-CAfile', t.path('root.pem'), t.path('leaf.pem')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    r = openssl(['verify', ...opt, '-purpose', 'timestampsign', '-CAfile', t.path('root.pem'), t.path('tsa.pem')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // openssl reads our extensions the same way
    const text = openssl(['x509', '-in', t.path('leaf.pem'), '-noout', '-text']).stdout;
    assert.match(text, /Digital Signature, Non Repudiation/);
    assert.match(text, /CA:FALSE/);
    assert.match(text, /URI:http:\/\/127\.0\.0\.1\/ca\.crl/);
    assert.equal(leaf.serialNumber.length, 16);
    assert.equal(leaf.organizationCode, '91350100M000100Y43');
    // our validator agrees
    let v = await validateCertificate({ cert: leaf, trustAnchors: [ca.certificate], purpose: 'signer' });
    assert.deepEqual(v.reasons, []);
    assert.equal(v.chain.length, 2);

    // CRL before revocation: fine
    const crl1 = await ca.issueCrl();
    t.write('crl1.pem', crlToPem(crl1));
    if (alg === 'sm2') {
      // our standard-ID SM2 CRL is what OpenSSL 3.0 cannot check (documented limitation of openssl, not of the CRL)
      const o = openssl(['verify', ...opt, '-crl_check', '-CRLfile', t.path('crl1.pem'), '-CAfile', t.path('root.pem'), t.path('leaf.pem')]);
      assert.match(o.stdout + o.stderr, /CRL signature failure/);
      const ours = await validateCertificate({ cert: leaf, trustAnchors: [ca.certificate], crls: [crl1] });
      assert.deepEqual(ours.reasons, []);
      assert.equal(ours.revocation.status, 'good');
      t.write('crl1.pem', crlToPem(await issueCrl({ issuer: { certificate: ca.certificate, signer: createSigner(caKey, { sm2Id: '' }) }, nextUpdate: crl1.nextUpdate!, crlNumber: 1, revoked: [] })));
    }
    r = openssl(['verify', ...opt, '-crl_check', '-CRLfile', t.path('crl1.pem'), '-CAfile', t.path('root.pem'), t.path('leaf.pem')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);

    await ca.revoke(leaf.serialHex, 'keyCompromise');
    const crl2 = await ca.issueCrl();
    assert.equal(crl2.crlNumber, 2n);
    // OpenSSL 3.0 checks SM2 CRL signatures with an empty ID only, so for openssl we sign a copy that way.
    const forOpenssl = alg === 'sm2' ? await issueCrl({ issuer: { certificate: ca.certificate, signer: createSigner(caKey, { sm2Id: '' }) }, nextUpdate: crl2.nextUpdate!, crlNumber: 3, revoked: [...crl2.revoked.values()] }) : crl2;
    t.write('crl2.pem', crlToPem(forOpenssl));
    r = openssl(['verify', ...opt, '-crl_check', '-CRLfile', t.path('crl2.pem'), '-CAfile', t.path('root.pem'), t.path('leaf.pem')]);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /certificate revoked/);
    assert.match(openssl(['crl', '-in', t.path('crl2.pem'), '-noout', '-text']).stdout, /Key Compromise/);
    v = await validateCertificate({ cert: leaf, trustAnchors: [ca.certificate], crls: [parseCrl(crl2.der)], purpose: 'signer' });
    assert.equal(v.valid, false);
    assert.deepEqual(v.reasons.map((x) => x.code), ['REVOKED']);
    assert.equal(v.revocation.status, 'revoked');
    assert.equal(v.revocation.reason, 'keyCompromise');
    // re-open from the directory
    const again = await CertificateAuthority.open(store, store.loadCaSigner());
    assert.equal(again.certificate.serialHex, ca.certificate.serialHex);
    assert.equal((await store.listRevocations()).length, 1);
  });
}

test('openssl-made chains validate with our validator (SM2 and P-256)', async () => {
  const t = tempDir();
  for (const curve of ['SM2', 'prime256v1']) {
    assert.equal(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', t.path('ca.key')]).status, 0);
    assert.equal(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', t.path('l.key')]).status, 0);
    const sm = curve === 'SM2' ? ['-sm3', '-sigopt', 'distid:1234567812345678'] : ['-sha256'];
    assert.equal(openssl(['req', '-x509', '-key', t.path('ca.key'), ...sm, '-out', t.path('ca.pem'), '-subj', '/C=CN/CN=OpenSSL CA', '-days', '10', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']).status, 0);
    assert.equal(openssl(['req', '-new', '-key', t.path('l.key'), ...sm, '-out', t.path('l.csr'), '-subj', '/C=CN/CN=Leaf']).status, 0);
    const r = openssl(['x509', '-req', '-in', t.path('l.csr'), '-CA', t.path('ca.pem'), '-CAkey', t.path('ca.key'), '-CAcreateserial', ...(curve === 'SM2' ? ['-sm3', '-sigopt', 'distid:1234567812345678', '-vfyopt', 'distid:1234567812345678'] : []), '-out', t.path('l.pem'), '-days', '5']);
    assert.equal(r.status, 0, r.stderr);
    const v = await validateCertificate({ cert: parseCertificate(t.read('l.pem')), trustAnchors: [parseCertificate(t.read('ca.pem'))] });
    assert.deepEqual(v.reasons.map((x) => x.message), [], curve);
  }
});

test('issuing refuses nonsense', async () => {
  const k = generateKeyPair('sm2');
  await assert.rejects(issueCertificate({ profile: 'signer', subject: 'CN=x', publicKey: k.publicKey, issuer: { signer: createSigner(k) } }), /needs an issuer/);
  await assert.rejects(issueCertificate({ profile: 'root', subject: 'CN=x', publicKey: generateKeyPair('sm2').publicKey, issuer: { signer: createSigner(k) } }), /must certify the signing key/);
  await assert.rejects(issueCertificate({ profile: 'root', subject: 'CN=x', issuer: { signer: createSigner(k) }, days: 0 }), /validity/);
});
