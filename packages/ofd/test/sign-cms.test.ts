import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner, generateKeyPair, toBase64, toHex } from '@yinzhang/gm';
import { issueCertificate } from '@yinzhang/pki';
import { parseSesSignature } from '@yinzhang/ses';
import { OfdPackage, createOfd, signOfdWithCms, signOfdWithSeal, verifyOfd } from '../src/index.js';
import { flipByte, tempDir } from './helpers.js';
import { testPki } from './pki.js';

test('Type="Sign": GB/T 35275 detached SignedData over Signature.xml, two in a row, verified; tampering caught', async () => {
  const pki = await testPki();
  let ofd = createOfd({ pages: ['a', 'b'] });
  for (let i = 0; i < 2; i++) ofd = (await signOfdWithCms(ofd, { signer: pki.signers[i]!.signer, certificate: pki.signers[i]!.cert.der })).ofd;
  const rep = await verifyOfd(ofd, { trustAnchors: [pki.root.cert.der] });
  assert.deepEqual(rep.signatures.map((s) => [s.kind, s.structure, s.indication]), [['sign', 'GB/T 35275', 'TOTAL_PASSED'], ['sign', 'GB/T 35275', 'TOTAL_PASSED']]);
  const pkg = OfdPackage.open(ofd);
  const sv = pkg.read('Doc_0/Signs/Sign_0/SignedValue.dat');
  // GB/T 35275 signedData OID 1.2.156.10197.6.1.4.2.2 as the outer content type.
  assert.ok(toHex(sv).includes('060a2a811ccf550601040202'), 'GB/T 35275 OID');
  const t = await verifyOfd(flipByte(ofd, 'Doc_0/Signs/Sign_1/Signature.xml', (n) => n - 40), { trustAnchors: [pki.root.cert.der] });
  assert.equal(t.signatures[1]!.indication, 'TOTAL_FAILED');
});

test('openssl verifies our detached SignedData (P-256 signer, RFC 5652 OIDs) and our SM3 digests', async () => {
  const pki = await testPki();
  const key = generateKeyPair('p256');
  const cert = await issueCertificate({ profile: 'signer', subject: 'CN=p256 signer,C=CN', publicKey: key.publicKey, issuer: { certificate: pki.root.cert, signer: pki.root.signer }, days: 30 });
  const r = await signOfdWithCms(createOfd({ pages: ['x'] }), { signer: createSigner(key), certificate: cert.der });
  const pkg = OfdPackage.open(r.ofd);
  const dir = tempDir();
  writeFileSync(join(dir, 'sig.xml'), pkg.read(r.signaturePath));
  writeFileSync(join(dir, 'sv.der'), pkg.read('Doc_0/Signs/Sign_0/SignedValue.dat'));
  const v = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sv.der'), '-content', join(dir, 'sig.xml'), '-noverify', '-out', '/dev/null'], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stderr, /Verification successful/);

  // Seal signature: dataHash and every CheckValue equal openssl's SM3 of the raw parts.
  const s = await signOfdWithSeal(createOfd({ pages: ['y'] }), { seal: pki.seals[0]!, signer: pki.signers[0]!.signer, certificate: pki.signers[0]!.cert.der });
  const p2 = OfdPackage.open(s.ofd);
  const sm3 = (data: Uint8Array) => {
    const f = join(dir, 'part');
    writeFileSync(f, data);
    const o = spawnSync('openssl', ['dgst', '-sm3', '-binary', f]);
    assert.equal(o.status, 0);
    return new Uint8Array(o.stdout);
  };
  const ses = parseSesSignature(p2.read('Doc_0/Signs/Sign_0/SignedValue.dat'));
  assert.equal(toHex(ses.tbs.dataHash), toHex(sm3(p2.read(s.signaturePath))));
  assert.equal(ses.tbs.propertyInfo, '/Doc_0/Signs/Sign_0/Signature.xml');
  for (const ref of p2.signature(s.signaturePath).references) assert.equal(ref.checkValue, toBase64(sm3(p2.read(ref.path!))), ref.fileRef);
  // And openssl verifies the SM2 signature over TBS_Sign and the seal maker's over SES_SealInfo (default SM2 ID).
  const sm2Check = (name: string, certDer: Uint8Array, data: Uint8Array, sig: Uint8Array) => {
    writeFileSync(join(dir, `${name}.cert`), certDer);
    writeFileSync(join(dir, `${name}.data`), data);
    writeFileSync(join(dir, `${name}.sig`), sig);
    assert.equal(spawnSync('openssl', ['x509', '-inform', 'DER', '-in', join(dir, `${name}.cert`), '-pubkey', '-noout', '-out', join(dir, `${name}.pub`)]).status, 0);
    const o = spawnSync('openssl', ['dgst', '-sm3', '-verify', join(dir, `${name}.pub`), '-signature', join(dir, `${name}.sig`), '-sigopt', 'distid:1234567812345678', join(dir, `${name}.data`)], { encoding: 'utf8' });
    assert.match(o.stdout, /Verified OK/, `${name}: ${o.stdout}${o.stderr}`);
  };
  sm2Check('tbs', ses.signerCert, ses.raw.tbs, ses.signature);
  sm2Check('seal', ses.tbs.eseal.makerCert, ses.tbs.eseal.raw.makerSigned, ses.tbs.eseal.signedValue);
});

test('RFC 3161 timestamps: the signing time comes from the token (Type="Seal" and Type="Sign"); a broken token fails', async () => {
  const { Tsa, createTimestampRequest } = await import('@yinzhang/pki');
  const pki = await testPki();
  const key = generateKeyPair('sm2');
  const cert = await issueCertificate({ profile: 'tsa', subject: 'CN=test TSA,C=CN', publicKey: key.publicKey, issuer: { certificate: pki.root.cert, signer: pki.root.signer }, days: 30 });
  const tsa = new Tsa({ certificate: cert, signer: createSigner(key) });
  const timestamp = (sv: Uint8Array) => tsa.issueToken(createTimestampRequest({ data: sv, certReq: true }));
  const s = pki.signers[0]!;
  const sealed = (await signOfdWithSeal(createOfd({ pages: ['x'] }), { seal: pki.seals[0]!, signer: s.signer, certificate: s.cert.der, timestamp })).ofd;
  const signedCms = (await signOfdWithCms(createOfd({ pages: ['y'] }), { signer: s.signer, certificate: s.cert.der, timestamp })).ofd;
  for (const ofd of [sealed, signedCms]) {
    const r = (await verifyOfd(ofd, { trustAnchors: [pki.root.cert.der] })).signatures[0]!;
    assert.equal(r.checks.timestamp, 'passed', JSON.stringify(r.messages));
    assert.equal(r.signingTimeSource, 'timestamp');
    assert.equal(r.indication, 'TOTAL_PASSED');
  }
  // The SES timestamp sits at the end of SignedValue.dat: one flipped byte inside it fails the timestamp check.
  const broken = (await verifyOfd(flipByte(sealed, 'Doc_0/Signs/Sign_0/SignedValue.dat', (n) => n - 3), { trustAnchors: [pki.root.cert.der] })).signatures[0]!;
  assert.equal(broken.checks.timestamp, 'failed');
  assert.equal(broken.indication, 'TOTAL_FAILED');
});
