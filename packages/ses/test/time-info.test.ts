/**
 * GM/T 0031-2014 (V1) TBS_Sign.timeInfo in every form the parser accepts: the signing time must be read, shown in the
 * report and used for the seal-validity check. Vendor sample: n.ofd (iOFD, text) rewritten into the other forms — its
 * signature covers only the data hash (vendor variant), so the rewritten files still verify; plus V1 signatures we sign.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSigner, generateKeyPair, sm3 } from '@yinzhang/gm';
import {
  children, derBitString, derGeneralizedTime, derInteger, derOctetString, derSequence, derUtcTime, readSingle,
} from '@yinzhang/gm/der';
import { Tsa, createTimestampRequest, issueCertificate } from '@yinzhang/pki';
import { buildSeal, buildSesSignature, parseSesSignature, toSignatureReport, verifySesSignature } from '../src/index.js';
import { PNG_1x1, identity, ofdEntries } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const N_OFD_TIME = '2020-01-25T07:31:56.377Z';

/** The SES_Signature with TBS_Sign.timeInfo replaced by `timeInfo` (a whole TLV); re-signed when a signer is given. */
async function withTimeInfo(sesDer: Uint8Array, timeInfo: Uint8Array, resign?: (tbs: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
  const [tbs, sig] = children(readSingle(sesDer));
  const tbsDer = derSequence(...children(tbs!).map((c, i) => (i === 2 ? timeInfo : c.bytes)));
  return derSequence(tbsDer, resign ? derBitString(await resign(tbsDer)) : sig!.bytes);
}

/** A test TSA whose tokens say `genTime`. */
async function tsaAt(genTime: Date): Promise<Tsa> {
  const rootSigner = createSigner(generateKeyPair('sm2'));
  const validity = { notBefore: new Date('2010-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
  const root = await issueCertificate({ profile: 'root', subject: 'CN=Root,C=CN', issuer: { signer: rootSigner }, ...validity });
  const key = generateKeyPair('sm2');
  const cert = await issueCertificate({ profile: 'tsa', subject: 'CN=TSA,C=CN', publicKey: key.publicKey, issuer: { certificate: root, signer: rootSigner }, ...validity });
  return new Tsa({ certificate: cert, signer: createSigner(key), now: () => genTime });
}

/** The forms of one instant, as TLVs for timeInfo. `at` must have whole seconds (UTCTime). */
async function forms(at: Date): Promise<[string, Uint8Array, string][]> {
  const iso = at.toISOString();
  const beijing = new Date(at.getTime() + 8 * 3600_000).toISOString();
  const local = `${beijing.slice(0, 10)} ${beijing.slice(11, 19)}`;
  const [y, mo, d] = [Number(beijing.slice(0, 4)), Number(beijing.slice(5, 7)), Number(beijing.slice(8, 10))];
  const token = await (await tsaAt(at)).issueToken(createTimestampRequest({ data: enc('data'), hashAlgorithm: 'sm3' }));
  return [
    ['BIT STRING ⊃ DER UTCTime (BouncyCastle DERBitString(ASN1UTCTime))', derBitString(derUtcTime(at)), 'der-time'],
    ['BIT STRING ⊃ DER GeneralizedTime', derBitString(derGeneralizedTime(at)), 'der-time'],
    ['OCTET STRING ⊃ DER UTCTime', derOctetString(derUtcTime(at)), 'der-time'],
    ['BIT STRING ⊃ DER UTCTime, NUL-padded', derBitString(Uint8Array.of(...derUtcTime(at), 0, 0, 0)), 'der-time'],
    ['BIT STRING ⊃ "yyyy-MM-dd HH:mm:ss" Beijing time (ofdrw SESV1Container)', derBitString(enc(local)), 'text'],
    ['BIT STRING ⊃ "yyyy/M/d HH:mm:ss" Beijing time', derBitString(enc(`${y}/${mo}/${d} ${beijing.slice(11, 19)}`)), 'text'],
    ['BIT STRING ⊃ UTCTime digits, NUL-terminated', derBitString(Uint8Array.of(...derUtcTime(at).subarray(2), 0)), 'text'],
    ['OCTET STRING ⊃ ISO 8601 text', derOctetString(enc(iso)), 'text'],
    ['UTCTime itself', derUtcTime(at), 'time-type'],
    ['GeneralizedTime itself', derGeneralizedTime(at), 'time-type'],
    ['BIT STRING ⊃ RFC 3161 TimeStampToken', derBitString(token), 'timestamp-token'],
    ['BIT STRING ⊃ TimeStampResp', derBitString(derSequence(derSequence(derInteger(0)), token)), 'timestamp-token'],
  ];
}

const vendorSig = () => ofdEntries('n.ofd')['Doc_0/Signs/Sign_0/SignedValue.dat']!;

test('n.ofd (iOFD V1): the text timeInfo is read, reported as the signing time and used for the seal validity', async () => {
  const sig = parseSesSignature(vendorSig());
  assert.equal(sig.tbs.timeInfoForm, 'text');
  assert.equal(sig.tbs.timeInfo?.toISOString(), N_OFD_TIME);
  const r = await verifySesSignature(sig);
  assert.equal(r.signingTime, N_OFD_TIME);
  assert.equal(r.signingTimeSource, 'claimed');
  assert.ok(!r.messages.some((m) => m.code === 'SIGNING_TIME_UNREADABLE'));
  // The seal is valid 2019-12-18..2029-12-18: passed at the signing time, whatever the validation time.
  assert.equal(r.checks.sealValidity, 'passed');
  assert.equal((await verifySesSignature(sig, { at: new Date('2035-01-01T00:00:00Z') })).checks.sealValidity, 'passed');
});

test('n.ofd rewritten into every timeInfo form: the same signing time, and the seal validity follows it', async () => {
  const original = vendorSig();
  const inside = new Date('2020-01-25T07:31:56Z');
  const before = new Date('2019-06-01T00:00:00Z'); // before the seal's validStart 2019-12-18
  for (const [at, expected] of [[inside, 'passed'], [before, 'failed']] as const) {
    for (const [name, tlv, form] of await forms(at)) {
      const der = await withTimeInfo(original, tlv);
      const sig = parseSesSignature(der);
      assert.equal(sig.tbs.timeInfoForm, form, name);
      assert.equal(sig.tbs.timeInfo?.toISOString(), at.toISOString(), name);
      const r = await verifySesSignature(der, { at: new Date('2026-01-01T00:00:00Z') });
      assert.equal(r.checks.format, 'passed', name);
      // Vendor variant: the signature covers the data hash only, so it still verifies after the rewrite.
      assert.equal(r.checks.signatureValue, 'passed', name);
      assert.equal(r.signingTime, at.toISOString(), name);
      assert.equal(r.signingTimeSource, 'claimed', `${name}: a token in timeInfo is a claim, not a verified timestamp`);
      assert.equal(r.checks.sealValidity, expected, name);
      if (expected === 'failed') {
        assert.ok(r.messages.some((m) => m.code === 'SEAL_NOT_YET_VALID'), name);
        assert.equal(toSignatureReport('s', r).subIndication, 'SEAL_NOT_YET_VALID', name);
      }
    }
  }
});

test('V1 signatures we sign with each timeInfo form verify, with the time in the report and the checks', async () => {
  const user = identity('USER');
  const maker = identity('SealBuilder');
  const seal = await buildSeal({
    version: 1, vid: 'yinzhang', esID: 'V1-TI', type: 1, name: '测试章', signerCertificates: [user.certificate],
    createDate: new Date('2020-05-01T00:00:00Z'), validStart: new Date('2020-05-01T00:00:00Z'), validEnd: new Date('2022-04-01T00:00:00Z'),
    picture: { type: 'PNG', data: PNG_1x1, widthMm: 40, heightMm: 40 }, maker: { signer: maker.signer, certificate: maker.certificate },
  });
  const dataHash = sm3(enc('<Signature/>'));
  const base = await buildSesSignature({ seal, dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signer: user.signer, certificate: user.certificate, timeInfo: new Date('2021-01-01T00:00:00Z') });
  for (const [at, sealValidity] of [[new Date('2021-03-04T05:06:07Z'), 'passed'], [new Date('2023-03-04T05:06:07Z'), 'failed']] as const) {
    for (const [name, tlv, form] of await forms(at)) {
      const der = await withTimeInfo(base, tlv, (tbs) => user.signer.sign(tbs));
      const r = await verifySesSignature(der, { expectedDataHash: dataHash });
      assert.equal(parseSesSignature(der).tbs.timeInfoForm, form, name);
      assert.equal(r.checks.signatureValue, 'passed', name);
      assert.ok(!r.messages.some((m) => m.code === 'SIGNATURE_OVER_DATA_HASH_ONLY'), name);
      assert.equal(r.signingTime, at.toISOString(), name);
      assert.equal(r.checks.sealValidity, sealValidity, name);
      if (sealValidity === 'failed') assert.ok(r.messages.some((m) => m.code === 'SEAL_EXPIRED'), name);
    }
  }
});

test('timeInfo with no readable time: parsed, SIGNING_TIME_UNREADABLE, the validation time is used; a wrong type is a format failure', async () => {
  const original = vendorSig();
  const at = new Date('2026-01-01T00:00:00Z');
  for (const junk of [
    derBitString(Uint8Array.of(0x17, 0x05, 0x41, 0x42, 0x43, 0x44, 0x45)), // a UTCTime TLV holding no time
    derBitString(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05)), // a SEQUENCE that is no token
    derBitString(derSequence(derSequence(derInteger(2)))), // a TimeStampResp without token (rejection)
    derBitString(Uint8Array.of(0x01, 0x02, 0x03, 0x04)),
    derBitString(enc('yesterday')),
    derBitString(enc('2020/13/40 10:00:00')),
    derBitString(new Uint8Array(0)),
  ]) {
    const sig = parseSesSignature(await withTimeInfo(original, junk));
    assert.equal(sig.tbs.timeInfo, undefined);
    assert.equal(sig.tbs.timeInfoForm, 'unreadable');
    assert.ok(sig.notes.some((n) => n.includes('no readable time')));
    const r = await verifySesSignature(sig, { at });
    assert.ok(r.messages.some((m) => m.code === 'SIGNING_TIME_UNREADABLE'));
    assert.equal(r.signingTime, at.toISOString());
  }
  const r = await verifySesSignature(await withTimeInfo(original, derInteger(20200125)));
  assert.equal(r.checks.format, 'failed');
  assert.ok(r.messages.some((m) => m.code === 'FORMAT_INVALID' && m.en.includes('timeInfo')));
});
