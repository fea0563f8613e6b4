/**
 * Browser-safe entry: the SVG generator and the slice-based glyph source, with no Node APIs. The caller supplies font
 * slice bytes (e.g. fetched from the Fontsource files the server exposes).
 */
export { renderSealSvgWith, squareCells } from './svg.js';
export type { SealSvg } from './svg.js';
export { SEAL_KINDS, SEAL_SHAPES, DEFAULT_LABELS, SIZE_LIMITS, normaliseSpec, usccCheckChar } from './spec.js';
export type { SealKind, SealShape, SealSpec } from './spec.js';
export type { Face, GlyphOutline, GlyphSource } from './glyphs.js';
export { SlicedFontSource, parseUnicodeRange } from './opentype-fonts.js';
export type { FaceDef, FontSlice } from './opentype-fonts.js';
