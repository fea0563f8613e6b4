import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSeal } from '@yinzhang/ses';
import type { SignatureReport } from '@yinzhang/report';
import { OfdPackage, createOfd, findKeyword, signOfdWithSeal, verifyOfd } from '../src/index.js';
import { entryText, fixture, flipByte, rejectsWith, replaceEntry } from './helpers.js';
import { testPki } from './pki.js';

async function signed(ofd: Uint8Array, i = 0, extra: Partial<Parameters<typeof signOfdWithSeal>[1]> = {}) {
  const pki = await testPki();
  return signOfdWithSeal(ofd, { seal: pki.seals[i]!, signer: pki.signers[i]!.signer, certificate: pki.signers[i]!.cert.der, ...extra });
}

async function verifyTrusted(ofd: Uint8Array) {
  const pki = await testPki();
  return verifyOfd(ofd, { trustAnchors: [pki.root.cert.der] });
}

function assertPassed(s: SignatureReport): void {
  assert.equal(s.indication, 'TOTAL_PASSED', `${s.id}: ${s.subIndication} ${JSON.stringify(s.checks)} ${s.messages.map((m) => m.en).join(' | ')}`);
}

const doc = () => createOfd({ pages: ['合同正文第一页\n甲方（盖章）：', '第二页', '第三页\n乙方（盖章）：'] });

test('a signed OFD verifies: every check passes with the trust anchor, INDETERMINATE without', async () => {
  const r = await signed(doc(), 0, { placement: { kind: 'at', page: 2, x: 100, y: 150 } });
  const rep = await verifyTrusted(r.ofd);
  assert.equal(rep.signatures.length, 1);
  assertPassed(rep.signatures[0]!);
  assert.equal(rep.signatures[0]!.structure, 'GB/T 38540-2020');
  assert.equal((await verifyOfd(r.ofd)).signatures[0]!.indication, 'INDETERMINATE');
  // What was written: Signature.xml with SM3 references over raw parts, the seal, the StampAnnot on page 2 by object ID.
  const pkg = OfdPackage.open(r.ofd);
  const pages = pkg.document(pkg.docBodies()[0]!.docRoot).pages;
  const info = pkg.signature(r.signaturePath);
  assert.equal(info.checkMethod, '1.2.156.10197.1.401');
  assert.equal(info.seal, 'Doc_0/Signs/Sign_0/Seal.esl');
  assert.deepEqual(info.stampAnnots.map((a) => [a.pageRef, a.boundary]), [[pages[1]!.id, [100, 150, 40, 40]]]);
  assert.ok(info.references.some((x) => x.fileRef === '/Doc_0/Signs/Sign_0/Seal.esl'));
  assert.ok(!info.references.some((x) => x.fileRef.endsWith('Signatures.xml')), 'continue mode leaves Signatures.xml open');
});

test('a V1 (GM/T 0031-2014) seal gives a V1 signature that verifies', async () => {
  const pki = await testPki();
  const s = pki.signers[0]!;
  const now = Date.now();
  const v1 = await buildSeal({
    version: 1, vid: 'YZ', esID: 'YZV1', type: 1, name: 'V1 印章', signerCertificates: [s.cert.der],
    createDate: new Date(now - 3600e3), validStart: new Date(now - 3600e3), validEnd: new Date(now + 30 * 24 * 3600e3),
    picture: { type: 'PNG', data: pki.picture, widthMm: 30, heightMm: 30 }, maker: { signer: pki.maker.signer, certificate: pki.maker.cert.der },
  });
  const r = await signOfdWithSeal(doc(), { seal: v1, signer: s.signer, certificate: s.cert.der });
  const rep = await verifyTrusted(r.ofd);
  assert.equal(rep.signatures[0]!.structure, 'GM/T 0031-2014');
  assertPassed(rep.signatures[0]!);
  assert.deepEqual(r.stampAnnots[0]!.boundary.slice(2), [30, 30], 'size from the seal picture');
});

test('three successive continue signatures by different seals all stay valid; each protects the earlier ones', async () => {
  let ofd = doc();
  for (let i = 0; i < 3; i++) ofd = (await signed(ofd, i, { placement: { kind: 'at', page: 1, x: 20 + 50 * i, y: 200 } })).ofd;
  const rep = await verifyTrusted(ofd);
  assert.equal(rep.signatures.length, 3);
  rep.signatures.forEach(assertPassed);
  assert.deepEqual(new Set(rep.signatures.map((s) => s.seal?.esID)), new Set(['YZTEST0', 'YZTEST1', 'YZTEST2']));
  const pkg = OfdPackage.open(ofd);
  const third = pkg.signature('Doc_0/Signs/Sign_2/Signature.xml');
  for (const f of ['Sign_0/Signature.xml', 'Sign_0/SignedValue.dat', 'Sign_1/Signature.xml', 'Sign_1/SignedValue.dat', 'Sign_1/Seal.esl']) {
    assert.ok(third.references.some((x) => x.fileRef === `/Doc_0/Signs/${f}`), `third signature protects ${f}`);
  }
  // Tampering with the first signature's files now breaks the first (dataHash) and the later ones (references).
  const broken = await verifyTrusted(replaceEntry(ofd, 'Doc_0/Signs/Sign_0/Signature.xml', (d) =>
    new TextEncoder().encode(new TextDecoder().decode(d).replace('ProviderName="yinzhang"', 'ProviderName="yinzhanG"'))));
  assert.deepEqual(broken.signatures.map((s) => s.checks.integrity), ['failed', 'failed', 'failed']);
});

test('lock mode: the signature protects Signatures.xml and the next signing attempt is refused', async () => {
  const locked = (await signed(doc(), 0, { mode: 'lock' })).ofd;
  const pkg = OfdPackage.open(locked);
  assert.ok(pkg.signature('Doc_0/Signs/Sign_0/Signature.xml').references.some((r) => r.fileRef === '/Doc_0/Signs/Signatures.xml'));
  assertPassed((await verifyTrusted(locked)).signatures[0]!);
  await rejectsWith(() => signed(locked, 1), 'OFD_SIGNATURES_LOCKED');
  // A continue signature followed by a lock signature is fine; after it, nothing more.
  const two = (await signed((await signed(doc(), 0)).ofd, 1, { mode: 'lock' })).ofd;
  (await verifyTrusted(two)).signatures.forEach(assertPassed);
  await rejectsWith(() => signed(two, 2), 'OFD_SIGNATURES_LOCKED');
});

test('signing a vendor file whose Signatures.xml is protected (h.ofd) is refused', async () => {
  await rejectsWith(() => signed(fixture('h.ofd')), 'OFD_SIGNATURES_LOCKED');
});

test('vendor files that are not locked can be countersigned, and their own signatures are unchanged', async () => {
  const out = (await signed(fixture('v4signed.ofd'), 0)).ofd;
  const rep = await verifyTrusted(out);
  assert.equal(rep.signatures.length, 2);
  assertPassed(rep.signatures[1]!);
  // The gomain signature does not chain to our test root; without anchors it is as before: every check passes.
  const untrusted = await verifyOfd(out);
  assert.equal(untrusted.signatures[0]!.checks.integrity, 'passed', 'the gomain signature still verifies');
  assert.equal(untrusted.signatures[0]!.indication, 'INDETERMINATE');
  const n = (await signed(fixture('n.ofd'), 1)).ofd;
  assertPassed((await verifyTrusted(n)).signatures[1]!);
  assert.match(entryText(n, 'Doc_0/Signatures.xml'), /BaseLoc="\/Doc_0\/Sign_0\/Signature.xml"|BaseLoc="\/Doc_0\/Sign_1\/Signature.xml"/);
});

test('riding seal: one StampAnnot per page with a Clip slice, slices joining at the right edge', async () => {
  const five = createOfd({ pages: ['1', '2', '3', '4', '5'] });
  const r = await signed(five, 0, { placement: { kind: 'riding', y: 120 } });
  const pkg = OfdPackage.open(r.ofd);
  const pages = pkg.document(pkg.docBodies()[0]!.docRoot).pages;
  const annots = pkg.signature(r.signaturePath).stampAnnots;
  assert.equal(annots.length, 5);
  annots.forEach((a, i) => {
    assert.equal(a.pageRef, pages[i]!.id);
    assert.deepEqual(a.clip, [8 * i, 0, 8, 40]);
    assert.deepEqual(a.boundary, [210 - 8 * (i + 1), 120, 40, 40]);
    // The visible slice lies exactly at the right edge of the page.
    assert.equal(a.boundary[0] + a.clip![0] + a.clip![2], 210);
  });
  assertPassed((await verifyTrusted(r.ofd)).signatures[0]!);
});

test('keyword placement: the seal is centred on each occurrence of the keyword in the page text', async () => {
  const ofd = doc();
  const r = await signed(ofd, 0, { placement: { kind: 'keyword', keyword: '盖章' } });
  const pkg = OfdPackage.open(r.ofd);
  const pages = pkg.document(pkg.docBodies()[0]!.docRoot).pages;
  const annots = pkg.signature(r.signaturePath).stampAnnots;
  assert.deepEqual(annots.map((a) => a.pageRef), [pages[0]!.id, pages[2]!.id]);
  // createOfd: margin 20, font 5 mm, line height 7.5; "甲方（盖章）：" is line 2, "盖章" starts after 3 full-width glyphs.
  const kx = 20 + 3 * 5;
  const ky = 20 + 7.5;
  assert.deepEqual(annots[0]!.boundary, [kx + 5 - 20, ky + 2.5 - 20, 40, 40]);
  const hits = findKeyword(pkg, pages, '甲方');
  assert.equal(hits.length, 1);
  assert.deepEqual([hits[0]!.x, hits[0]!.y, hits[0]!.width], [20, 27.5, 10]);
  await rejectsWith(() => signed(ofd, 0, { placement: { kind: 'keyword', keyword: '不存在的词' } }), 'OFD_KEYWORD_NOT_FOUND');
  await rejectsWith(() => signed(ofd, 0, { placement: { kind: 'at', page: 9, x: 1, y: 1 } }), 'OFD_PAGE_OUT_OF_RANGE');
});

test('keyword search reads vendor text (DeltaX with g-notation, per-glyph TextCodes)', () => {
  const pkg = OfdPackage.open(fixture('v4signed.ofd'));
  const pages = pkg.document(pkg.docBodies()[0]!.docRoot).pages;
  // Buyer name: one TextCode with a single DeltaX value for all glyphs.
  const buyer = findKeyword(pkg, pages, '迈利');
  assert.equal(buyer.length, 1);
  assert.deepEqual([buyer[0]!.x, Math.round(buyer[0]!.width * 1000) / 1000], [36 + 2 * 3.175, 2 * 3.175]);
  // An address typeset with "g 14 3.175 1.59" advances.
  const addr = findKeyword(pkg, pages, '11号');
  assert.equal(addr.length, 1);
  assert.equal(Math.round(addr[0]!.x * 1000) / 1000, Math.round((36 + 14 * 3.175) * 1000) / 1000);
  // Labels printed by the template page (销售方) are found on the page that uses it.
  assert.ok(findKeyword(pkg, pages, '销售方').length >= 1);
});

test('tampering fails the right check', async () => {
  const pki = await testPki();
  const ofd = (await signed(doc(), 0)).ofd;
  const check = async (bytes: Uint8Array) => (await verifyTrusted(bytes)).signatures[0]!;

  const page = await check(flipByte(ofd, 'Doc_0/Pages/Page_1/Content.xml', (n) => n - 30));
  assert.equal(page.checks.integrity, 'failed');
  assert.equal(page.checks.signatureValue, 'passed');
  assert.ok(page.messages.some((m) => m.en.includes('/Doc_0/Pages/Page_1/Content.xml changed')));

  const sigXml = await check(replaceEntry(ofd, 'Doc_0/Signs/Sign_0/Signature.xml', (d) =>
    new TextEncoder().encode(new TextDecoder().decode(d).replace('ProviderName="yinzhang"', 'ProviderName="yinzhanG"'))));
  assert.equal(sigXml.checks.integrity, 'failed');
  assert.ok(sigXml.messages.some((m) => m.en.includes('dataHash')));

  const esl = await check(flipByte(ofd, 'Doc_0/Signs/Sign_0/Seal.esl', (n) => n - 10));
  assert.equal(esl.checks.integrity, 'failed');
  assert.ok(esl.messages.some((m) => m.en.includes('Seal.esl changed')));
  assert.ok(esl.messages.some((m) => m.en.includes('differs from the seal inside the signature')));

  const sv = await check(flipByte(ofd, 'Doc_0/Signs/Sign_0/SignedValue.dat', (n) => n - 1));
  assert.equal(sv.checks.signatureValue, 'failed');
  assert.equal(sv.indication, 'TOTAL_FAILED');

  // A removed reference: Signature.xml changes, so dataHash no longer matches.
  const removed = await check(replaceEntry(ofd, 'Doc_0/Signs/Sign_0/Signature.xml', (d) =>
    new TextEncoder().encode(new TextDecoder().decode(d).replace(/<ofd:Reference FileRef="\/Doc_0\/Pages\/Page_1\/Content.xml">.*?<\/ofd:Reference>/, ''))));
  assert.equal(removed.checks.integrity, 'failed');
  assert.ok(removed.messages.some((m) => m.en.includes('dataHash')));

  // A replaced seal picture: another seal (same holder, other picture) put in Seal.esl...
  const other = await buildSeal({
    vid: 'YZ', esID: 'YZTEST0', type: 1, name: '测试印章1', signerCertificates: [pki.signers[0]!.cert.der],
    validStart: new Date(Date.now() - 3600e3), validEnd: new Date(Date.now() + 3600e3 * 24),
    picture: { type: 'PNG', data: pki.picture.slice(0, pki.picture.length - 1), widthMm: 40, heightMm: 40 },
    maker: { signer: pki.maker.signer, certificate: pki.maker.cert.der },
  });
  const swapped = await check(replaceEntry(ofd, 'Doc_0/Signs/Sign_0/Seal.esl', () => other));
  assert.equal(swapped.checks.integrity, 'failed');
  // ...or the picture bytes changed inside the signed seal: the maker's signature and the signature both break.
  const sigBytes = OfdPackage.open(ofd).read('Doc_0/Signs/Sign_0/SignedValue.dat');
  const picAt = indexOf(sigBytes, pki.picture.subarray(100, 132));
  assert.ok(picAt > 0);
  const inner = await check(flipByte(ofd, 'Doc_0/Signs/Sign_0/SignedValue.dat', () => picAt + 5));
  assert.equal(inner.checks.sealSignature, 'failed');
  assert.equal(inner.checks.signatureValue, 'failed');
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

test('an empty self-closing Signatures.xml is opened up; a page added after signing fails coverage', async () => {
  const { ZipArchive, writeZip } = await import('../src/index.js');
  const base = doc();
  const a = ZipArchive.read(base);
  const ofdXml = new TextDecoder().decode(a.read('OFD.xml')).replace('</ofd:DocBody>', '<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>');
  const withEmpty = writeZip([
    ...a.entries.map((e) => (e.name === 'OFD.xml' ? { name: e.name, data: new TextEncoder().encode(ofdXml) } : { name: e.name, copy: e })),
    { name: 'Doc_0/Signs/Signatures.xml', data: new TextEncoder().encode('<?xml version="1.0"?><ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"/>') },
  ]);
  const signedOfd = (await signed(withEmpty, 0)).ofd;
  assertPassed((await verifyTrusted(signedOfd)).signatures[0]!);

  // Append a page: a new content part and a new <Page> in Document.xml.
  const s = ZipArchive.read(signedOfd);
  const docXml = new TextDecoder().decode(s.read('Doc_0/Document.xml')).replace('</ofd:Pages>', '<ofd:Page ID="999" BaseLoc="Pages/Page_9/Content.xml"/></ofd:Pages>');
  const added = writeZip([
    ...s.entries.map((e) => (e.name === 'Doc_0/Document.xml' ? { name: e.name, data: new TextEncoder().encode(docXml) } : { name: e.name, copy: e })),
    { name: 'Doc_0/Pages/Page_9/Content.xml', data: s.read('Doc_0/Pages/Page_0/Content.xml')! },
  ]);
  const r = (await verifyTrusted(added)).signatures[0]!;
  assert.equal(r.checks.coverage, 'failed');
  assert.ok(r.messages.some((m) => m.code === 'COVERAGE_FAILED' && m.en.includes('/Doc_0/Pages/Page_9/Content.xml')));
  assert.equal(r.checks.integrity, 'failed', 'Document.xml changed too');
});

test('the ofdrw test PKI (PKCS#12, seal maker SealBuilder): a seal signature made inside its validity verifies to ROOT', async () => {
  const { parsePkcs12 } = await import('@yinzhang/pki');
  const { createSigner } = await import('@yinzhang/gm');
  const user = parsePkcs12(fixture('USER.p12'), '777777');
  const maker = parsePkcs12(fixture('SealBuilder.p12'), '777777');
  const root = parsePkcs12(fixture('ROOT.p12'), '123456').certificate.der;
  const when = new Date('2021-06-01T08:00:00Z');
  const seal = await buildSeal({
    vid: 'YZ', esID: 'OFDRW-USER', type: 1, name: 'ofdrw 测试印章', signerCertificates: [user.certificate.der],
    createDate: when, validStart: when, validEnd: new Date('2022-04-01T00:00:00Z'),
    picture: { type: 'PNG', data: (await testPki()).picture, widthMm: 40, heightMm: 40 },
    maker: { signer: createSigner(maker.privateKey), certificate: maker.certificate.der },
  });
  const r = await signOfdWithSeal(doc(), { seal, signer: createSigner(user.privateKey), certificate: user.certificate.der, signingTime: when, placement: { kind: 'riding' } });
  const rep = await verifyOfd(r.ofd, { trustAnchors: [root] });
  assertPassed(rep.signatures[0]!);
  assert.equal(rep.signatures[0]!.signingTime, when.toISOString());
});

test('DeltaX expansion is bounded by the glyph count (a hostile "g 1000000000 1" costs nothing)', async () => {
  const { expandDelta } = await import('../src/text.js');
  assert.deepEqual(expandDelta('g 3 1.5 2', 10), [1.5, 1.5, 1.5, 2]);
  assert.equal(expandDelta('g 1000000000 1', 5).length, 5);
});
