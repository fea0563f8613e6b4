/** GM/T 0031-2025 (V5): the optional SESeal `[0]` timestamp over the maker's signature value — built, verified, reported. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesEqual, createSigner, generateKeyPair, isYzError, sm3 } from '@yinzhang/gm';
import { Tsa, createTimestampRequest, issueCertificate } from '@yinzhang/pki';
import {
  buildSeal, buildSesSignature, parseSeal, toSignatureReport, verifySeal, verifySealFile, verifySesSignature, type BuildSealOptions,
} from '../src/index.js';
import { PNG_1x1, fixture } from './helpers.js';

const notBefore = new Date('2024-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');
const made = new Date('2024-02-01T00:00:00Z');
const genTime = new Date('2024-02-01T00:00:09Z');
const AT = new Date('2025-06-01T00:00:00Z');

/** Root, seal maker, signer and a TSA, all SM2, the TSA answering at genTime. */
async function pki() {
  const rootSigner = createSigner(generateKeyPair('sm2'));
  const root = await issueCertificate({ profile: 'root', subject: 'CN=TS Root,O=yinzhang,C=CN', issuer: { signer: rootSigner }, notBefore, notAfter });
  const issue = async (profile: 'signer' | 'seal-maker' | 'tsa', cn: string) => {
    const key = generateKeyPair('sm2');
    const cert = await issueCertificate({ profile, subject: `CN=${cn},O=yinzhang,C=CN`, publicKey: key.publicKey, issuer: { certificate: root, signer: rootSigner }, notBefore, notAfter });
    return { signer: createSigner(key), cert };
  };
  const maker = await issue('seal-maker', 'Maker');
  const signer = await issue('signer', 'Signer');
  const tsaId = await issue('tsa', 'TSA');
  const tsa = new Tsa({ certificate: tsaId.cert, signer: tsaId.signer, now: () => genTime });
  const stamp = (data: Uint8Array) => tsa.issueToken(createTimestampRequest({ data, hashAlgorithm: 'sm3' }));
  return { root, maker, signer, stamp };
}

type Pki = Awaited<ReturnType<typeof pki>>;

function sealOptions(p: Pki, over: Partial<BuildSealOptions> = {}): BuildSealOptions {
  return {
    version: 5, vid: 'yinzhang', esID: 'V5-TS-1', type: 2, name: '合同专用章', signerCertificates: [p.signer.cert.der],
    createDate: made, validStart: made, validEnd: new Date('2028-01-01T00:00:00Z'),
    picture: { type: 'PNG', data: PNG_1x1, widthMm: 40, heightMm: 40 }, maker: { signer: p.maker.signer, certificate: p.maker.cert.der },
    ...over,
  };
}

function timestampMessages(r: { messages: { code: string; en: string }[] }) {
  return r.messages.filter((m) => m.code === 'TIMESTAMP_INVALID' && m.en.includes('SESeal [0]'));
}

test('V5 seal built with a TSA callback: the token is over signedValue, verifies, and passes the timestamp check', async () => {
  const p = await pki();
  let stampedOver: Uint8Array | undefined;
  const der = await buildSeal(sealOptions(p, { timestamp: (v) => ((stampedOver = v), p.stamp(v)) }));
  const seal = parseSeal(der);
  assert.equal(seal.version, 5);
  assert.deepEqual(seal.notes, []);
  assert.ok(seal.timeStamp && seal.timeStamp.length > 100, 'a real token is embedded');
  assert.ok(stampedOver && bytesEqual(stampedOver, seal.signedValue), 'the callback is given the maker signature value');

  const r = await verifySeal(seal, { at: AT, trustAnchors: [p.root.der] });
  assert.equal(r.checks.sealSignature, 'passed');
  assert.equal(r.checks.timestamp, 'passed', JSON.stringify(r.messages));
  assert.equal(r.sealTimestampTime, genTime.toISOString());
  assert.deepEqual(timestampMessages(r), []);
  assert.equal(r.checks.certificateChain, 'passed');
  assert.equal(toSignatureReport('seal', r).indication, 'TOTAL_PASSED');

  // The same through the report of a bare seal file (verification-report.md shape).
  const report = await verifySealFile(der, { name: 'v5-ts.esl', at: AT, trustAnchors: [p.root.der] });
  assert.equal(report.signatures[0]!.checks.timestamp, 'passed');
  assert.equal(report.signatures[0]!.structure, 'GM/T 0031-2025');
});

test('a genuine token over other bytes fails the timestamp check (imprint) and the seal, the maker signature still passes', async () => {
  const p = await pki();
  const other = await buildSeal(sealOptions(p, { timestamp: p.stamp }));
  const foreignToken = parseSeal(other).timeStamp!;
  for (const der of [
    // Over arbitrary data.
    await buildSeal(sealOptions(p, { timestamp: () => p.stamp(Uint8Array.of(1, 2, 3)) })),
    // Lifted from another seal of the same maker: a real token over that seal's signature value.
    await buildSeal(sealOptions(p, { timeStamp: foreignToken })),
    // Over the SES_SealInfo instead of the signature value.
    await buildSeal(sealOptions(p, { timestamp: async () => p.stamp(parseSeal(other).raw.sealInfo) })),
  ]) {
    const r = await verifySeal(der, { at: AT, trustAnchors: [p.root.der] });
    assert.equal(r.checks.sealSignature, 'passed');
    assert.equal(r.checks.timestamp, 'failed');
    assert.equal(r.sealTimestampTime, undefined);
    const msgs = timestampMessages(r);
    assert.equal(msgs.length, 1, JSON.stringify(r.messages));
    assert.match(msgs[0]!.en, /imprint/);
    const rep = toSignatureReport('seal', r);
    assert.equal(rep.indication, 'TOTAL_FAILED');
    assert.equal(rep.subIndication, 'TIMESTAMP_FAILURE');
  }
});

test('a garbage seal timestamp gives a failed check with the typed error in the message, never an exception', async () => {
  const p = await pki();
  for (const garbage of [Uint8Array.of(1, 2, 3), Uint8Array.of(0x30, 0x00), Uint8Array.of(0x30, 0x03, 0x06, 0x01, 0x00), new Uint8Array(64).fill(0xff)]) {
    const r = await verifySeal(await buildSeal(sealOptions(p, { timeStamp: garbage })), { at: AT });
    assert.equal(r.checks.format, 'passed');
    assert.equal(r.checks.sealSignature, 'passed');
    assert.equal(r.checks.timestamp, 'failed');
    const msgs = timestampMessages(r);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0]!.en, /(TIMESTAMP|CMS|DER)_MALFORMED/, msgs[0]!.en);
  }
  // ofdrw's UserV5_ts.esl carries the dummy value 010203 (MANIFEST): the maker signature is fine, the timestamp is not.
  const r = await verifySeal(fixture('UserV5_ts.esl'), { at: new Date('2027-01-01T00:00:00Z') });
  assert.equal(r.checks.sealSignature, 'passed');
  assert.equal(r.checks.timestamp, 'failed');
  assert.equal(timestampMessages(r).length, 1);
  // Without a timestamp there is nothing to check.
  assert.equal((await verifySeal(fixture('UserV5.esl'))).checks.timestamp, 'not-applicable');
});

test('a caller-supplied verifyTimestamp is given the seal token and signedValue', async () => {
  const p = await pki();
  const seal = parseSeal(await buildSeal(sealOptions(p, { timeStamp: Uint8Array.of(0xaa) })));
  const seen: Uint8Array[][] = [];
  const r = await verifySeal(seal, { at: AT, verifyTimestamp: async (t, v) => (seen.push([t, v]), new Date('2024-02-02T00:00:00Z')) });
  assert.equal(seen.length, 1);
  assert.ok(bytesEqual(seen[0]![0]!, Uint8Array.of(0xaa)) && bytesEqual(seen[0]![1]!, seal.signedValue));
  assert.equal(r.checks.timestamp, 'passed');
  assert.equal(r.sealTimestampTime, '2024-02-02T00:00:00.000Z');
  const refused = await verifySeal(seal, { at: AT, verifyTimestamp: async () => undefined });
  assert.equal(refused.checks.timestamp, 'failed');
});

test('a seal signature carrying a timestamped V5 seal: the seal timestamp joins the timestamp check', async () => {
  const p = await pki();
  const dataHash = sm3(new TextEncoder().encode('<Signature/>'));
  const common = { dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signer: p.signer.signer, certificate: p.signer.cert.der, timeInfo: new Date('2025-06-01T00:00:00Z') };
  const good = await buildSeal(sealOptions(p, { timestamp: p.stamp }));
  const bad = await buildSeal(sealOptions(p, { timestamp: () => p.stamp(Uint8Array.of(9)) }));

  // Seal timestamp only: passed, but the signing time stays the claimed one.
  const r1 = await verifySesSignature(await buildSesSignature({ ...common, seal: good }), { expectedDataHash: dataHash, trustAnchors: [p.root.der] });
  assert.equal(r1.checks.timestamp, 'passed', JSON.stringify(r1.messages));
  assert.equal(r1.signingTimeSource, 'claimed');
  assert.equal(r1.sealTimestampTime, genTime.toISOString());
  r1.checks.coverage = 'passed';
  assert.equal(toSignatureReport('s', r1).indication, 'TOTAL_PASSED');

  // Both timestamps good.
  const r2 = await verifySesSignature(await buildSesSignature({ ...common, seal: good, timestamp: p.stamp }), { trustAnchors: [p.root.der] });
  assert.equal(r2.checks.timestamp, 'passed');
  assert.equal(r2.signingTimeSource, 'timestamp');

  // A good signature timestamp does not hide a bad seal timestamp.
  const r3 = await verifySesSignature(await buildSesSignature({ ...common, seal: bad, timestamp: p.stamp }), { expectedDataHash: dataHash, trustAnchors: [p.root.der] });
  assert.equal(r3.checks.signatureValue, 'passed');
  assert.equal(r3.checks.sealSignature, 'passed');
  assert.equal(r3.signingTimeSource, 'timestamp');
  assert.equal(r3.checks.timestamp, 'failed');
  assert.equal(timestampMessages(r3).length, 1);
  r3.checks.coverage = 'passed';
  assert.equal(toSignatureReport('s', r3).subIndication, 'TIMESTAMP_FAILURE');
});

test('the builder refuses a timestamp on V1/V4 seals and both a token and a callback', async () => {
  const p = await pki();
  for (const version of [1, 4] as const) {
    await assert.rejects(buildSeal(sealOptions(p, { version, timestamp: p.stamp })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
  }
  await assert.rejects(buildSeal(sealOptions(p, { timeStamp: Uint8Array.of(1), timestamp: p.stamp })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
  await assert.rejects(buildSeal(sealOptions(p, { timestamp: async () => new Uint8Array(0) })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
});
