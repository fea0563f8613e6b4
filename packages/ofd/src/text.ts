/**
 * Keyword search in page text (TextObject/TextCode, GB/T 33190 §11): each character's position is the TextObject
 * Boundary origin + TextCode X/Y + the DeltaX advances before it. DeltaX may use the `g N D` shorthand (N times D).
 * Object transforms (CTM) are not applied; producers that rely on them for text are rare in sealing workflows.
 */
import { charAdvance } from './create.js';
import type { OfdPackage, PageInfo } from './package.js';
import { parseBox } from './package.js';
import { descendants, type XmlElement } from './xml.js';

export interface Glyph {
  ch: string;
  x: number;
  /** Baseline y. */
  y: number;
  advance: number;
  size: number;
}

export interface KeywordHit {
  page: PageInfo;
  /** Box around the keyword, mm from the page's top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** DeltaX/DeltaY values, expanded; never more than `max` (the glyph count), whatever the `g` counts say. */
export function expandDelta(s: string | undefined, max = 100_000): number[] {
  if (!s) return [];
  const t = s.trim().split(/\s+/);
  const out: number[] = [];
  for (let i = 0; i < t.length && out.length < max; i++) {
    if (t[i] === 'g') {
      const n = Number(t[i + 1]);
      const d = Number(t[i + 2]);
      if (Number.isFinite(n) && Number.isFinite(d)) for (let k = 0; k < n && out.length < max; k++) out.push(d);
      i += 2;
    } else {
      const v = Number(t[i]);
      if (Number.isFinite(v)) out.push(v);
    }
  }
  return out;
}

function glyphsOfTextObject(obj: XmlElement): Glyph[] {
  const box = parseBox(obj.attrs.Boundary) ?? [0, 0, 0, 0];
  const size = Number(obj.attrs.Size) || 3.5;
  const out: Glyph[] = [];
  let lastX = 0;
  let lastY = size;
  for (const code of obj.children.filter((c) => c.name === 'TextCode')) {
    const x0 = code.attrs.X !== undefined ? Number(code.attrs.X) : lastX;
    const y0 = code.attrs.Y !== undefined ? Number(code.attrs.Y) : lastY;
    const chars = [...code.text];
    const dx = expandDelta(code.attrs.DeltaX, chars.length);
    const dy = expandDelta(code.attrs.DeltaY, chars.length);
    let x = x0;
    let y = y0;
    chars.forEach((ch, i) => {
      const adv = dx[i] ?? charAdvance(ch, size);
      out.push({ ch, x: box[0] + x, y: box[1] + y, advance: adv, size });
      x += adv;
      y += dy[i] ?? 0;
    });
    lastX = x;
    lastY = y;
  }
  return out;
}

/** The page's glyphs: those of its template pages (drawn underneath) first, then its own content. */
export function pageGlyphs(pkg: OfdPackage, page: PageInfo): Glyph[] {
  const glyphs: Glyph[] = [];
  for (const part of [...page.templates, page.content]) {
    if (!pkg.has(part)) continue;
    for (const el of descendants(pkg.xml(part))) if (el.name === 'TextObject') glyphs.push(...glyphsOfTextObject(el));
  }
  return glyphs;
}

/** Every occurrence of `keyword` in the pages' text, in page order (whitespace between glyphs is ignored). */
export function findKeyword(pkg: OfdPackage, pages: PageInfo[], keyword: string): KeywordHit[] {
  const needle = [...keyword.replace(/\s+/g, '')];
  if (needle.length === 0) return [];
  const hits: KeywordHit[] = [];
  for (const page of pages) {
    const glyphs = pageGlyphs(pkg, page).filter((g) => !/\s/.test(g.ch));
    for (let i = 0; i + needle.length <= glyphs.length; i++) {
      let ok = true;
      for (let k = 0; k < needle.length && ok; k++) ok = glyphs[i + k]!.ch === needle[k];
      if (!ok) continue;
      const run = glyphs.slice(i, i + needle.length);
      const x0 = Math.min(...run.map((g) => g.x));
      const x1 = Math.max(...run.map((g) => g.x + g.advance));
      const size = Math.max(...run.map((g) => g.size));
      const base = Math.max(...run.map((g) => g.y));
      hits.push({ page, x: x0, y: base - size, width: x1 - x0, height: size });
    }
  }
  return hits;
}
