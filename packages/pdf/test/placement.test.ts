import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, degrees } from 'pdf-lib';
import { createSigner } from '@yinzhang/gm';
import { signPdfDocument } from '../src/node.js';
import { makePki, sealPng, tempDir } from './helpers.js';

const pki = await makePki('p256');
const s = await pki.issue('Placement Signer', 'p256');

/** Renders page 1 with poppler and returns the red pixels' bounding box as fractions of the displayed page. */
function redBox(pdf: Uint8Array, dir: string): { x0: number; y0: number; x1: number; y1: number } {
  writeFileSync(join(dir, 'p.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', '30', '-f', '1', '-l', '1', '-singlefile', join(dir, 'p.pdf'), join(dir, 'p')]);
  const ppm = readFileSync(join(dir, 'p.ppm'));
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const px = ppm.subarray(header[0].length);
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    if (px[i]! > 150 && px[i + 1]! < 100 && px[i + 2]! < 100) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  return { x0: x0 / w, y0: y0 / h, x1: (x1 + 1) / w, y1: (y1 + 1) / h };
}

test('--at X,Y is millimetres from the displayed top-left corner, on rotated pages too', async () => {
  const t = tempDir();
  try {
    for (const rot of [0, 90, 180, 270]) {
      const d = await PDFDocument.create();
      d.addPage([595.28, 841.89]).setRotation(degrees(rot)); // A4: 210 × 297 mm
      const pdf = await d.save();
      const out = await signPdfDocument(pdf, { signer: createSigner(s.key), certificate: s.cert.der, picture: sealPng(), sizeMm: { width: 30, height: 30 }, placement: { kind: 'page', page: 1, xMm: 21, yMm: 30 } });
      const b = redBox(out.bytes, t.dir);
      const [W, H] = rot % 180 === 0 ? [210, 297] : [297, 210];
      const near = (a: number, e: number, what: string) => assert.ok(Math.abs(a - e) < 0.03, `rotate ${rot}: ${what} ${a.toFixed(3)} vs ${e.toFixed(3)}`);
      near(b.x0, 21 / W, 'left');
      near(b.y0, 30 / H, 'top');
      near(b.x1, 51 / W, 'right');
      near(b.y1, 60 / H, 'bottom');
      // a picture red only in its top half shows red in the top half of the box as displayed (upright appearance)
      const half = await signPdfDocument(pdf, { signer: createSigner(s.key), certificate: s.cert.der, picture: sealPng(120, true), sizeMm: { width: 30, height: 30 }, placement: { kind: 'page', page: 1, xMm: 21, yMm: 30 } });
      const hb = redBox(half.bytes, t.dir);
      near(hb.y0, 30 / H, 'top of the upper half');
      near(hb.y1, 45 / H, 'bottom of the upper half');
      near(hb.x1, 51 / W, 'right of the upper half');
    }
  } finally {
    t.done();
  }
});
