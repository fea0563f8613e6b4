import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YzError } from '@yinzhang/gm';
import { renderSealPng } from '../src/index.js';
import { inkBox, isInk, readPng } from './helpers.js';

/** pHYs pixels per metre, read independently of our writer. */
function physPerMetre(png: Uint8Array): number | undefined {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let off = 8; off + 8 <= png.length; off += 12 + dv.getUint32(off)) {
    if (String.fromCharCode(...png.subarray(off + 4, off + 8)) === 'pHYs') return dv.getUint32(off + 8);
  }
  return undefined;
}

test('round seal PNG: transparent outside the rim, rim touches the edges, star centred, plausible red share', () => {
  const px = 420;
  const png = renderSealPng({ kind: 'legal_name', name: '北京市某某科技有限公司', sealCode: '1101080012345' }, { px });
  const p = readPng(png);
  assert.equal(p.width, px);
  assert.equal(p.height, px);
  // 42 mm at 420 px = 10 px/mm = 10000 px/m: prints at real size.
  assert.equal(physPerMetre(png), 10000);
  const c = px / 2;
  let outside = 0;
  let red = 0;
  for (let y = 0; y < px; y++) {
    for (let x = 0; x < px; x++) {
      const i = y * px + x;
      const r = Math.hypot(x + 0.5 - c, y + 0.5 - c);
      if (r > c + Math.SQRT1_2 && p.data[i * 4 + 3]! > 0) outside++;
      if (isInk(p, i)) red++;
      // Only seal red or transparency: no other colour anywhere.
      if (p.data[i * 4 + 3]! > 200) assert.ok(p.data[i * 4]! > 200 && p.data[i * 4 + 1]! < 40, `colour at ${x},${y}`);
    }
  }
  assert.equal(outside, 0, 'no pixel outside the rim');
  const share = red / (Math.PI * c * c);
  assert.ok(share > 0.12 && share < 0.4, `red share ${share}`);
  const box = inkBox(p);
  assert.ok(box.x0 <= 1 && box.y0 <= 1 && box.x1 >= px - 2 && box.y1 >= px - 2, 'rim reaches the image edge');
  // Inside the rim's inner edge nothing is drawn in the ring 1 px wide next to the rim except where text sits close:
  // rim thickness measured on the left edge row through the centre ≈ 1.4 mm = 14 px.
  let rim = 0;
  while (isInk(p, Math.round(c) * px + rim)) rim++;
  assert.ok(rim >= 12 && rim <= 16, `rim ${rim} px`);
  // Star centred: the centroid of ink within the star's radius is the image centre.
  const rs = 0.165 * px;
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = Math.floor(c - rs); y <= c + rs; y++) {
    for (let x = Math.floor(c - rs); x <= c + rs; x++) {
      if (Math.hypot(x + 0.5 - c, y + 0.5 - c) <= rs && isInk(p, y * px + x)) {
        sx += x + 0.5;
        sy += y + 0.5;
        n++;
      }
    }
  }
  assert.ok(Math.abs(sx / n - c) < 1, `star x ${sx / n}`);
  // A five-pointed star's centroid is its centre; its ink inside rs is about 35–45 % of the disc.
  assert.ok(Math.abs(sy / n - c) < 2.5, `star y ${sy / n}`);
  assert.ok(n / (Math.PI * rs * rs) > 0.3 && n / (Math.PI * rs * rs) < 0.5);
});

test('oval invoice PNG keeps its 4:3 shape and nothing outside the ellipse', () => {
  const png = renderSealPng({ kind: 'invoice', name: '广州某某信息技术有限公司', taxId: '91350100M000100Y43' }, { px: 400 });
  const p = readPng(png);
  assert.equal(p.height, 300);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      // Pixel centre more than a pixel diagonal outside the ellipse (anti-aliasing may touch the ones in between).
      const e = ((x + 0.5 - 200) / 200.71) ** 2 + ((y + 0.5 - 150) / 150.71) ** 2;
      if (e > 1) assert.equal(p.data[(y * p.width + x) * 4 + 3], 0, `pixel ${x},${y} outside the oval`);
    }
  }
  const box = inkBox(p);
  assert.ok(box.x0 <= 1 && box.x1 >= 398 && box.y0 <= 1 && box.y1 >= 298);
});

test('square personal seal PNG: ink fills the frame, characters in all four cells', () => {
  const p = readPng(renderSealPng({ kind: 'personal', name: '张三' }, { px: 360 }));
  assert.equal(p.width, 360);
  const cells = [0, 0, 0, 0];
  for (let y = 30; y < 330; y++) {
    for (let x = 30; x < 330; x++) if (isInk(p, y * 360 + x)) cells[(y < 180 ? 0 : 2) + (x < 180 ? 0 : 1)]!++;
  }
  for (const n of cells) assert.ok(n > 2000, `cell ink ${cells.join(',')}`);
});

test('default raster width is 300 dpi of the real width; impossible pixel sizes are refused', () => {
  const p = readPng(renderSealPng({ kind: 'personal', name: '张三' }));
  assert.equal(p.width, Math.round((18 / 25.4) * 300));
  for (const px of [0, 8, 4097, 100000, 1.5, Number.NaN]) {
    assert.throws(
      () => renderSealPng({ kind: 'personal', name: '张三' }, { px }),
      (e: unknown) => e instanceof YzError && e.code === 'SEAL_BAD_SIZE',
      String(px),
    );
  }
});
