/**
 * @yinzhang/seal-image — seal impressions for the platform and the OFD/PDF signers.
 *
 *   renderSealSvg(spec)            → { svg, widthMm, heightMm }   deterministic, text as outlines, real size in mm
 *   renderSealPng(spec, { px })    → PNG bytes (transparent, pHYs set so it prints at real size)
 *   cleanImpression(bytes)         → red impression on transparent background, cropped (from a PNG/JPEG photo/scan)
 *   compareImpressions(a, b)       → { score 0…1, outline, density, layout, rotationDeg, match }
 *   COMPARE_THRESHOLD              → score at or above which two impressions are taken as the same seal
 *
 * Browser / worker code imports '@yinzhang/seal-image/portable' (SVG generator over a supplied GlyphSource).
 */
import { nodeGlyphSource } from './fonts-node.js';
import { defaultPx, rasterise } from './png.js';
import { renderSealSvgWith } from './svg.js';
import type { SealSvg } from './svg.js';
import type { SealSpec } from './spec.js';

export { SEAL_KINDS, SEAL_SHAPES, DEFAULT_LABELS, SIZE_LIMITS, MAX_NAME_CHARS, MAX_LABEL_CHARS, defaultShape, defaultSize, usccCheckChar } from './spec.js';
export type { SealKind, SealShape, SealSpec } from './spec.js';
export type { SealSvg } from './svg.js';
export { renderSealSvgWith, squareCells } from './svg.js';
export type { Face, GlyphOutline, GlyphSource } from './glyphs.js';
export { nodeGlyphSource } from './fonts-node.js';
export { cleanImpression } from './clean.js';
export type { CleanedImpression } from './clean.js';
export { compareImpressions, COMPARE_THRESHOLD, MAX_ROTATION_DEG } from './compare.js';
export type { Comparison } from './compare.js';
export { MIN_PX, MAX_PX } from './png.js';

/** Seal picture as SVG, with the fonts installed by npm ci. */
export function renderSealSvg(spec: SealSpec): SealSvg {
  return renderSealSvgWith(spec, nodeGlyphSource());
}

/** Seal picture as PNG, `px` pixels wide (default: 300 dpi at the seal's real width). */
export function renderSealPng(spec: SealSpec, opts: { px?: number } = {}): Uint8Array {
  const r = renderSealSvg(spec);
  return rasterise(r.svg, r.widthMm, opts.px ?? defaultPx(r.widthMm));
}
