/** PNG rasterisation of the seal SVG (resvg, no system fonts needed since all text is already outlines). */
import { Resvg } from '@resvg/resvg-js';
import { YzError } from '@yinzhang/gm/errors';
import { withPhysicalSize } from './png-chunks.js';

export const MIN_PX = 16;
export const MAX_PX = 4096;

/** Rasterise an SVG of known width (mm) to `px` pixels wide, transparent background; the PNG records its DPI. */
export function rasterise(svg: string, widthMm: number, px: number): Uint8Array {
  if (!Number.isInteger(px) || px < MIN_PX || px > MAX_PX) {
    throw new YzError('SEAL_BAD_SIZE', `PNG width must be an integer from ${MIN_PX} to ${MAX_PX} pixels (got ${px})`, { px });
  }
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: px }, font: { loadSystemFonts: false }, shapeRendering: 2 }).render().asPng();
  return withPhysicalSize(new Uint8Array(png.buffer, png.byteOffset, png.byteLength), px / (widthMm / 1000));
}

/** Default raster width: 300 dpi of the seal's real width. */
export function defaultPx(widthMm: number): number {
  return Math.round((widthMm / 25.4) * 300);
}
