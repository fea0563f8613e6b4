import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner } from '@yinzhang/gm';
import { signPdfDocument, verifyPdfDocument } from '../src/node.js';
import { PdfDocument } from '../src/index.js';
import { makePdf, makePki, makeSeal, tempDir } from './helpers.js';

const rsa = await makePki('rsa2048');
const signer = await rsa.issue('Producer Signer', 'rsa2048');
const sm = await makePki('sm2');
const maker = await sm.issue('Maker', 'sm2', 'seal-maker');
const sealer = await sm.issue('Sealer', 'sm2');
const seal = await makeSeal(maker, [sealer]);

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

async function producers(dir: string): Promise<Record<string, Uint8Array>> {
  const plain = await makePdf({ pages: 2 });
  const out: Record<string, Uint8Array> = { 'pdf-lib': plain, 'pdf-lib object streams': await makePdf({ pages: 2, objectStreams: true }) };
  writeFileSync(join(dir, 'plain.pdf'), plain);
  const qpdf = (name: string, args: string[]): void => {
    execFileSync('qpdf', [...args, join(dir, 'plain.pdf'), join(dir, `${name}.pdf`)]);
    out[`qpdf ${args.join(' ')}`] = new Uint8Array(readFileSync(join(dir, `${name}.pdf`)));
  };
  qpdf('objstm', ['--object-streams=generate']);
  qpdf('lin', ['--linearize']);
  qpdf('linobj', ['--linearize', '--object-streams=generate']);
  if (chromium) {
    writeFileSync(join(dir, 'c.html'), '<html><body><h1>合同 Contract</h1><p>This agreement is signed by Party A and Party B.</p><p style="page-break-before:always">第二页 page two</p></body></html>');
    const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--print-to-pdf=${join(dir, 'chrome.pdf')}`, join(dir, 'c.html')], { timeout: 60_000 });
    if (r.status === 0 && existsSync(join(dir, 'chrome.pdf'))) out['chromium print-to-pdf'] = new Uint8Array(readFileSync(join(dir, 'chrome.pdf')));
  }
  return out;
}

test('PDFs from several producers: CMS signature by keyword, then an SES seal; both pass, pdfsig and qpdf agree', async (t) => {
  const tmp = tempDir();
  try {
    const inputs = await producers(tmp.dir);
    if (!chromium) t.diagnostic('chromium not installed: print-to-pdf producer skipped');
    else {
      const chrome = inputs['chromium print-to-pdf'];
      assert.ok(chrome, 'chromium is installed but produced no PDF');
      // Type0/Identity-H fonts with ToUnicode CMaps (Skia): the keyword is found on page 2. (CJK text would need a CJK
      // font installed for Chromium to emit real glyphs; without one it prints .notdef boxes with no Unicode.)
      const k = await signPdfDocument(chrome, { signer: createSigner(signer.key), certificate: signer.cert.der, placement: { kind: 'keyword', keyword: 'page two' } });
      assert.deepEqual(k.pages, [2]);
    }
    assert.ok(Object.keys(inputs).length >= 5);
    for (const [producer, pdf] of Object.entries(inputs)) {
      const a = await signPdfDocument(pdf, { signer: createSigner(signer.key), certificate: signer.cert.der, placement: { kind: 'keyword', keyword: 'Party A' } });
      assert.deepEqual(a.bytes.subarray(0, pdf.length), pdf, `${producer}: earlier bytes changed`);
      const b = await signPdfDocument(a.bytes, { signer: createSigner(sealer.key), certificate: sealer.cert.der, seal, placement: { kind: 'page', page: 2, xMm: 20, yMm: 20 } });
      const rep = await verifyPdfDocument(b.bytes, { trustAnchors: [rsa.root.cert.der, sm.root.cert.der] });
      assert.equal(rep.signatures.length, 2, producer);
      assert.equal(rep.indication, 'TOTAL_PASSED', `${producer}: ${JSON.stringify(rep.signatures.map((s) => s.messages))}`);
      // the keyword widget sits on page 1 over the text
      const doc = new PdfDocument(b.bytes);
      assert.equal(a.pages[0], 1, producer);
      assert.equal(doc.pages().length, 2, producer);
      const file = join(tmp.dir, 'signed.pdf');
      writeFileSync(file, b.bytes);
      const qp = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
      assert.equal(qp.status, 0, `${producer}: ${qp.stdout}${qp.stderr}`);
      const ps = spawnSync('pdfsig', [file], { encoding: 'utf8' });
      assert.match(ps.stdout, /Signature #1:[\s\S]*?Signature Validation: Signature is Valid\./, producer);
    }
  } finally {
    tmp.done();
  }
});
