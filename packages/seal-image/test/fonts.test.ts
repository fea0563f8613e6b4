import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { nodeGlyphSource } from '../src/fonts-node.js';
import { renderSealSvg } from '../src/index.js';
import { YzError } from '@yinzhang/gm';

/** Every GB 2312 character (rows 1–87 of the 94×94 table), decoded by ICU's GB 18030 decoder, not by our code. */
function gb2312(): string[] {
  const dec = new TextDecoder('gb18030');
  const out: string[] = [];
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const s = dec.decode(new Uint8Array([hi, lo]));
      const cp = s.codePointAt(0)!;
      if (s === '\ufffd' || [...s].length !== 1 || (cp >= 0xe000 && cp <= 0xf8ff)) continue;
      out.push(s);
    }
  }
  return out;
}

test('GB 2312: every character renders in the 宋体, heavy and 仿宋 faces (all 6763 hanzi and 728 symbols)', () => {
  const chars = gb2312();
  assert.equal(chars.length, 7491); // 6763 hanzi + 728 symbols that map outside the private-use area
  // Rows 16–87 hold the hanzi (〇 in row 1 is Han script too, but a symbol in GB 2312's own count).
  const firstHanzi = new TextDecoder('gb18030').decode(new Uint8Array([0xb0, 0xa1]));
  assert.equal(chars.length - chars.indexOf(firstHanzi), 6763);
  const src = nodeGlyphSource();
  for (const face of ['song', 'songHeavy', 'fangsong'] as const) {
    const missing = chars.filter((c) => !src.glyph(c, face));
    assert.equal(missing.join(''), '', face);
  }
  // The rare hanzi that web-font slices leave out really are drawn (an outline with ink, not an empty glyph).
  for (const c of '劐阢坶塥蒈骣鲰齄') {
    const g = src.glyph(c, 'song')!;
    assert.ok(g.commands.length > 10, c);
  }
});

test('a character no bundled font has is refused by name, not drawn as a box', () => {
  for (const c of ['\u{30000}', '\u{2A6D6}']) {
    assert.throws(
      () => renderSealSvg({ kind: 'legal_name', name: `某某${c}有限公司` }),
      (e: unknown) => e instanceof YzError && e.code === 'SEAL_GLYPH_MISSING' && e.message.includes(c),
      c.codePointAt(0)!.toString(16),
    );
  }
});

test('common GB 18030 characters beyond GB 2312 render (traditional forms, names, full-width punctuation)', () => {
  const src = nodeGlyphSource();
  for (const c of '鑫淼垚犇喆昇燊玥琇媛囍镕堃翀曌奕祎甯邨澂浛（）·—＆-') assert.ok(src.glyph(c, 'song'), c);
  // GB 18030's mandatory hanzi: the whole CJK Unified Ideographs block and Extension A.
  const missing: string[] = [];
  for (const [lo, hi] of [[0x4e00, 0x9fa5], [0x3400, 0x4db5]] as const) {
    for (let cp = lo; cp <= hi; cp++) if (!src.glyph(String.fromCodePoint(cp), 'song')) missing.push(cp.toString(16));
  }
  assert.deepEqual(missing, []);
  // Greek and Latin in names fall back to the Latin face.
  assert.ok(src.glyph('Ω', 'song'));
  assert.ok(src.glyph('A', 'song'));
});

test('font licences are recorded next to the package', () => {
  const doc = readFileSync(new URL('../fonts/LICENSES.md', import.meta.url), 'utf8');
  for (const s of ['@expo-google-fonts/noto-serif-sc', '@fontsource/arimo', 'SIL Open Font License', 'OFL-1.1', 'Apache-2.0']) assert.ok(doc.includes(s), s);
});
