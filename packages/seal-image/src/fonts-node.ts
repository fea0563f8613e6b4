/**
 * Fonts that arrive with `npm ci` (nothing from the system): Noto Serif SC (宋体 style) as complete TrueType files from
 * the Expo Google Fonts package, and Arimo (Arial-metric Latin) from Fontsource, read slice by slice as each character
 * is needed. Licences: fonts/LICENSES.md.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Face } from './glyphs.js';
import { SlicedFontSource, parseUnicodeRange } from './opentype-fonts.js';
import type { FaceDef, FontSlice } from './opentype-fonts.js';

const require = createRequire(import.meta.url);

function fileLoader(path: string): () => ArrayBuffer {
  return () => {
    const b = readFileSync(path);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
}

/** Slices (WOFF 1, which opentype.js reads) listed in a Fontsource weight stylesheet, e.g. 400.css. */
function slicesFromCss(dir: string, css: string): FontSlice[] {
  const text = readFileSync(join(dir, css), 'utf8');
  const out: FontSlice[] = [];
  for (const block of text.split('@font-face').slice(1)) {
    const file = /url\(\.\/(files\/[^)]+\.woff)\)\s*format\('woff'\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file) continue;
    out.push({ ranges: range ? parseUnicodeRange(range) : [[0, 0x10ffff]], load: fileLoader(join(dir, file)) });
  }
  return out;
}

interface FaceFile {
  pkg: string;
  /** The package's licence file, which also locates the package directory. */
  licence: string;
  /** A complete font file, or a Fontsource stylesheet whose slices together make the font. */
  font: { file: string } | { css: string };
  metrics: FaceDef['metrics'];
  fallback?: Face;
}

const NOTO_SERIF_SC = '@expo-google-fonts/noto-serif-sc';

/**
 * Weights chosen for the seal faces; the 仿宋 stand-in is the light weight (see fonts/LICENSES.md for why). Noto Serif SC
 * is taken whole: the unicode-range slices web-font packages ship leave out 33 GB 2312 hanzi and some GB 2312 symbols.
 */
export const FACE_FILES: Record<Face, FaceFile> = {
  song: { pkg: NOTO_SERIF_SC, licence: 'LICENSE_FONT', font: { file: '600SemiBold/NotoSerifSC_600SemiBold.ttf' }, metrics: 'cjk', fallback: 'latin' },
  songHeavy: { pkg: NOTO_SERIF_SC, licence: 'LICENSE_FONT', font: { file: '900Black/NotoSerifSC_900Black.ttf' }, metrics: 'cjk', fallback: 'latin' },
  fangsong: { pkg: NOTO_SERIF_SC, licence: 'LICENSE_FONT', font: { file: '300Light/NotoSerifSC_300Light.ttf' }, metrics: 'cjk', fallback: 'latin' },
  latin: { pkg: '@fontsource/arimo', licence: 'LICENSE', font: { css: '400.css' }, metrics: 'latin' },
};

/** The installed font files per face (what a browser would fetch instead). */
export function nodeFaceDefs(): Record<Face, FaceDef> {
  const faces = {} as Record<Face, FaceDef>;
  for (const [face, def] of Object.entries(FACE_FILES) as Array<[Face, FaceFile]>) {
    const dir = dirname(require.resolve(`${def.pkg}/${def.licence}`));
    const slices = 'file' in def.font ? [{ ranges: [[0, 0x10ffff]] as Array<[number, number]>, load: fileLoader(join(dir, def.font.file)) }] : slicesFromCss(dir, def.font.css);
    faces[face] = { slices, metrics: def.metrics, ...(def.fallback ? { fallback: def.fallback } : {}) };
  }
  return faces;
}

let shared: SlicedFontSource | undefined;

/** The process-wide glyph source (slices parsed once, glyphs cached). */
export function nodeGlyphSource(): SlicedFontSource {
  shared ??= new SlicedFontSource(nodeFaceDefs());
  return shared;
}
