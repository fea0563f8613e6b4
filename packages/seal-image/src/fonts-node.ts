/**
 * Fonts that arrive with `npm ci` (nothing from the system): Noto Serif SC (宋体 style) and Arimo (Arial-metric Latin)
 * from Fontsource, read slice by slice as each character is needed. Licences: fonts/LICENSES.md.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Face } from './glyphs.js';
import { SlicedFontSource, parseUnicodeRange } from './opentype-fonts.js';
import type { FaceDef, FontSlice } from './opentype-fonts.js';

const require = createRequire(import.meta.url);

/** Slices (WOFF 1, which opentype.js reads) listed in a Fontsource weight stylesheet, e.g. 600.css. */
function slicesFromCss(pkg: string, css: string): FontSlice[] {
  const dir = dirname(require.resolve(`${pkg}/LICENSE`));
  const text = readFileSync(join(dir, css), 'utf8');
  const out: FontSlice[] = [];
  for (const block of text.split('@font-face').slice(1)) {
    const file = /url\(\.\/(files\/[^)]+\.woff)\)\s*format\('woff'\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file) continue;
    const path = join(dir, file);
    out.push({
      ranges: range ? parseUnicodeRange(range) : [[0, 0x10ffff]],
      load: () => {
        const b = readFileSync(path);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      },
    });
  }
  return out;
}

/** Weights chosen for the seal faces; the 仿宋 stand-in is the light weight (see fonts/LICENSES.md for why). */
export const FACE_FILES: Record<Face, { pkg: string; css: string; metrics: FaceDef['metrics']; fallback?: Face }> = {
  song: { pkg: '@fontsource/noto-serif-sc', css: '600.css', metrics: 'cjk', fallback: 'latin' },
  songHeavy: { pkg: '@fontsource/noto-serif-sc', css: '900.css', metrics: 'cjk', fallback: 'latin' },
  fangsong: { pkg: '@fontsource/noto-serif-sc', css: '300.css', metrics: 'cjk', fallback: 'latin' },
  latin: { pkg: '@fontsource/arimo', css: '400.css', metrics: 'latin' },
};

let shared: SlicedFontSource | undefined;

/** The installed font slices per face (what a browser would fetch instead). */
export function nodeFaceDefs(): Record<Face, FaceDef> {
  const faces = {} as Record<Face, FaceDef>;
  for (const [face, def] of Object.entries(FACE_FILES) as Array<[Face, (typeof FACE_FILES)[Face]]>) {
    faces[face] = { slices: slicesFromCss(def.pkg, def.css), metrics: def.metrics, ...(def.fallback ? { fallback: def.fallback } : {}) };
  }
  return faces;
}

/** The process-wide glyph source (slices parsed once, glyphs cached). */
export function nodeGlyphSource(): SlicedFontSource {
  shared ??= new SlicedFontSource(nodeFaceDefs());
  return shared;
}

/**
 * GB 2312 characters that no bundled font has: Fontsource ships Noto Serif SC in the slices Google Fonts serves, which
 * leave out these 33 rare hanzi (of 6763), the Roman numerals, vertical presentation forms and a few box-drawing
 * pieces. Rendering them fails with SEAL_GLYPH_MISSING (never a tofu box). Kept in step by test/fonts.test.ts.
 */
export const GB2312_NOT_COVERED =
  'ⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ︐︒︑︓︔︕︖︗︘︙┧┵┸┹┺╉' + '劐阢坶塥蒈蓰猸弪艴骣桊轷戤赇牿犋毪胲脶膪憝铴镩稆瘭耠耢耥蟓筢蹯鲰齄';
