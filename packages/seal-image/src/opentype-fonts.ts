/**
 * A GlyphSource over opentype.js fonts split into unicode-range slices (as Fontsource ships them). Pure: the caller
 * supplies the bytes of each slice on demand, from the file system (Node) or fetch (browser).
 */
import opentype from 'opentype.js';
import type { Font } from 'opentype.js';
import type { Face, GlyphOutline, GlyphSource } from './glyphs.js';

export interface FontSlice {
  /** Inclusive code-point ranges this slice covers. */
  ranges: Array<[number, number]>;
  load: () => ArrayBuffer;
}

export interface FaceDef {
  slices: FontSlice[];
  /** 'cjk': map the ideographic em box (-0.12 … 0.88 em) onto the cell; 'latin': baseline … cap height. */
  metrics: 'cjk' | 'latin';
  /** Face to try when this one lacks a character (e.g. Greek in a CJK face). */
  fallback?: Face;
}

/** Parse a CSS unicode-range value: "U+4e00-4e2f,U+4e31". */
export function parseUnicodeRange(value: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const part of value.split(',')) {
    const m = /^\s*U\+([0-9a-fA-F?]+)(?:-([0-9a-fA-F]+))?\s*$/.exec(part);
    if (!m) continue;
    const a = m[1]!;
    if (a.includes('?')) out.push([parseInt(a.replace(/\?/g, '0'), 16), parseInt(a.replace(/\?/g, 'f'), 16)]);
    else out.push([parseInt(a, 16), m[2] ? parseInt(m[2], 16) : parseInt(a, 16)]);
  }
  return out;
}

export class SlicedFontSource implements GlyphSource {
  private readonly parsed = new Map<FontSlice, Font | null>();
  private readonly cache = new Map<string, GlyphOutline | null>();

  constructor(private readonly faces: Record<Face, FaceDef>) {}

  glyph(char: string, face: Face): GlyphOutline | undefined {
    const key = face + char;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const fb = this.faces[face].fallback;
    const found = this.lookup(char, face) ?? (fb ? this.glyph(char, fb) : undefined);
    this.cache.set(key, found ?? null);
    return found;
  }

  private lookup(char: string, face: Face): GlyphOutline | undefined {
    const def = this.faces[face];
    const cp = char.codePointAt(0)!;
    for (const slice of def.slices) {
      if (!slice.ranges.some(([lo, hi]) => cp >= lo && cp <= hi)) continue;
      let font = this.parsed.get(slice);
      if (font === undefined) {
        // A slice that cannot be read (damaged install) counts as not having its characters: the caller then reports
        // them as missing instead of crashing.
        try {
          font = opentype.parse(slice.load(), { lowMemory: true });
        } catch {
          font = null;
        }
        this.parsed.set(slice, font);
      }
      if (font === null) continue;
      const index = font.charToGlyphIndex(char);
      if (index <= 0) continue;
      const g = font.glyphs.get(index);
      const upm = font.unitsPerEm;
      const cap = font.tables.os2?.sCapHeight || upm * 0.7;
      return {
        upm,
        advance: g.advanceWidth ?? upm,
        boxBottom: def.metrics === 'cjk' ? -0.12 * upm : 0,
        boxTop: def.metrics === 'cjk' ? 0.88 * upm : cap,
        commands: g.path.commands,
      };
    }
    return undefined;
  }
}
