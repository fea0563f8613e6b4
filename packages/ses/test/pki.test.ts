/** Seals and seal signatures under a PKI of our own (pki issuing): chains, key usage, revocation, non-SM2 signers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSigner, generateKeyPair, sm3, type KeygenAlgorithm } from '@yinzhang/gm';
import { Tsa, createTimestampRequest, issueCertificate, issueCrl, type Certificate } from '@yinzhang/pki';
import { buildSeal, buildSesSignature, parseSesSignature, toSignatureReport, verifySesSignature } from '../src/index.js';
import { PNG_1x1 } from './helpers.js';

const notBefore = new Date('2024-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');
const signingTime = new Date('2025-06-01T00:00:00Z');

async function pki(signerAlg: KeygenAlgorithm = 'sm2') {
  const rootKey = generateKeyPair('sm2');
  const rootSigner = createSigner(rootKey);
  const root = await issueCertificate({ profile: 'root', subject: 'CN=Test Root,O=yinzhang,C=CN', issuer: { signer: rootSigner }, notBefore, notAfter });
  const issue = async (profile: 'signer' | 'seal-maker', cn: string, alg: KeygenAlgorithm) => {
    const key = generateKeyPair(alg);
    const cert = await issueCertificate({ profile, subject: `CN=${cn},O=yinzhang,C=CN`, publicKey: key.publicKey, issuer: { certificate: root, signer: rootSigner }, notBefore, notAfter });
    return { signer: createSigner(key), cert };
  };
  return { root, rootSigner, signer: await issue('signer', 'Signer', signerAlg), maker: await issue('seal-maker', 'Maker', 'sm2') };
}

async function signWith(p: Awaited<ReturnType<typeof pki>>): Promise<{ der: Uint8Array; dataHash: Uint8Array }> {
  const seal = await buildSeal({
    vid: 'yinzhang', esID: 'PKI-TEST-1', type: 1, name: '测试章', signerCertificates: [p.signer.cert.der],
    createDate: new Date('2024-02-01T00:00:00Z'), validStart: new Date('2024-02-01T00:00:00Z'), validEnd: new Date('2028-01-01T00:00:00Z'),
    picture: { type: 'PNG', data: PNG_1x1, widthMm: 40, heightMm: 40 }, maker: { signer: p.maker.signer, certificate: p.maker.cert.der },
  });
  const dataHash = sm3(new TextEncoder().encode('<Signature/>'));
  const der = await buildSesSignature({ seal, dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signer: p.signer.signer, certificate: p.signer.cert.der, timeInfo: signingTime });
  return { der, dataHash };
}

function crl(p: Awaited<ReturnType<typeof pki>>, revoked: { cert: Certificate; at: Date }[]) {
  return issueCrl({
    issuer: { certificate: p.root, signer: p.rootSigner }, thisUpdate: new Date('2025-05-01T00:00:00Z'), nextUpdate: new Date('2025-07-01T00:00:00Z'), crlNumber: 1,
    revoked: revoked.map((r) => ({ serialHex: r.cert.serialHex, revocationDate: r.at })),
  });
}

test('our own PKI: TOTAL_PASSED with the root as trust anchor; a foreign root fails the chain', async () => {
  const p = await pki();
  const { der, dataHash } = await signWith(p);
  const r = await verifySesSignature(der, { expectedDataHash: dataHash, trustAnchors: [p.root.der] });
  assert.equal(r.checks.certificateChain, 'passed');
  r.checks.coverage = 'passed';
  const rep = toSignatureReport('s1', r);
  assert.equal(rep.indication, 'TOTAL_PASSED', JSON.stringify(r.messages));
  const other = await pki();
  const bad = await verifySesSignature(der, { trustAnchors: [other.root.der] });
  assert.equal(bad.checks.certificateChain, 'failed');
  assert.ok(bad.messages.some((m) => m.code === 'CHAIN_INVALID'));
});

test('revocation from a CRL: revoked before the (claimed) signing time fails, a CRL without the signer passes', async () => {
  const p = await pki();
  const { der, dataHash } = await signWith(p);
  const good = await verifySesSignature(der, { expectedDataHash: dataHash, trustAnchors: [p.root.der], crls: [(await crl(p, [])).der] });
  assert.equal(good.checks.revocation, 'passed');
  const revoked = await verifySesSignature(der, {
    expectedDataHash: dataHash, trustAnchors: [p.root.der], crls: [(await crl(p, [{ cert: p.signer.cert, at: new Date('2025-05-15T00:00:00Z') }])).der],
  });
  assert.equal(revoked.checks.revocation, 'failed');
  assert.equal(revoked.revokedAt, '2025-05-15T00:00:00.000Z');
  revoked.checks.coverage = 'passed';
  const rep = toSignatureReport('s1', revoked);
  assert.equal(rep.indication, 'TOTAL_FAILED');
  assert.equal(rep.subIndication, 'REVOKED');
});

test('a P-256 signer certificate works as well (algorithm from the certificate and the OID)', async () => {
  const p = await pki('p256');
  const { der, dataHash } = await signWith(p);
  const r = await verifySesSignature(der, { expectedDataHash: dataHash, trustAnchors: [p.root.der] });
  assert.equal(r.checks.signatureValue, 'passed');
  assert.equal(r.signer?.algorithm, 'ECDSA-P256-SHA256');
  assert.equal(r.checks.certificateChain, 'passed');
});

test('RFC 3161 timestamp over the signature value (pki Tsa): verified by default, gives the signing time; a foreign token fails', async () => {
  const p = await pki();
  const tsaKey = generateKeyPair('sm2');
  const tsaCert = await issueCertificate({ profile: 'tsa', subject: 'CN=TSA,O=yinzhang,C=CN', publicKey: tsaKey.publicKey, issuer: { certificate: p.root, signer: p.rootSigner }, notBefore, notAfter });
  const genTime = new Date('2025-06-01T00:00:07Z');
  const tsa = new Tsa({ certificate: tsaCert, signer: createSigner(tsaKey), now: () => genTime });
  const { der: plain } = await signWith(p);
  const seal = parseSesSignature(plain).raw.eseal;
  const dataHash = sm3(new TextEncoder().encode('<Signature/>'));
  const common = { seal, dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signer: p.signer.signer, certificate: p.signer.cert.der, timeInfo: signingTime };
  const der = await buildSesSignature({ ...common, timestamp: (v) => tsa.issueToken(createTimestampRequest({ data: v, hashAlgorithm: 'sm3' })) });
  const r = await verifySesSignature(der, { expectedDataHash: dataHash, trustAnchors: [p.root.der] });
  assert.equal(r.checks.timestamp, 'passed', JSON.stringify(r.messages));
  assert.equal(r.signingTimeSource, 'timestamp');
  assert.equal(r.signingTime, genTime.toISOString());
  r.checks.coverage = 'passed';
  assert.equal(toSignatureReport('s', r).indication, 'TOTAL_PASSED');
  // A genuine token, but over other data.
  const wrong = await buildSesSignature({ ...common, timestamp: () => tsa.issueToken(createTimestampRequest({ data: Uint8Array.of(1, 2, 3), hashAlgorithm: 'sm3' })) });
  const w = await verifySesSignature(wrong, { trustAnchors: [p.root.der] });
  assert.equal(w.checks.timestamp, 'failed');
  assert.equal(w.signingTimeSource, 'claimed');
  assert.ok(w.messages.some((m) => m.code === 'TIMESTAMP_INVALID' && /imprint/.test(m.en)));
  assert.equal(toSignatureReport('s', w).indication, 'TOTAL_FAILED');
});
