import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GB2312_NOT_COVERED, nodeGlyphSource } from '../src/fonts-node.js';
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

test('GB 2312: every character renders in the 宋体 and 仿宋 faces, except the documented list', () => {
  const chars = gb2312();
  assert.equal(chars.length, 7491); // 6763 hanzi + 728 symbols that map outside the private-use area
  const src = nodeGlyphSource();
  for (const face of ['song', 'fangsong'] as const) {
    const missing = chars.filter((c) => !src.glyph(c, face));
    assert.equal(missing.join(''), GB2312_NOT_COVERED, face);
  }
  // Of the 6763 hanzi (rows 16–87), 6730 render.
  const dec = new TextDecoder('gb18030');
  let hanzi = 0;
  let covered = 0;
  for (let hi = 0xb0; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const c = dec.decode(new Uint8Array([hi, lo]));
      if (!/\p{Script=Han}/u.test(c)) continue;
      hanzi++;
      if (src.glyph(c, 'song')) covered++;
    }
  }
  assert.equal(hanzi, 6763);
  assert.equal(covered, 6730);
  // The heavy face (square seals) comes from the same slices: sample every 50th character.
  for (let i = 0; i < chars.length; i += 50) assert.equal(!!src.glyph(chars[i]!, 'songHeavy'), !GB2312_NOT_COVERED.includes(chars[i]!), chars[i]);
});

test('a documented uncovered character is refused by name, not drawn as a box', () => {
  assert.throws(
    () => renderSealSvg({ kind: 'legal_name', name: '某某劐有限公司' }),
    (e: unknown) => e instanceof YzError && e.code === 'SEAL_GLYPH_MISSING' && e.message.includes('劐'),
  );
});

test('common GB 18030 characters beyond GB 2312 render (traditional forms, names, full-width punctuation)', () => {
  const src = nodeGlyphSource();
  for (const c of '鑫淼垚犇喆昇燊玥琇媛囍镕堃翀曌奕祎甯邨澂浛（）·—＆-') assert.ok(src.glyph(c, 'song'), c);
  // Greek and Latin in names fall back to the Latin face.
  assert.ok(src.glyph('Ω', 'song'));
  assert.ok(src.glyph('A', 'song'));
});

test('font licences are recorded next to the package', () => {
  const doc = readFileSync(new URL('../fonts/LICENSES.md', import.meta.url), 'utf8');
  for (const s of ['@fontsource/noto-serif-sc', '@fontsource/arimo', 'SIL Open Font License', 'OFL-1.1', 'Apache-2.0']) assert.ok(doc.includes(s), s);
});
