/** Seals and seal signatures we make: round trips, structure against ofdrw's UserV4.esl, openssl cross-check, tampering. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesEqual, digest, generateKeyPair, createSigner, isYzError, pemEncode, sm3, toHex } from '@yinzhang/gm';
import { children, readSingle, type Tlv } from '@yinzhang/gm/der';
import { parseCertificate } from '@yinzhang/pki';
import {
  buildSeal, buildSesSignature, parseSeal, parseSesSignature, toSignatureReport, verifySeal, verifySesSignature, type BuildSealOptions,
} from '../src/index.js';
import { PNG_1x1, fixture, identity } from './helpers.js';

const user = identity('USER');
const maker = identity('SealBuilder');
const root = identity('ROOT');

function base(over: Partial<BuildSealOptions> = {}): BuildSealOptions {
  return {
    vid: 'yinzhang',
    esID: '3301000000001',
    type: 1,
    name: '测试公章',
    signerCertificates: [user.certificate],
    createDate: new Date('2020-05-01T00:00:00Z'),
    validStart: new Date('2020-05-01T00:00:00Z'),
    validEnd: new Date('2022-04-01T00:00:00Z'),
    picture: { type: 'PNG', data: PNG_1x1, widthMm: 42, heightMm: 42 },
    maker: { signer: maker.signer, certificate: maker.certificate },
    ...over,
  };
}

/** Tag skeleton of a DER tree (tags and nesting, no values), for structural comparison. */
function skeleton(t: Tlv, depth = 0): string {
  if (!t.constructed || depth > 6) return t.tag.toString(16);
  return `${t.tag.toString(16)}(${children(t).map((c) => skeleton(c, depth + 1)).join(',')})`;
}

test('a V4 seal made with the ofdrw test PKI matches UserV4.esl field by field', async () => {
  const ref = parseSeal(fixture('UserV4.esl'));
  const der = await buildSeal({
    version: 4,
    vid: ref.header.vid,
    esID: ref.esID,
    type: ref.property.type,
    name: ref.property.name,
    certListType: 1,
    signerCertificates: [user.certificate],
    createDate: ref.property.createDate,
    validStart: ref.property.validStart,
    validEnd: ref.property.validEnd,
    picture: { type: 'PNG', data: ref.picture.data, widthMm: 40, heightMm: 40 },
    maker: { signer: maker.signer, certificate: maker.certificate },
  });
  const ours = parseSeal(der);
  // Same fields…
  assert.deepEqual(ours.header, ref.header);
  assert.equal(ours.esID, ref.esID);
  assert.deepEqual(ours.property, ref.property);
  assert.deepEqual(ours.picture, ref.picture);
  assert.ok(bytesEqual(ours.makerCert, ref.makerCert));
  assert.equal(ours.signAlgOid, ref.signAlgOid);
  // …in the same structure: SES_SealInfo is byte-identical (ofdrw writes DER too), the whole tree has the same tags.
  assert.equal(toHex(ours.raw.sealInfo), toHex(ref.raw.sealInfo));
  assert.equal(skeleton(readSingle(der)), skeleton(readSingle(fixture('UserV4.esl'))));
  // Only the signature differs (SM2 is randomised); both verify.
  assert.equal((await verifySeal(ours)).checks.sealSignature, 'passed');
});

test('openssl verifies the maker signature of a seal we made (SM2, ID 1234567812345678, over DER SES_SealInfo)', async () => {
  const seal = parseSeal(await buildSeal(base()));
  const dir = mkdtempSync(join(tmpdir(), 'yz-ses-'));
  try {
    const pub = parseCertificate(seal.makerCert).spki;
    writeFileSync(join(dir, 'pub.pem'), pemEncode('PUBLIC KEY', pub));
    writeFileSync(join(dir, 'info.der'), seal.raw.sealInfo);
    writeFileSync(join(dir, 'sig.der'), seal.signedValue);
    const args = ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'info.der'), '-sigfile', join(dir, 'sig.der'), '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678'];
    const ok = spawnSync('openssl', args, { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    writeFileSync(join(dir, 'info.der'), seal.raw.sealInfo.slice(1));
    assert.notEqual(spawnSync('openssl', args, { encoding: 'utf8' }).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('V4, V5 (with [0] timestamp) and V1 seals round-trip', async () => {
  for (const [version, ts] of [[4, undefined], [5, undefined], [5, Uint8Array.of(9, 8, 7)], [1, undefined]] as const) {
    const der = await buildSeal(base({ version, ...(ts ? { timeStamp: ts } : {}), extDatas: [{ extnID: '1.2.3.4', critical: true, extnValue: Uint8Array.of(1) }, { extnID: '1.2.3.5', critical: false, extnValue: Uint8Array.of(2) }] }));
    const s = parseSeal(der);
    assert.equal(s.version, version);
    assert.equal(s.header.version, version);
    assert.deepEqual(s.notes, []);
    assert.equal(s.property.name, '测试公章');
    assert.equal(s.property.validEnd.toISOString(), '2022-04-01T00:00:00.000Z');
    assert.deepEqual(s.extDatas.map((e) => [e.extnID, e.critical, toHex(e.extnValue)]), [['1.2.3.4', true, '01'], ['1.2.3.5', false, '02']]);
    assert.equal(toHex(s.timeStamp ?? new Uint8Array()), ts ? toHex(ts) : '');
    const r = await verifySeal(s, { at: new Date('2021-01-01T00:00:00Z'), trustAnchors: [root.certificate] });
    assert.equal(r.checks.sealSignature, 'passed', `V${version}`);
    assert.equal(r.checks.sealValidity, 'passed');
    assert.equal(r.checks.certificateChain, 'passed');
    assert.ok(bytesEqual(s.raw.seal, der));
  }
});

test('a certListType 2 seal (SM3 digests of the signer certificates) verifies, and binds only the listed signer', async () => {
  const sealDer = await buildSeal(base({ certListType: 2 }));
  const seal = parseSeal(sealDer);
  assert.equal(seal.property.certListType, 2);
  const entry = seal.property.certList[0];
  assert.ok(entry?.kind === 'digest');
  assert.equal(entry.type, 'sm3');
  assert.equal(toHex(entry.value), toHex(digest('sm3', user.certificate)));
  const dataHash = sm3(new TextEncoder().encode('<Signature/>'));
  const sig = await buildSesSignature({ seal: sealDer, dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signer: user.signer, certificate: user.certificate, timeInfo: new Date('2021-06-01T00:00:00Z') });
  const r = await verifySesSignature(sig, { expectedDataHash: dataHash, trustAnchors: [root.certificate] });
  assert.equal(r.checks.signerInSeal, 'passed');
  assert.equal(r.checks.signatureValue, 'passed');
  r.checks.coverage = 'passed';
  assert.equal(toSignatureReport('s1', r).indication, 'TOTAL_PASSED');
  // Another signer (SealBuilder's key and certificate) is not in the list.
  await assert.rejects(
    buildSesSignature({ seal: sealDer, dataHash, propertyInfo: '/x', signer: maker.signer, certificate: maker.certificate, timeInfo: new Date('2021-06-01T00:00:00Z') }),
    (e) => isYzError(e, 'INVALID_ARGUMENT'),
  );
});

test('SES_Signature V4 (with timestamp callback) and V1 round-trip and verify', async () => {
  const dataHash = sm3(new TextEncoder().encode('document'));
  for (const version of [4, 1] as const) {
    const sealDer = await buildSeal(base({ version }));
    let stamped: Uint8Array | undefined;
    const der = await buildSesSignature({
      seal: sealDer, dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signer: user.signer, certificate: user.certificate,
      timeInfo: new Date('2021-06-01T08:00:00Z'),
      ...(version === 4 ? { timestamp: async (v: Uint8Array) => ((stamped = v), Uint8Array.of(0x30, 0x00)) } : {}),
    });
    const sig = parseSesSignature(der);
    assert.equal(sig.version, version);
    assert.deepEqual(sig.notes, []);
    assert.equal(sig.tbs.timeInfo?.toISOString(), '2021-06-01T08:00:00.000Z');
    assert.ok(bytesEqual(sig.raw.eseal, sealDer));
    assert.ok(bytesEqual(sig.tbs.dataHash, dataHash));
    if (version === 4) {
      assert.ok(stamped && bytesEqual(stamped, sig.signature), 'the timestamp is requested over the signature value');
      assert.equal(toHex(sig.timeStamp!), '3000');
    }
    const r = await verifySesSignature(sig, {
      expectedDataHash: dataHash,
      ...(version === 4 ? { verifyTimestamp: async (_t: Uint8Array, v: Uint8Array) => (bytesEqual(v, sig.signature) ? new Date('2021-06-01T08:00:05Z') : undefined) } : {}),
    });
    assert.equal(r.checks.signatureValue, 'passed');
    assert.equal(r.checks.sealSignature, 'passed');
    assert.equal(r.checks.integrity, 'passed');
    assert.equal(r.checks.timestamp, version === 4 ? 'passed' : 'not-applicable');
    assert.equal(r.signingTimeSource, version === 4 ? 'timestamp' : 'claimed');
    assert.equal(r.signer?.serial, '01719d2dab60');
    const other = await verifySesSignature(sig, { expectedDataHash: sm3(new TextEncoder().encode('other')) });
    assert.equal(other.checks.integrity, 'failed');
  }
});

test('signing-time checks: an expired seal and a signer certificate outside its validity fail', async () => {
  const sealDer = await buildSeal(base({ validEnd: new Date('2020-06-01T00:00:00Z') }));
  const dataHash = sm3(Uint8Array.of(1));
  const opts = { seal: sealDer, dataHash, propertyInfo: '/p', signer: user.signer, certificate: user.certificate, timeInfo: new Date('2021-01-01T00:00:00Z') };
  await assert.rejects(buildSesSignature(opts), (e) => isYzError(e, 'INVALID_ARGUMENT'));
  const r = await verifySesSignature(await buildSesSignature({ ...opts, allowInvalidSeal: true }));
  assert.equal(r.checks.sealValidity, 'failed');
  assert.equal(toSignatureReport('s', r).subIndication, 'SEAL_EXPIRED');
  const late = await buildSeal(base({ validEnd: new Date('2030-01-01T00:00:00Z') }));
  const r2 = await verifySesSignature(await buildSesSignature({ ...opts, seal: late, timeInfo: new Date('2023-01-01T00:00:00Z') }));
  assert.equal(r2.checks.sealValidity, 'passed');
  assert.equal(r2.checks.certificateValidity, 'failed');
  assert.ok(r2.messages.some((m) => m.code === 'CERT_EXPIRED'));
});

test('building refuses a maker key that does not match the maker certificate, and bad field values', async () => {
  const other = createSigner(generateKeyPair('sm2'));
  await assert.rejects(buildSeal(base({ maker: { signer: other, certificate: maker.certificate } })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
  await assert.rejects(buildSeal(base({ picture: { type: 'PNG', data: PNG_1x1, widthMm: 40.5, heightMm: 40 } })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
  await assert.rejects(buildSeal(base({ esID: '印章' })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
  await assert.rejects(buildSeal(base({ version: 1, certListType: 2 })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
  await assert.rejects(buildSeal(base({ validEnd: new Date('2019-01-01T00:00:00Z') })), (e) => isYzError(e, 'INVALID_ARGUMENT'));
});

test('flipping any byte of a seal is detected (parse error, failed maker signature or broken maker certificate)', async () => {
  const der = await buildSeal(base());
  const certStart = parseSeal(der).makerCert.byteOffset - der.byteOffset;
  const certEnd = certStart + parseSeal(der).makerCert.length;
  const counts = { format: 0, signature: 0, chain: 0 };
  for (let i = 0; i < der.length; i++) {
    const copy = der.slice();
    copy[i]! ^= 0xff;
    // The V4 maker signature covers SES_SealInfo only; a change to the maker certificate outside its key shows in the
    // certificate's own issuer signature, i.e. in the chain check.
    const r = await verifySeal(copy, { trustAnchors: [root.certificate] });
    if (r.checks.format === 'failed') counts.format++;
    else if (r.checks.sealSignature === 'failed') counts.signature++;
    else {
      assert.ok(i >= certStart && i < certEnd, `byte ${i} of ${der.length} flipped went unnoticed`);
      assert.equal(r.checks.certificateChain, 'failed', `byte ${i} (maker certificate) flipped went unnoticed`);
      counts.chain++;
    }
  }
  assert.ok(counts.format > 0 && counts.signature > 0 && counts.chain > 0, JSON.stringify(counts));
});

test('flipping any byte of a seal signature outside the seal is detected', async () => {
  const sealDer = await buildSeal(base());
  const der = await buildSesSignature({ seal: sealDer, dataHash: sm3(Uint8Array.of(7)), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signer: user.signer, certificate: user.certificate, timeInfo: new Date('2021-01-01T00:00:00Z') });
  const sealStart = parseSesSignature(der).raw.eseal.byteOffset - der.byteOffset;
  const step = 3; // every third byte keeps the suite fast; the seal's own bytes are covered by the test above
  for (let i = 0; i < der.length; i += i >= sealStart && i < sealStart + sealDer.length ? 97 : step) {
    const copy = der.slice();
    copy[i]! ^= 0xff;
    const r = await verifySesSignature(copy);
    const detected = r.checks.format === 'failed' || r.checks.signatureValue === 'failed' || r.checks.sealSignature === 'failed' || r.checks.signerInSeal === 'failed';
    assert.ok(detected, `byte ${i} of ${der.length}`);
  }
});
