import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YzError } from '@yinzhang/gm';
import { COMPARE_THRESHOLD, cleanImpression, compareImpressions, renderSealPng } from '../src/index.js';
import type { SealSpec } from '../src/index.js';
import { inkBox, readPng, writePng } from './helpers.js';
import { askew, photo } from './photo.js';

const base: SealSpec = { kind: 'legal_name', name: '北京市某某科技有限公司', sealCode: '1101080012345' };


test('clean-up: a JPEG photo of a stamped page becomes a transparent red impression cropped to the seal', () => {
  const seal = renderSealPng(base, { px: 480 });
  const { jpg, sealPx } = photo(seal, 210, 130);
  const cleaned = cleanImpression(jpg);
  // Cropped to the seal (2 px margin), not to the page, the print lines or the stray speck.
  assert.ok(Math.abs(cleaned.width - sealPx) <= 8, `width ${cleaned.width} vs ${sealPx}`);
  assert.ok(Math.abs(cleaned.height - sealPx) <= 8, `height ${cleaned.height}`);
  const p = readPng(cleaned.png);
  assert.equal(p.width, cleaned.width);
  // Corners (outside the round rim) are transparent; the paper and the black print lines are gone.
  for (const [x, y] of [
    [3, 3],
    [p.width - 4, 3],
    [3, p.height - 4],
    [p.width - 4, p.height - 4],
  ] as const) {
    assert.equal(p.data[(y * p.width + x) * 4 + 3], 0, `corner ${x},${y}`);
  }
  // A black print line runs through the seal at photo row 370 (= 240 in the crop): outside the ink it is transparent.
  let opaqueOnLine = 0;
  for (let x = 0; x < p.width; x++) if (p.data[((370 - 130 + 4) * p.width + x) * 4 + 3]! > 128) opaqueOnLine++;
  assert.ok(opaqueOnLine < p.width * 0.35, `print line kept: ${opaqueOnLine}`);
  const box = inkBox(p);
  assert.ok(box.x1 - box.x0 > sealPx * 0.97);
  assert.ok(cleaned.inkRatio > 0.1 && cleaned.inkRatio < 0.45, `ink ratio ${cleaned.inkRatio}`);
  // And it is still the same impression.
  assert.ok(compareImpressions(cleaned.png, seal).score >= COMPARE_THRESHOLD);
  assert.ok(compareImpressions(jpg, seal).score >= COMPARE_THRESHOLD);
});

test('a photo of the seal stamped 4° askew at another size still matches the registered impression', () => {
  const { jpg } = photo(askew(base, 4, 560, false), 160, 90);
  const r = compareImpressions(renderSealPng(base, { px: 400 }), cleanImpression(jpg).png);
  assert.ok(r.score >= COMPARE_THRESHOLD, JSON.stringify(r));
  assert.ok(Math.abs(r.rotationDeg + 4) <= 1, `rotation ${r.rotationDeg}`);
});

test('comparison: the seal re-rendered at another scale and rotated 3° passes, other seals do not', () => {
  const a = renderSealPng(base, { px: 400 });
  for (const deg of [3, -3]) {
    const r = compareImpressions(a, askew(base, deg, 640));
    assert.ok(r.score >= COMPARE_THRESHOLD && r.match, `rotated ${deg}°: ${JSON.stringify(r)}`);
    assert.ok(Math.abs(r.rotationDeg + deg) <= 1, `found rotation ${r.rotationDeg}`);
  }
  assert.ok(compareImpressions(a, askew(base, 0, 250)).score >= COMPARE_THRESHOLD, 'smaller scale');
  const other = compareImpressions(a, renderSealPng({ ...base, name: '天津市另外一家企业管理有限公司' }, { px: 400 }));
  assert.ok(other.score < COMPARE_THRESHOLD && !other.match, `different name: ${other.score}`);
  const twoChars = compareImpressions(a, renderSealPng({ ...base, name: '北京市某某商贸有限公司' }, { px: 400 }));
  assert.ok(twoChars.score < COMPARE_THRESHOLD, `two characters changed: ${twoChars.score}`);
  const code = compareImpressions(a, renderSealPng({ ...base, kind: 'contract' }, { px: 400 }));
  assert.ok(code.score < COMPARE_THRESHOLD, `other kind: ${code.score}`);
  const square = compareImpressions(a, renderSealPng({ kind: 'personal', name: '张三' }, { px: 400 }));
  assert.ok(square.score < 0.5, `square vs round: ${square.score}`);
  assert.ok(other.score < COMPARE_THRESHOLD - 0.1 && twoChars.score > other.score, 'ordering');
});

test('bad impression images: typed errors', () => {
  const check = (bytes: Uint8Array, code: string) =>
    assert.throws(
      () => cleanImpression(bytes),
      (e: unknown) => e instanceof YzError && e.code === code,
      code,
    );
  check(new TextEncoder().encode('not an image at all'), 'IMAGE_MALFORMED');
  const png = renderSealPng(base, { px: 64 });
  check(png.subarray(0, 60), 'IMAGE_MALFORMED');
  const huge = png.slice();
  new DataView(huge.buffer).setUint32(16, 100000);
  new DataView(huge.buffer).setUint32(20, 100000);
  check(huge, 'IMAGE_TOO_LARGE');
  check(writePng({ width: 50, height: 50, data: new Uint8Array(50 * 50 * 4).fill(255) }), 'IMPRESSION_NOT_FOUND');
  const blackText = new Uint8Array(50 * 50 * 4).fill(255);
  for (let i = 0; i < 50 * 25; i++) blackText.set([0, 0, 0, 255], i * 4);
  check(writePng({ width: 50, height: 50, data: blackText }), 'IMPRESSION_NOT_FOUND');
  assert.throws(
    () => compareImpressions(png, new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2])),
    (e: unknown) => e instanceof YzError && e.code === 'IMAGE_MALFORMED',
  );
});
