import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YzError } from '@yinzhang/gm';
import { DEFAULT_LABELS, renderSealSvg, renderSealSvgWith, squareCells, usccCheckChar } from '../src/index.js';
import type { GlyphSource } from '../src/index.js';
import { pathPoints } from './helpers.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof YzError, `not a YzError: ${String(e)}`);
    return e.code;
  }
  assert.fail('no error thrown');
};

test('round legal-name seal: real size in mm, rim, star, name and code as outlines, no <text>', () => {
  const r = renderSealSvg({ kind: 'legal_name', name: '北京市某某科技有限公司', sealCode: '1101080012345' });
  assert.equal(r.widthMm, 42);
  assert.equal(r.heightMm, 42);
  assert.match(r.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="42mm" height="42mm" viewBox="0 0 42 42"/);
  assert.match(r.svg, /<circle id="rim" cx="21" cy="21" r="20.3" fill="none" stroke-width="1.4"\/>/);
  for (const id of ['star', 'name', 'code']) assert.ok(pathPoints(r.svg, id).length >= 10, `layer ${id}`);
  assert.doesNotMatch(r.svg, /<text|font-family|<image/);
  // Everything inside the rim's inner edge.
  for (const id of ['star', 'name', 'code']) {
    for (const [x, y] of pathPoints(r.svg, id)) assert.ok(Math.hypot(x - 21, y - 21) <= 21 - 1.4 + 1e-9, `${id} point ${x},${y} on/outside the rim`);
  }
  // Name on the upper arc: nothing of it in the bottom 90° sector; the code only there.
  const angle = (x: number, y: number) => (Math.atan2(y - 21, x - 21) * 180) / Math.PI;
  for (const [x, y] of pathPoints(r.svg, 'name')) assert.ok(!(angle(x, y) > 50 && angle(x, y) < 130), `name point at ${angle(x, y)}°`);
  for (const [x, y] of pathPoints(r.svg, 'code')) assert.ok(angle(x, y) > 45 && angle(x, y) < 135);
  // Star centred: its points are symmetric about the centre column and the top point is straight above the centre.
  const star = pathPoints(r.svg, 'star');
  const xs = star.map(([x]) => x);
  assert.ok(Math.abs((Math.min(...xs) + Math.max(...xs)) / 2 - 21) < 0.01);
  assert.deepEqual(star[0], [21, 21 - 42 * 0.165]);
});

test('deterministic: the same spec gives byte-identical SVG', () => {
  const spec = { kind: 'contract', name: '上海某某贸易有限责任公司', sealCode: '3101150067890' } as const;
  assert.equal(renderSealSvg(spec).svg, renderSealSvg({ ...spec }).svg);
});

test('special-purpose seals get their label below the star, horizontal', () => {
  for (const kind of ['contract', 'finance', 'personnel', 'audit', 'customs', 'certificate', 'document'] as const) {
    const r = renderSealSvg({ kind, name: '某某有限公司' });
    assert.equal(r.widthMm, 40);
    assert.ok(r.svg.includes(`<title>某某有限公司 ${DEFAULT_LABELS[kind]}</title>`), kind);
    const label = pathPoints(r.svg, 'label');
    const ys = label.map(([, y]) => y);
    // Below the star (star radius 6.6 mm), above the bottom of the rim.
    assert.ok(Math.min(...ys) > 20 + 6.6 && Math.max(...ys) < 40 - 1.33, kind);
  }
  const custom = renderSealSvg({ kind: 'department', name: '某某有限公司', label: '人力资源部' });
  assert.ok(custom.svg.includes('<title>某某有限公司 人力资源部</title>'));
  assert.equal(pathPoints(renderSealSvg({ kind: 'legal_name', name: '某某有限公司' }).svg, 'label').length, 0);
});

test('invoice seal: 40×30 mm oval, 1 mm rim, tax id centred, 发票专用章 below', () => {
  const r = renderSealSvg({ kind: 'invoice', name: '广州某某信息技术有限公司', taxId: '91350100M000100Y43' });
  assert.equal(r.widthMm, 40);
  assert.equal(r.heightMm, 30);
  assert.match(r.svg, /<ellipse id="rim" cx="20" cy="15" rx="19.5" ry="14.5" fill="none" stroke-width="1"\/>/);
  const id = pathPoints(r.svg, 'tax-id');
  const xs = id.map(([x]) => x);
  const ys = id.map(([, y]) => y);
  assert.ok(Math.abs((Math.min(...xs) + Math.max(...xs)) / 2 - 20) < 0.3, 'tax id centred horizontally');
  assert.ok(Math.abs((Math.min(...ys) + Math.max(...ys)) / 2 - 15) < 0.3, 'tax id on the centre line');
  assert.ok(Math.max(...ys) - Math.min(...ys) > 2.3 && Math.max(...ys) - Math.min(...ys) < 3.4, 'tax id type ≈ 3.7 mm');
  const label = pathPoints(r.svg, 'label').map(([, y]) => y);
  assert.ok(Math.min(...label) > 17);
  for (const layer of ['name', 'tax-id', 'label']) {
    for (const [x, y] of pathPoints(r.svg, layer)) assert.ok(((x - 20) / 19) ** 2 + ((y - 15) / 14) ** 2 <= 1, `${layer} outside the rim`);
  }
  assert.equal(code(() => renderSealSvg({ kind: 'invoice', name: '某公司' })), 'SEAL_BAD_TAX_ID');
  assert.equal(code(() => renderSealSvg({ kind: 'invoice', name: '某公司', taxId: '91350100M000100Y44' })), 'SEAL_BAD_TAX_ID');
});

test('GB 32100 check character', () => {
  assert.equal(usccCheckChar('91350100M000100Y4'), '3');
  assert.equal(usccCheckChar('9135010O'), undefined); // O is not in the code alphabet
});

test('square name seals: completed with 印 / 之印, read right to left, top to bottom', () => {
  assert.deepEqual(squareCells([...'张三']), { chars: [...'张三之印'], cols: 2, rows: 2 });
  assert.deepEqual(squareCells([...'王小明']), { chars: [...'王小明印'], cols: 2, rows: 2 });
  assert.deepEqual(squareCells([...'欧阳明月']), { chars: [...'欧阳明月'], cols: 2, rows: 2 });
  assert.deepEqual(squareCells([...'张三印']), { chars: [...'张三印'], cols: 2, rows: 2 });
  assert.equal(code(() => squareCells([...'一二三四五六七八九十'])), 'SEAL_NAME_TOO_LONG');
  const r = renderSealSvg({ kind: 'personal', name: '张三' });
  assert.equal(r.widthMm, 18);
  assert.match(r.svg, /<rect id="rim"/);
  assert.equal(renderSealSvg({ kind: 'legal_representative', name: '王小明' }).widthMm, 20);
  // First character (张) in the right column, top row: its points lie right of centre and above it.
  const one = renderSealSvgWith({ kind: 'personal', name: '张三' }, onlyChar('张'));
  const pts = pathPoints(one.svg, 'name');
  assert.ok(pts.length > 0 && pts.every(([x, y]) => x > 9 && y < 9));
});

/** A glyph source that draws only one character (a box) so a test can find where it went. */
function onlyChar(ch: string): GlyphSource {
  return {
    glyph: (c) => ({
      upm: 1000,
      advance: 1000,
      boxBottom: -120,
      boxTop: 880,
      commands:
        c === ch
          ? [{ type: 'M', x: 100, y: 0 }, { type: 'L', x: 900, y: 0 }, { type: 'L', x: 900, y: 760 }, { type: 'L', x: 100, y: 760 }, { type: 'Z' }]
          : [],
    }),
  };
}

test('rectangular signature seal fits its name in one line', () => {
  const r = renderSealSvg({ kind: 'personal', name: '欧阳明月', shape: 'rect' });
  assert.equal(r.heightMm, 10);
  for (const [x, y] of pathPoints(r.svg, 'name')) assert.ok(x > 0.7 && x < r.widthMm - 0.7 && y > 0.7 && y < 9.3);
});

test('60-character names are condensed inside the arc, never over the rim or into the bottom', () => {
  const name = '中华人民共和国某某省某某市某某区某某街道某某社区'.padEnd(56, '某') + '有限公司';
  assert.equal([...name].length, 60);
  const r = renderSealSvg({ kind: 'finance', name, sealCode: '1101080012345' });
  const angle = (x: number, y: number) => (Math.atan2(y - 20, x - 20) * 180) / Math.PI;
  for (const [x, y] of pathPoints(r.svg, 'name')) {
    assert.ok(Math.hypot(x - 20, y - 20) <= 20 - 40 / 30, 'inside the rim');
    assert.ok(!(angle(x, y) > 46 && angle(x, y) < 134), 'inside the 270° arc');
  }
  // The label still fits between the ends of the arc.
  for (const [x, y] of pathPoints(r.svg, 'label')) assert.ok(Math.hypot(x - 20, y - 20) < 18);
});

test('bad input: clear, typed errors', () => {
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '' })), 'SEAL_NAME_EMPTY');
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: ' \t ' })), 'SEAL_NAME_EMPTY');
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '某'.repeat(65) })), 'SEAL_NAME_TOO_LONG');
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '某某公司😀' })), 'SEAL_TEXT_UNSUPPORTED');
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '某某🇨🇳公司' })), 'SEAL_TEXT_UNSUPPORTED');
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '某某\u0007公司' })), 'SEAL_TEXT_UNSUPPORTED');
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '某某\ue000公司' })), 'SEAL_TEXT_UNSUPPORTED');
  assert.equal(code(() => renderSealSvg({ kind: 'nonsense' as never, name: '某' })), 'SEAL_KIND_UNKNOWN');
  assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '某', sealCode: '123' })), 'SEAL_BAD_CODE');
  for (const widthMm of [0, -42, 5, 1000, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(code(() => renderSealSvg({ kind: 'legal_name', name: '某某公司', widthMm })), 'SEAL_BAD_SIZE', String(widthMm));
  }
  assert.equal(code(() => renderSealSvg({ kind: 'invoice', name: '某', taxId: '91350100M000100Y43', widthMm: 30, heightMm: 40 })), 'SEAL_BAD_SIZE');
  // A character no bundled font has (a CJK Extension B ideograph): refused with the character named, never a tofu box.
  assert.throws(
    () => renderSealSvg({ kind: 'legal_name', name: '某𠀀公司' }),
    (e: unknown) => e instanceof YzError && e.code === 'SEAL_GLYPH_MISSING' && /U\+20000/.test(e.message),
  );
});

test('government sizes (Ø45/50/60) and Ø38 scale the whole design', () => {
  for (const d of [38, 45, 50, 60]) {
    const r = renderSealSvg({ kind: 'legal_name', name: '某某市人民政府', widthMm: d });
    assert.match(r.svg, new RegExp(`width="${d}mm" height="${d}mm" viewBox="0 0 ${d} ${d}"`));
    for (const [x, y] of pathPoints(r.svg, 'name')) assert.ok(Math.hypot(x - d / 2, y - d / 2) <= d / 2 - Math.min(2, d / 30));
  }
});

test('an unreadable font slice makes its characters "missing", not a crash', async () => {
  const { SlicedFontSource } = await import('../src/portable.js');
  const broken = new SlicedFontSource({
    song: { metrics: 'cjk', slices: [{ ranges: [[0, 0x10ffff]], load: () => new Uint8Array([1, 2, 3, 4]).buffer }] },
    songHeavy: { metrics: 'cjk', slices: [] },
    fangsong: { metrics: 'cjk', slices: [] },
    latin: { metrics: 'latin', slices: [] },
  });
  assert.equal(code(() => renderSealSvgWith({ kind: 'legal_name', name: '某某公司' }, broken)), 'SEAL_GLYPH_MISSING');
});
