/**
 * Where glyph outlines come from. The SVG generator only sees this interface, so it runs anywhere (browser, worker);
 * the Node entry backs it with the fonts installed by `npm ci` (fonts-node.ts).
 */
import type { PathCommand } from 'opentype.js';

/** Typefaces the seal layouts ask for. */
export type Face = 'song' | 'songHeavy' | 'fangsong' | 'latin';

export interface GlyphOutline {
  /** Font units per em. */
  upm: number;
  advance: number;
  /** The box the layout maps onto the character cell, in font units (y up): ideographic em box for CJK, cap height for Latin. */
  boxBottom: number;
  boxTop: number;
  commands: readonly PathCommand[];
}

export interface GlyphSource {
  /** undefined when no installed font has the character. */
  glyph(char: string, face: Face): GlyphOutline | undefined;
}
