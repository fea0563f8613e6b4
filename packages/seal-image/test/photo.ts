/** A synthetic photo of a stamped page, shared by the tests and the gallery script. */
import { Resvg } from '@resvg/resvg-js';
import jpeg from 'jpeg-js';
import { renderSealSvg } from '../src/index.js';
import type { SealSpec } from '../src/index.js';
import { readPng } from './helpers.js';

/** Deterministic pseudo-random numbers (tests must not depend on Math.random). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A "photo" of a stamped page: off-white noisy paper, black print lines, a blue ballpoint stroke, a stray red speck,
 * and the impression in slightly diluted, darker ink at (ox, oy); JPEG-compressed.
 */
export function photo(seal: Uint8Array, ox: number, oy: number): { jpg: Uint8Array; sealPx: number } {
  const s = readPng(seal);
  const W = 900;
  const H = 760;
  const rnd = lcg(7);
  const data = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    const n = (rnd() - 0.5) * 18;
    data.set([244 + n, 239 + n, 226 + n, 255], i * 4);
  }
  const fill = (x0: number, y0: number, w: number, h: number, rgb: [number, number, number]) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data.set([...rgb, 255], (y * W + x) * 4);
  };
  for (let row = 0; row < 12; row++) fill(60, 40 + row * 55, 760, 9, [25, 25, 25]);
  fill(100, 700, 500, 3, [30, 50, 170]);
  fill(820, 20, 6, 6, [200, 20, 30]);
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const a = (s.data[(y * s.width + x) * 4 + 3]! / 255) * 0.85;
      if (a === 0) continue;
      const i = ((oy + y) * W + ox + x) * 4;
      // Ink multiplies the paper (black print shows through a red stamp, as on paper).
      for (const [k, ink] of [
        [0, 205],
        [1, 35],
        [2, 45],
      ] as const) {
        data[i + k] = Math.round(data[i + k]! * (1 - a) + ((data[i + k]! * ink) / 255) * a);
      }
    }
  }
  const jpg = jpeg.encode({ width: W, height: H, data }, 85).data;
  return { jpg: new Uint8Array(jpg), sealPx: s.width };
}

/** The same seal stamped slightly askew: the SVG rotated by `deg`, rasterised at another size on white paper. */
export function askew(spec: SealSpec, deg: number, px: number, paper = true): Uint8Array {
  const r = renderSealSvg(spec);
  const c = r.widthMm / 2;
  const svg = r.svg.replace('<g fill', `<g transform="rotate(${deg} ${c} ${c})" fill`);
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: px }, ...(paper ? { background: '#ffffff' } : {}) }).render().asPng();
  return new Uint8Array(png);
}
