import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSigner, sm3, toHex } from '@yinzhang/gm';
import { buildSesSignature } from '@yinzhang/ses';
import { PdfDict, PdfDocument, PdfName, PdfRef, PdfStream, signPdf, verifyPdf, sesContainer, sesVerifier, sealPicture } from '../src/index.js';
import { IncrementalUpdate } from '../src/writer.js';
import { fromLatin1, latin1 } from '../src/objects.js';
import { makePdf, makePki, makeSeal } from './helpers.js';

const pki = await makePki('sm2');
const maker = await pki.issue('Seal Maker', 'sm2', 'seal-maker');
const signer = await pki.issue('Wang Wu', 'sm2');
const seal = await makeSeal(maker, [signer]);
const verifiers = [sesVerifier()];
const trust = [pki.root.cert.der];

async function seal1(pdf: Uint8Array): Promise<{ bytes: Uint8Array; byteRange: number[] }> {
  const r = await signPdf(pdf, {
    placement: { kind: 'page', page: 1, xMm: 100, yMm: 200 },
    picture: sealPicture(seal).data,
    container: sesContainer({ seal, signer: createSigner(signer.key), certificate: signer.cert.der, propertyInfo: 'Signature1' }),
  });
  return r;
}

const base = await makePdf();
const signed = await seal1(base);

test('baseline: the sealed PDF passes', async () => {
  const rep = await verifyPdf(signed.bytes, { verifiers, trustAnchors: trust });
  assert.equal(rep.indication, 'TOTAL_PASSED', JSON.stringify(rep.signatures[0]?.messages));
});

test('a byte flipped inside the signed range fails integrity', async () => {
  const b = signed.bytes.slice();
  const i = latin1(b).indexOf('stream\n') + 12;
  b[i] = b[i]! ^ 0x20;
  const s = (await verifyPdf(b, { verifiers, trustAnchors: trust })).signatures[0]!;
  assert.equal(s.checks.integrity, 'failed');
  assert.equal(s.indication, 'TOTAL_FAILED');
  assert.equal(s.subIndication, 'HASH_FAILURE');
});

test('an appended revision that changes page content fails coverage and is reported as a redefinition', async () => {
  const doc = new PdfDocument(signed.bytes);
  const page = doc.pages()[0]!;
  const c = page.dict.get('Contents');
  const contentsRef = Array.isArray(c) ? c[0] : c;
  assert.ok(contentsRef instanceof PdfRef);
  const up = new IncrementalUpdate(doc, signed.bytes);
  const data = fromLatin1('BT /F1 24 Tf 60 500 Td (PAY 1,000,000 TO MALLORY) Tj ET');
  const old = doc.resolve(contentsRef) as PdfStream;
  const d = old.dict.clone();
  d.map.delete('Filter');
  up.set(contentsRef, new PdfStream(d, -1, data.length, data));
  const { bytes } = up.build();
  const s = (await verifyPdf(bytes, { verifiers, trustAnchors: trust })).signatures[0]!;
  assert.equal(s.checks.integrity, 'passed', 'the signed revision itself is intact');
  assert.equal(s.checks.coverage, 'failed');
  assert.equal(s.subIndication, 'COVERAGE_FAILURE');
  assert.ok(s.messages.some((m) => m.code === 'PDF_OBJECTS_REDEFINED' && m.en.includes(String(contentsRef.num))));
});

test('a later incremental signature is an allowed change', async () => {
  const two = await seal1(signed.bytes);
  const rep = await verifyPdf(two.bytes, { verifiers, trustAnchors: trust });
  assert.equal(rep.signatures.length, 2);
  for (const s of rep.signatures) assert.equal(s.checks.coverage, 'passed', JSON.stringify(s.messages));
  assert.equal(rep.indication, 'TOTAL_PASSED');
});

test('--mode lock: a later signature fails the locked one', async () => {
  const locked = await signPdf(base, {
    mode: 'lock',
    container: sesContainer({ seal, signer: createSigner(signer.key), certificate: signer.cert.der, propertyInfo: 'Signature1' }),
  });
  assert.equal((await verifyPdf(locked.bytes, { verifiers, trustAnchors: trust })).indication, 'TOTAL_PASSED');
  const two = await seal1(locked.bytes);
  const rep = await verifyPdf(two.bytes, { verifiers, trustAnchors: trust });
  assert.equal(rep.signatures.find((s) => s.id === 'Signature1')!.checks.coverage, 'failed');
  assert.equal(rep.signatures.find((s) => s.id === 'Signature2')!.checks.coverage, 'passed');
});

test('a shrunken ByteRange (correctly signed, but leaving the tail unsigned) fails coverage', async () => {
  const b = signed.bytes.slice();
  const text = latin1(b);
  const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text)!;
  const [, b1, b2, b3] = m.map(Number) as [number, number, number, number];
  const short = `/ByteRange [0 ${b1} ${b2} ${b3 - 40}`.padEnd(m[0].length - 1, ' ') + ']';
  assert.equal(short.length, m[0].length);
  b.set(fromLatin1(short), m.index);
  const covered = new Uint8Array(b1 + b3 - 40);
  covered.set(b.subarray(0, b1));
  covered.set(b.subarray(b2, b2 + b3 - 40), b1);
  const ses = await buildSesSignature({ seal, dataHash: sm3(covered), propertyInfo: 'Signature1', signer: createSigner(signer.key), certificate: signer.cert.der });
  const hex = toHex(ses).padEnd(b2 - b1 - 2, '0');
  b.set(fromLatin1(hex), b1 + 1);
  const s = (await verifyPdf(b, { verifiers, trustAnchors: trust })).signatures[0]!;
  assert.equal(s.checks.integrity, 'passed', 'what was signed is intact');
  assert.equal(s.checks.coverage, 'failed');
  assert.equal(s.indication, 'TOTAL_FAILED');
});

test('a signature copied into another PDF fails integrity', async () => {
  const other = await seal1(await makePdf({ text: 'A different contract.' }));
  const src = /\/Contents <([0-9a-f]+)>/.exec(latin1(signed.bytes))![1]!;
  const b = other.bytes.slice();
  const m = /\/Contents <([0-9a-f]+)>/.exec(latin1(b))!;
  assert.equal(m[1]!.length, src.length);
  b.set(fromLatin1(src), m.index + '/Contents <'.length);
  const s = (await verifyPdf(b, { verifiers, trustAnchors: trust })).signatures[0]!;
  assert.equal(s.checks.integrity, 'failed');
  assert.equal(s.indication, 'TOTAL_FAILED');
});

test('an unsigned PDF gives NO_SIGNATURE', async () => {
  const rep = await verifyPdf(base, { verifiers, trustAnchors: trust });
  assert.equal(rep.indication, 'NO_SIGNATURE');
  assert.equal(rep.signatures.length, 0);
  assert.equal(rep.file.sm3, toHex(sm3(base)));
});

test('shadow "hide": a later revision re-points the page to content hidden in the signed revision → coverage fails', async () => {
  // The signed revision already contains an unreferenced content stream (hidden); the update only changes /Contents.
  const doc0 = new PdfDocument(base);
  const up0 = new IncrementalUpdate(doc0, base);
  const hidden = up0.allocate();
  const evil = fromLatin1('BT /F1 24 Tf 60 500 Td (HIDDEN TERMS) Tj ET');
  up0.set(hidden, new PdfStream(new PdfDict(), -1, evil.length, evil));
  const prepared = up0.build().bytes;
  const sealed = (await seal1(prepared)).bytes;
  assert.equal((await verifyPdf(sealed, { verifiers, trustAnchors: trust })).indication, 'TOTAL_PASSED');
  const doc = new PdfDocument(sealed);
  const page = doc.pages()[0]!;
  const up = new IncrementalUpdate(doc, sealed);
  up.set(page.ref, page.dict.clone().set('Contents', hidden));
  const s = (await verifyPdf(up.build().bytes, { verifiers, trustAnchors: trust })).signatures[0]!;
  assert.equal(s.checks.coverage, 'failed');
  assert.ok(s.messages.some((m) => m.code === 'COVERAGE_FAILED' && m.en.includes(`obj ${page.ref.num}`)), JSON.stringify(s.messages));
});

test('an annotation added after signing is allowed but reported (it may overlay content)', async () => {
  const doc = new PdfDocument(signed.bytes);
  const page = doc.pages()[0]!;
  const up = new IncrementalUpdate(doc, signed.bytes);
  const annot = up.allocate();
  const d = page.dict.clone();
  d.map.clear();
  d.set('Type', new PdfName('Annot')).set('Subtype', new PdfName('FreeText')).set('Rect', [0, 0, 500, 800]);
  up.set(annot, d);
  const annots = doc.resolve(page.dict.get('Annots'));
  up.set(page.ref, page.dict.clone().set('Annots', [...(Array.isArray(annots) ? annots : []), annot]));
  const s = (await verifyPdf(up.build().bytes, { verifiers, trustAnchors: trust })).signatures[0]!;
  assert.equal(s.checks.coverage, 'passed', JSON.stringify(s.messages));
  assert.ok(s.messages.some((m) => m.code === 'PDF_ANNOTATIONS_ADDED'));
  assert.ok(s.messages.some((m) => m.code === 'PDF_OBJECTS_REDEFINED'));
});
