import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSigner, createVerifier, fromHex, generateKeyPair, isYzError, pemEncode, toHex, utf8 } from '@yinzhang/gm';
import { parseCertificate, parseCertificates, parsePkcs12, verifyCertificateSignature, buildName, parseNameString, issueCertificate, issueCrl, parseCrl } from '../src/index.js';
import { rc2DecryptBlock } from '../src/rc2.js';
import { OFDRW, ofdrw, openssl, tempDir } from './helpers.js';

test('ofdrw sign_cert.pem parses like openssl reads it', () => {
  const pem = readFileSync(OFDRW + 'sign_cert.pem', 'utf8');
  const c = parseCertificate(pem);
  const o = openssl(['x509', '-in', OFDRW + 'sign_cert.pem', '-noout', '-serial', '-subject', '-startdate', '-enddate', '-nameopt', 'RFC2253']).stdout;
  assert.match(o, new RegExp(`serial=${c.serialHex.toUpperCase()}`));
  assert.match(o, new RegExp(`subject=${c.subject.toString().replace(/[&]/g, '.')}`));
  assert.equal(new Date(/notBefore=(.*)/.exec(o)![1]!).getTime(), c.notBefore.getTime());
  assert.equal(new Date(/notAfter=(.*)/.exec(o)![1]!).getTime(), c.notAfter.getTime());
  assert.equal(c.keyAlgorithm, 'sm2');
  assert.equal(c.version, 3);
  assert.deepEqual(c.basicConstraints, { ca: false });
  // DER input gives the same certificate, and der/tbs are the bytes received
  const der = openssl(['x509', '-in', OFDRW + 'sign_cert.pem', '-outform', 'DER']).raw;
  const d = parseCertificate(der);
  assert.equal(toHex(d.der), toHex(der));
  assert.equal(toHex(d.tbs), toHex(c.tbs));
});

test('ofdrw PKCS#12 files open (BER, SHA-1 3DES + RC2-40) and chain to ROOT', async () => {
  const root = parsePkcs12(ofdrw('ROOT.p12'), '123456');
  assert.equal(root.privateKey.type, 'sm2-private');
  assert.ok(await verifyCertificateSignature(root.certificate, root.certificate), 'root is self-signed');
  for (const f of ['USER.p12', 'SealBuilder.p12']) {
    const p = parsePkcs12(ofdrw(f), '777777');
    assert.ok(await verifyCertificateSignature(p.certificate, root.certificate), `${f} signed by ROOT`);
    assert.equal(await verifyCertificateSignature(p.certificate, p.certificate), false);
    // the key belongs to the certificate
    const sig = await createSigner(p.privateKey).sign(utf8('x'));
    const { importPublicKey } = await import('@yinzhang/gm');
    assert.ok(await createVerifier(importPublicKey(p.certificate.spki)).verify(utf8('x'), sig));
  }
  const sign = parseCertificate(ofdrw('sign_cert.pem'));
  assert.ok(await verifyCertificateSignature(sign, root.certificate));
});

test('PKCS#12 wrong password, garbage and truncation give typed errors', () => {
  const p12 = ofdrw('USER.p12');
  assert.throws(() => parsePkcs12(p12, 'wrong'), (e) => isYzError(e, 'PKCS12_BAD_PASSWORD'));
  assert.throws(() => parsePkcs12(p12.subarray(0, 500), '777777'), (e) => isYzError(e, 'PKCS12_MALFORMED'));
  assert.throws(() => parsePkcs12(utf8('hello world'), '777777'), (e) => isYzError(e, 'PKCS12_MALFORMED'));
});

test('PKCS#12 written by openssl (PBES2/AES, and legacy) with P-256 and RSA keys', () => {
  const t = tempDir();
  for (const alg of [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['-newkey', 'rsa:2048']]) {
    assert.equal(openssl(['req', '-x509', ...alg, '-nodes', '-keyout', t.path('k.pem'), '-out', t.path('c.pem'), '-subj', '/C=CN/O=Org/CN=Test', '-days', '1']).status, 0);
    for (const legacy of [[], ['-legacy']]) {
      const r = openssl(['pkcs12', '-export', ...legacy, '-inkey', t.path('k.pem'), '-in', t.path('c.pem'), '-passout', 'pass:pw', '-out', t.path('x.p12')]);
      if (r.status !== 0 && legacy.length) continue; // legacy provider may be missing
      assert.equal(r.status, 0, r.stderr);
      const p = parsePkcs12(t.read('x.p12'), 'pw');
      assert.equal(p.certificate.subject.toString(), 'CN=Test,O=Org,C=CN');
      assert.equal(toHex(p.certificate.der), toHex(parseCertificate(t.read('c.pem')).der));
    }
  }
});

test('RC2 decryption matches RFC 2268 test vectors', () => {
  assert.equal(toHex(rc2DecryptBlock(fromHex('0000000000000000'), 63, fromHex('ebb773f993278eff'))), '0000000000000000');
  assert.equal(toHex(rc2DecryptBlock(fromHex('ffffffffffffffff'), 64, fromHex('278b27e42e2f0d49'))), 'ffffffffffffffff');
  assert.equal(toHex(rc2DecryptBlock(fromHex('3000000000000000'), 64, fromHex('30649edf9be7d2c2'))), '1000000000000001');
  assert.equal(toHex(rc2DecryptBlock(fromHex('88bca90e90875a7f0f79c384627bafb2'), 128, fromHex('2269552ab0f85ca6'))), '0000000000000000');
});

test('garbage, truncated and non-certificate input → CERT_MALFORMED / PEM_MALFORMED', () => {
  const der = parseCertificate(ofdrw('sign_cert.pem')).der;
  for (let cut = 1; cut < der.length; cut += 37) {
    assert.throws(() => parseCertificate(der.subarray(0, cut)), (e) => isYzError(e, 'CERT_MALFORMED'), `cut ${cut}`);
  }
  assert.throws(() => parseCertificate(utf8('not a certificate at all!')), (e) => isYzError(e, 'CERT_MALFORMED'));
  assert.throws(() => parseCertificate(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)), (e) => isYzError(e, 'CERT_MALFORMED'));
  assert.throws(() => parseCertificate(new Uint8Array(0)), (e) => isYzError(e, 'CERT_MALFORMED'));
  assert.throws(() => parseCertificate(pemEncode('PUBLIC KEY', Uint8Array.of(1, 2))), (e) => isYzError(e, 'PEM_MALFORMED'));
  // flipping bytes never crashes: either a typed error or a certificate
  for (let i = 0; i < der.length; i += 13) {
    const m = der.slice();
    m[i] = m[i]! ^ 0xff;
    try {
      parseCertificate(m);
    } catch (e) {
      assert.ok(isYzError(e), `byte ${i}: ${String(e)}`);
    }
  }
});

test('1,000-certificate bundle parses; over the limit is LIMIT_EXCEEDED', () => {
  const pem = readFileSync(OFDRW + 'sign_cert.pem', 'utf8');
  const bundle = pem.repeat(1000);
  const t0 = Date.now();
  assert.equal(parseCertificates(bundle).length, 1000);
  assert.ok(Date.now() - t0 < 5000);
  assert.throws(() => parseCertificates(bundle, 999), (e) => isYzError(e, 'LIMIT_EXCEEDED'));
});

test('names: string form round-trips, DER order is C first', () => {
  const n = buildName('CN=张三,OU=Seal,O=Acme\\, Inc.,C=CN');
  assert.equal(n.toString(), 'CN=张三,OU=Seal,O=Acme\\, Inc.,C=CN');
  assert.equal(n.rdns[0]!.value, 'CN');
  assert.deepEqual(parseNameString('/C=CN/O=x/CN=y').map((a) => a.value), ['CN', 'x', 'y']);
  assert.throws(() => parseNameString('CN'), (e) => isYzError(e, 'NAME_MALFORMED'));
  assert.throws(() => parseNameString('XX=1'), (e) => isYzError(e, 'NAME_MALFORMED'));
  assert.throws(() => parseNameString('C=China'), (e) => isYzError(e, 'NAME_MALFORMED'));
});

test('a non-zero unused-bits count in the signature BIT STRING is refused (certificate and CRL)', async () => {
  const der = new Uint8Array(openssl(['x509', '-in', OFDRW + 'sign_cert.pem', '-outform', 'DER']).raw);
  const c = parseCertificate(der);
  // The signature BIT STRING's content starts right after its header: find it as the last top-level child.
  const sigStart = der.length - c.signatureValue.length - 1;
  assert.equal(der[sigStart], 0);
  const tampered = der.slice();
  tampered[sigStart] = 1;
  assert.throws(() => parseCertificate(tampered), (e: unknown) => isYzError(e, 'CERT_MALFORMED'));

  const signer = createSigner(generateKeyPair('p256'));
  const root = await issueCertificate({ profile: 'root', subject: 'CN=unused-bits test,C=CN', issuer: { signer }, days: 1 });
  const crl = await issueCrl({ issuer: { certificate: root, signer }, nextUpdate: new Date(Date.now() + 86_400_000), crlNumber: 1n, revoked: [] });
  const crlStart = crl.der.length - crl.signatureValue.length - 1;
  assert.equal(crl.der[crlStart], 0);
  const badCrl = crl.der.slice();
  badCrl[crlStart] = 3;
  assert.throws(() => parseCrl(badCrl), (e: unknown) => isYzError(e, 'CRL_MALFORMED'));
});
