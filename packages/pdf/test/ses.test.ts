import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner } from '@yinzhang/gm';
import { signPdf, findSignatureFields, PdfDocument } from '../src/index.js';
import { sesContainer, sesVerifier, sealPicture } from '../src/ses-container.js';
import { verifyPdf } from '../src/verify.js';
import { makePdf, makePki, makeSeal, tempDir } from './helpers.js';

const pki = await makePki('sm2');
const maker = await pki.issue('Seal Maker', 'sm2', 'seal-maker');
const signer = await pki.issue('Zhang San', 'sm2');
const seal = await makeSeal(maker, [signer]);

async function sealPdf(pdf: Uint8Array, placement: Parameters<typeof signPdf>[1]['placement']): Promise<Uint8Array> {
  const pic = sealPicture(seal);
  const r = await signPdf(pdf, {
    placement,
    picture: pic.data,
    sizeMm: { width: pic.widthMm, height: pic.heightMm },
    container: sesContainer({ seal, signer: createSigner(signer.key), certificate: signer.cert.der, propertyInfo: 'Signature1' }),
  });
  return r.bytes;
}

const verifiers = [sesVerifier()];
const trust = [pki.root.cert.der];

test('an SES-sealed PDF verifies; earlier bytes unchanged; qpdf --check clean', async () => {
  const pdf = await makePdf();
  const out = await sealPdf(pdf, { kind: 'page', page: 1, xMm: 120, yMm: 220 });
  assert.deepEqual(out.subarray(0, pdf.length), pdf);
  const rep = await verifyPdf(out, { verifiers, trustAnchors: trust });
  assert.equal(rep.signatures.length, 1);
  const s = rep.signatures[0]!;
  assert.equal(s.kind, 'seal');
  assert.equal(s.checks.integrity, 'passed');
  assert.equal(s.checks.signatureValue, 'passed');
  assert.equal(s.checks.sealSignature, 'passed');
  assert.equal(s.checks.signerInSeal, 'passed');
  assert.equal(s.checks.coverage, 'passed');
  assert.equal(s.checks.certificateChain, 'passed');
  assert.equal(rep.indication, 'TOTAL_PASSED', JSON.stringify(s.messages));
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'a.pdf'), out);
    const qp = execFileSync('qpdf', ['--check', join(t.dir, 'a.pdf')]).toString();
    assert.match(qp, /No syntax or stream encoding errors/);
  } finally {
    t.done();
  }
});

test('riding seal: one widget per page, one signature', async () => {
  const pdf = await makePdf({ pages: 3 });
  const out = await sealPdf(pdf, { kind: 'riding' });
  const doc = new PdfDocument(out);
  const f = findSignatureFields(doc);
  assert.equal(f.length, 1);
  const kids = doc.resolve(f[0]!.field.get('Kids'));
  assert.ok(Array.isArray(kids) && kids.length === 3);
  for (const p of doc.pages()) assert.equal((doc.resolve(p.dict.get('Annots')) as unknown[]).length, 1);
  const rep = await verifyPdf(out, { verifiers, trustAnchors: trust });
  assert.equal(rep.indication, 'TOTAL_PASSED');
});

test('keyword placement centres the seal on the keyword', async () => {
  const pdf = await makePdf({ pages: 2 });
  const out = await sealPdf(pdf, { kind: 'keyword', keyword: 'Party A:' });
  const doc = new PdfDocument(out);
  const w = doc.dict(findSignatureFields(doc)[0]!.fieldRef)!;
  const rect = doc.resolve(w.get('Rect')) as number[];
  const cx = (rect[0]! + rect[2]!) / 2, cy = (rect[1]! + rect[3]!) / 2;
  // "Signature of Party A:" drawn at x=60,y=200 size 12 in Helvetica: "Party A:" spans about x 133..180
  assert.ok(cx > 130 && cx < 185, `centre x ${cx}`);
  assert.ok(cy > 198 && cy < 212, `centre y ${cy}`);
  assert.equal((await verifyPdf(out, { verifiers, trustAnchors: trust })).indication, 'TOTAL_PASSED');
});
