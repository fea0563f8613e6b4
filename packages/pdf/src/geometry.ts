/** Millimetres from the displayed page's top-left corner (docs/cli.md) → PDF user space. */
import type { PageInfo } from './document.js';

export const MM = 72 / 25.4;

export type Rect = [number, number, number, number];

/** The widget rectangle for a box at (xMm, yMm) of size wMm × hMm, honouring CropBox and /Rotate. */
export function rectFromTopLeftMm(page: Pick<PageInfo, 'cropBox' | 'rotate'>, xMm: number, yMm: number, wMm: number, hMm: number): Rect {
  const [x0, y0, x1, y1] = page.cropBox;
  const u = xMm * MM, v = yMm * MM, w = wMm * MM, h = hMm * MM;
  switch (page.rotate) {
    case 90: // displayed top-left is user (x0, y0); display right = +y, display down = +x
      return [x0 + v, y0 + u, x0 + v + h, y0 + u + w];
    case 180:
      return [x1 - u - w, y0 + v, x1 - u, y0 + v + h];
    case 270:
      return [x1 - v - h, y1 - u - w, x1 - v, y1 - u];
    default:
      return [x0 + u, y1 - v - h, x0 + u + w, y1 - v];
  }
}

/** Displayed page size in mm. */
export function pageSizeMm(page: Pick<PageInfo, 'cropBox' | 'rotate'>): { width: number; height: number } {
  const [x0, y0, x1, y1] = page.cropBox;
  const w = (x1 - x0) / MM, h = (y1 - y0) / MM;
  return page.rotate === 90 || page.rotate === 270 ? { width: h, height: w } : { width: w, height: h };
}
