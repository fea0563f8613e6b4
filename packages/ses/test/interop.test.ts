/** The ofdrw interop fixtures, with the versions and verdicts of /work/shared/interop/ofdrw/MANIFEST.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesEqual, sm3, toHex } from '@yinzhang/gm';
import { parseCertificate } from '@yinzhang/pki';
import { parseSeal, parseSesSignature, toSignatureReport, verifySeal, verifySesSignature, importEsl, exportEsl } from '../src/index.js';
import { fixture, identity, ofdEntries } from './helpers.js';

const SEALS = [
  { file: 'UserV1.esl', version: 1, structure: 'GM/T 0031-2014', expired: true, validEnd: '2022-04-22T02:18:07.000Z' },
  { file: 'UserV4.esl', version: 4, structure: 'GB/T 38540-2020', expired: true, validEnd: '2022-04-22T02:09:00.000Z' },
  { file: 'UserV5.esl', version: 5, structure: 'GM/T 0031-2025', expired: false, validEnd: '2028-04-24T08:53:23.000Z' },
  { file: 'UserV5_ts.esl', version: 5, structure: 'GM/T 0031-2025', expired: false, validEnd: '2028-04-24T08:53:22.000Z' },
] as const;

const AT = new Date('2027-01-01T00:00:00Z');

for (const s of SEALS) {
  test(`${s.file}: version ${s.version}, maker signature verifies, ${s.expired ? 'expired' : 'within validity'}`, async () => {
    const seal = parseSeal(fixture(s.file));
    assert.equal(seal.version, s.version);
    assert.equal(seal.structure, s.structure);
    assert.equal(seal.property.validEnd.toISOString(), s.validEnd);
    assert.equal(seal.picture.type, 'PNG');
    assert.equal(seal.picture.widthMm, 40);
    assert.equal(seal.picture.heightMm, 40);
    // The picture is a real PNG, a view into the input.
    assert.equal(toHex(seal.picture.data.subarray(0, 8)), '89504e470d0a1a0a');
    const r = await verifySeal(seal, { at: AT });
    assert.equal(r.checks.format, 'passed');
    assert.equal(r.checks.sealSignature, 'passed');
    assert.equal(r.checks.sealValidity, s.expired ? 'failed' : 'passed');
    if (s.expired) assert.ok(r.messages.some((m) => m.code === 'SEAL_EXPIRED'));
    // The certList holds the ofdrw USER certificate; the maker is SealBuilder.
    const user = identity('USER');
    const maker = identity('SealBuilder');
    assert.ok(seal.property.certList.some((e) => e.kind === 'certificate' && bytesEqual(e.der, user.certificate)));
    assert.ok(bytesEqual(seal.makerCert, maker.certificate));
  });
}

test('UserV5_ts.esl: the 5th element is the [0] timestamp (dummy 010203), UserV5.esl has none', () => {
  assert.equal(toHex(parseSeal(fixture('UserV5_ts.esl')).timeStamp ?? new Uint8Array()), '010203');
  assert.equal(parseSeal(fixture('UserV5.esl')).timeStamp, undefined);
});

test('V1 maker signature covers SEQUENCE{sealInfo, cert, alg}, not the bare SES_SealInfo', async () => {
  const seal = parseSeal(fixture('UserV1.esl'));
  assert.notDeepEqual(seal.raw.makerSigned, seal.raw.sealInfo);
  const bare = { ...seal, raw: { ...seal.raw, makerSigned: seal.raw.sealInfo } };
  assert.equal((await verifySeal(bare)).checks.sealSignature, 'failed');
});

test('seal maker chain: verifies to the ofdrw ROOT, fails against an unrelated anchor', async () => {
  const root = identity('ROOT').certificate;
  const ok = await verifySeal(fixture('UserV4.esl'), { trustAnchors: [root] });
  assert.equal(ok.checks.certificateChain, 'passed');
  const other = parseCertificate(fixture('sign_cert.pem')).der;
  const bad = await verifySeal(fixture('UserV4.esl'), { trustAnchors: [other] });
  assert.equal(bad.checks.certificateChain, 'failed');
});

test('.esl import/export returns the bytes received', () => {
  const bytes = fixture('UserV4.esl');
  assert.ok(bytesEqual(exportEsl(importEsl(bytes)), bytes));
  const b64 = new TextEncoder().encode(Buffer.from(bytes).toString('base64'));
  assert.ok(bytesEqual(exportEsl(importEsl(b64)), bytes));
});

const OFD_SIGS = [
  { ofd: 'v4signed.ofd', sign: 'Doc_0/Signs/Sign_0/SignedValue.dat', version: 4, vid: 'GOMAIN', xml: 'Doc_0/Signs/Sign_0/Signature.xml', hashOk: true },
  { ofd: 'h.ofd', sign: 'Doc_0/Signs/Sign_0/SignedValue.dat', version: 4, vid: 'OFDR&WTest', xml: 'Doc_0/Signs/Sign_0/Signature.xml', hashOk: true },
  { ofd: 'h.ofd', sign: 'Doc_0/Signs/Sign_1/SignedValue.dat', version: 4, vid: 'OFDR&WTest', xml: 'Doc_0/Signs/Sign_1/Signature.xml', hashOk: true },
  // n.ofd: Signature.xml was re-formatted after signing (MANIFEST), and the vendor's dataHash includes Z_A.
  { ofd: 'n.ofd', sign: 'Doc_0/Signs/Sign_0/SignedValue.dat', version: 1, vid: 'dms360.cn', xml: 'Doc_0/Signs/Sign_0/Signature.xml', hashOk: false },
] as const;

for (const c of OFD_SIGS) {
  test(`${c.ofd} ${c.sign}: V${c.version} SES_Signature parses, TBS and seal signatures verify`, async () => {
    const entries = ofdEntries(c.ofd);
    const der = entries[c.sign];
    assert.ok(der, 'entry present');
    const sig = parseSesSignature(der);
    assert.equal(sig.version, c.version);
    assert.equal(sig.tbs.eseal.header.vid, c.vid);
    assert.equal(sig.tbs.propertyInfo, '/' + c.xml);
    assert.ok(sig.tbs.timeInfo instanceof Date);
    // ESL: where the OFD ships a Seal.esl, it equals the seal inside SignedValue.dat byte for byte.
    const esl = entries[c.sign.replace('SignedValue.dat', 'Seal.esl')];
    if (c.ofd !== 'v4signed.ofd') assert.ok(esl && bytesEqual(sig.raw.eseal, esl));
    const expectedDataHash = sm3(entries[c.xml]!);
    const r = await verifySesSignature(sig, { expectedDataHash });
    assert.equal(r.checks.format, 'passed');
    assert.equal(r.checks.signatureValue, 'passed');
    assert.equal(r.checks.sealSignature, 'passed');
    assert.equal(r.checks.integrity, c.hashOk ? 'passed' : 'failed');
    // coverage (what the OFD references protect) is the OFD caller's check.
    assert.equal(r.checks.coverage, 'unknown');
    r.checks.coverage = 'passed';
    const report = toSignatureReport('s', r);
    if (c.ofd === 'n.ofd') {
      // MANIFEST: INVALID (REFs and dataHash), must report, not crash. Its signature covers only the data hash.
      assert.equal(report.indication, 'TOTAL_FAILED');
      assert.ok(r.messages.some((m) => m.code === 'SIGNATURE_OVER_DATA_HASH_ONLY'));
      const strict = await verifySesSignature(sig, { strict: true });
      assert.equal(strict.checks.signatureValue, 'failed');
    } else {
      assert.equal(r.checks.sealValidity, 'passed');
      assert.equal(r.checks.signerInSeal, 'passed');
      assert.equal(r.checks.certificateValidity, 'passed');
      // Without trust anchors the chain is unknown, so the best is INDETERMINATE.
      assert.equal(report.indication, 'INDETERMINATE');
      assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
    }
  });
}

test('h.ofd signatures chain to the ofdrw ROOT; a changed TBS byte breaks the signature', async () => {
  const entries = ofdEntries('h.ofd');
  const der = entries['Doc_0/Signs/Sign_1/SignedValue.dat']!;
  const root = identity('ROOT').certificate;
  const r = await verifySesSignature(der, { trustAnchors: [root], expectedDataHash: sm3(entries['Doc_0/Signs/Sign_1/Signature.xml']!) });
  assert.equal(r.checks.certificateChain, 'passed');
  r.checks.coverage = 'passed';
  assert.equal(toSignatureReport('s', r).indication, 'TOTAL_PASSED');
  const sig = parseSesSignature(der);
  const copy = der.slice();
  // Flip a byte inside propertyInfo (part of TBS_Sign, not of the seal).
  const at = sig.raw.tbs.byteOffset - der.byteOffset + sig.raw.tbs.length - 3;
  copy[at]! ^= 0x01;
  const bad = await verifySesSignature(copy);
  assert.equal(bad.checks.signatureValue, 'failed');
  assert.equal(bad.checks.sealSignature, 'passed');
});

test('v4signed.ofd: tolerated deviations are reported as notes (explicit critical FALSE)', () => {
  const sig = parseSesSignature(ofdEntries('v4signed.ofd')['Doc_0/Signs/Sign_0/SignedValue.dat']!);
  assert.equal(sig.tbs.eseal.extDatas.length, 1);
  assert.equal(sig.tbs.eseal.extDatas[0]!.critical, false);
  assert.ok(sig.notes.some((n) => n.includes('critical FALSE')));
  assert.equal(sig.tbs.eseal.picture.type, 'ofd');
});
