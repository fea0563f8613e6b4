import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner, isYzError } from '@yinzhang/gm';
import { signPdfDocument, verifyPdfDocument } from '../src/node.js';
import { PdfDocument } from '../src/index.js';
import { fromLatin1, latin1 } from '../src/objects.js';
import { Lexer } from '../src/lexer.js';
import { makePdf, makePki, tempDir } from './helpers.js';

const pki = await makePki('p256');
const s = await pki.issue('Bad Input Signer', 'p256');
const sign = (pdf: Uint8Array) => signPdfDocument(pdf, { signer: createSigner(s.key), certificate: s.cert.der });
const pdf = await makePdf();

async function rejects(bytes: Uint8Array, code: string, what: string): Promise<void> {
  for (const op of [() => sign(bytes), () => verifyPdfDocument(bytes)]) {
    await assert.rejects(op(), (e: unknown) => isYzError(e) && e.code === code, what);
  }
}

test('encrypted PDFs are refused with PDF_ENCRYPTED', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'in.pdf'), pdf);
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', join(t.dir, 'in.pdf'), join(t.dir, 'enc.pdf')]);
    await rejects(new Uint8Array(readFileSync(join(t.dir, 'enc.pdf'))), 'PDF_ENCRYPTED', 'encrypted');
  } finally {
    t.done();
  }
});

test('broken xref: bad startxref, missing startxref, Prev loop → PDF_XREF_BROKEN', async () => {
  const text = latin1(pdf);
  const at = text.lastIndexOf('startxref');
  const wrong = fromLatin1(text.slice(0, at) + 'startxref\n12\n%%EOF\n');
  await rejects(wrong, 'PDF_XREF_BROKEN', 'startxref into the middle of an object');
  await rejects(fromLatin1(text.slice(0, at)), 'PDF_XREF_BROKEN', 'no startxref');
  const beyond = fromLatin1(text.slice(0, at) + 'startxref\n99999999\n%%EOF\n');
  await rejects(beyond, 'PDF_XREF_BROKEN', 'startxref beyond the end');
  const xrefAt = Number(/startxref\s+(\d+)/.exec(text.slice(at))![1]);
  const loop = fromLatin1(text.slice(0, at).replace(/trailer\s*<</, `trailer\n<</Prev ${xrefAt}`) + text.slice(at));
  await rejects(loop, 'PDF_XREF_BROKEN', 'Prev pointing at itself');
});

test('not a PDF, truncated, empty → typed errors', async () => {
  await rejects(fromLatin1('hello world'), 'PDF_MALFORMED', 'no header');
  await rejects(new Uint8Array(0), 'PDF_MALFORMED', 'empty');
  await assert.rejects(verifyPdfDocument(pdf.subarray(0, Math.floor(pdf.length / 2))), (e: unknown) => isYzError(e));
});

test('malformed /Contents or ByteRange in a signature → FORMAT_FAILURE, not an exception', async () => {
  const signed = (await sign(pdf)).bytes;
  const text = latin1(signed);
  const c = text.indexOf('/Contents <') + '/Contents <'.length;
  const bad = signed.slice();
  bad.set(fromLatin1('ffff'), c);
  let rep = await verifyPdfDocument(bad);
  assert.equal(rep.signatures[0]!.checks.format, 'failed');
  assert.equal(rep.signatures[0]!.subIndication, 'FORMAT_FAILURE');
  const br = /\/ByteRange \[0 (\d+)/.exec(text)!;
  const bad2 = signed.slice();
  bad2.set(fromLatin1('/ByteRange [9'), br.index);
  rep = await verifyPdfDocument(bad2);
  assert.equal(rep.signatures[0]!.checks.format, 'failed');
  assert.equal(rep.indication, 'TOTAL_FAILED');
});

test('deeply nested or huge objects hit explicit limits', async () => {
  const deep = '['.repeat(100) + ']'.repeat(100);
  assert.throws(() => new Lexer(fromLatin1(deep), 0, 0, true).parseObject(), (e: unknown) => isYzError(e, 'PDF_MALFORMED'));
  assert.throws(() => new Lexer(fromLatin1('<< /A (unterminated'), 0, 0, true).parseObject(), (e: unknown) => isYzError(e, 'PDF_MALFORMED'));
  assert.ok(new PdfDocument(pdf).pages().length === 2);
});
