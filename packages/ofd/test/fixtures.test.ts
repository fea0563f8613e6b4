/**
 * The ofdrw interop fixtures must get exactly the per-signature verdicts of their MANIFEST (shared/interop/ofdrw):
 * valid ones pass every crypto check and are INDETERMINATE without a trust anchor; broken ones fail the named check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePkcs12 } from '@yinzhang/pki';
import type { CheckName, SignatureReport } from '@yinzhang/report';
import { extractSealPictures, verifyOfd } from '../src/index.js';
import { fixture } from './helpers.js';

const CRYPTO: CheckName[] = ['format', 'integrity', 'signatureValue', 'sealSignature', 'sealValidity', 'signerInSeal', 'certificateValidity', 'coverage'];

function assertAllCryptoPassed(s: SignatureReport, checks: CheckName[] = CRYPTO): void {
  for (const c of checks) assert.equal(s.checks[c], 'passed', `${s.id}: ${c} is ${s.checks[c]} (${s.messages.map((m) => m.en).join(' | ')})`);
}

test('v4signed.ofd (gomain tax invoice, V4, no <Seal> element): valid, INDETERMINATE without a trust anchor', async () => {
  const r = await verifyOfd(fixture('v4signed.ofd'), { name: 'v4signed.ofd' });
  assert.equal(r.format, 'ofd');
  assert.equal(r.signatures.length, 1);
  const s = r.signatures[0]!;
  assert.equal(s.kind, 'seal');
  assert.equal(s.structure, 'GB/T 38540-2020');
  assertAllCryptoPassed(s);
  assert.equal(s.checks.certificateChain, 'unknown');
  assert.equal(s.indication, 'INDETERMINATE');
  assert.equal(r.indication, 'INDETERMINATE');
  assert.equal(s.seal?.version, 4);
  assert.equal(s.seal?.vid, 'GOMAIN');
});

test('h.ofd: Sign_0 (locks Signatures.xml) INVALID on that reference, Sign_1 valid', async () => {
  const r = await verifyOfd(fixture('h.ofd'));
  const [s0, s1] = r.signatures;
  assert.equal(r.signatures.length, 2);
  assert.equal(s0!.indication, 'TOTAL_FAILED');
  assert.equal(s0!.checks.integrity, 'failed');
  assert.equal(s0!.subIndication, 'HASH_FAILURE');
  assert.ok(s0!.messages.some((m) => m.code === 'INTEGRITY_FAILED' && m.en.includes('/Doc_0/Signs/Signatures.xml')), 'names Signatures.xml');
  // Only that reference fails: the crypto of Sign_0 itself is intact.
  assertAllCryptoPassed(s0!, ['format', 'signatureValue', 'sealSignature', 'sealValidity', 'signerInSeal', 'certificateValidity', 'coverage']);
  assert.equal(s0!.messages.filter((m) => m.code === 'INTEGRITY_FAILED').length, 1);
  assertAllCryptoPassed(s1!);
  assert.equal(s1!.indication, 'INDETERMINATE');
  assert.equal(r.indication, 'TOTAL_FAILED');
});

test('h.ofd with the ofdrw root as trust anchor: Sign_1 TOTAL_PASSED', async () => {
  const root = parsePkcs12(fixture('ROOT.p12'), '123456').certificate.der;
  const r = await verifyOfd(fixture('h.ofd'), { trustAnchors: [root] });
  assert.equal(r.signatures[1]!.checks.certificateChain, 'passed');
  assert.equal(r.signatures[1]!.indication, 'TOTAL_PASSED');
  assert.equal(r.signatures[0]!.indication, 'TOTAL_FAILED');
});

test('n.ofd (iOFD V1, vendor CheckMethod SM3(Z_A‖file), reformatted XML): reported, not a crash', async () => {
  const r = await verifyOfd(fixture('n.ofd'));
  assert.equal(r.signatures.length, 1);
  const s = r.signatures[0]!;
  assert.equal(s.structure, 'GM/T 0031-2014');
  assert.equal(s.indication, 'TOTAL_FAILED');
  assert.equal(s.checks.integrity, 'failed');
  assert.equal(s.checks.sealSignature, 'passed');
  const refFailures = s.messages.filter((m) => m.code === 'INTEGRITY_FAILED' && / changed$/.test(m.en.replace(/\)$/, '')));
  assert.equal(refFailures.length, 5, refFailures.map((m) => m.en).join('\n'));
  // The sixth reference (Seal.esl) verifies with the vendor method, and Seal.esl equals the signed seal (ESL ok).
  assert.ok(!s.messages.some((m) => m.en.includes('Seal.esl')));
  assert.ok(s.messages.some((m) => m.code === 'INTEGRITY_FAILED' && m.en.includes('dataHash')), 'dataHash ≠ SM3(Signature.xml)');
});

test('testImageNotFound.ofd: two Type="Sign" GB/T 35275 SignedData, both valid at the signing time', async () => {
  const r = await verifyOfd(fixture('testImageNotFound.ofd'));
  assert.equal(r.signatures.length, 2);
  for (const s of r.signatures) {
    assert.equal(s.kind, 'sign');
    assert.equal(s.structure, 'GB/T 35275');
    assertAllCryptoPassed(s, ['format', 'integrity', 'signatureValue', 'certificateValidity', 'coverage']);
    assert.equal(s.checks.sealSignature, 'not-applicable');
    assert.equal(s.signingTime, '2022-11-01T09:22:33.000Z');
    assert.equal(s.indication, 'INDETERMINATE');
  }
  // Sign_1 protects Sign_0's files: breaking Sign_0's SignedValue.dat breaks both.
  const { flipByte } = await import('./helpers.js');
  const t = await verifyOfd(flipByte(fixture('testImageNotFound.ofd'), 'Doc_0/Signs/Sign_0/SignedValue.dat', (n) => n - 1));
  assert.equal(t.signatures[0]!.checks.signatureValue, 'failed');
  assert.equal(t.signatures[1]!.checks.integrity, 'failed');
});

test('seal pictures can be extracted for display', () => {
  const pics = extractSealPictures(fixture('h.ofd'));
  assert.equal(pics.length, 2);
  assert.equal(pics[0]!.picture.type.toUpperCase(), 'PNG');
  assert.deepEqual([...pics[0]!.picture.data.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.equal(pics[0]!.picture.widthMm, 40);
});
