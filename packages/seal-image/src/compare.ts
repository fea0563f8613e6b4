/**
 * Impression comparison (印模比对; 002 第十条 compares a submitted impression with the registered one): a 0…1 score
 * of how well two impressions match, robust to scale (photos and scans come at any resolution) and small rotation
 * (a hand-stamped seal is rarely straight).
 *
 * Both pictures are reduced to their red ink, normalised by the ink's centroid and spread (scale-free), and compared in
 * three parts:
 *   - outline: the radial distribution of ink and the elongation (round vs oval vs square, rim width, star);
 *   - density: how much of the seal's area is inked (heavier or lighter characters, more or fewer of them);
 *   - layout:  where the strokes are: band-passed ink pictures at the best rotation within ±MAX_ROTATION_DEG,
 *              0.3 × global normalised cross-correlation + 0.7 × the mean of the three worst-matching tiles (so a
 *              seal with a character or two changed does not pass on the strength of everything else).
 * score = 0.2·outline + 0.1·density + 0.7·layout.
 *
 * Thresholds (measured by test/impression.test.ts and shown in docs/seals.md):
 *   ≥ 0.84 (COMPARE_THRESHOLD)  same impression. Re-rendered at another scale and rotated 3°: ≈ 0.98; a JPEG photo of
 *                               the stamp on a printed page (print lines through the ink) ≈ 0.86.
 *   0.75 – 0.84                 needs a person: the same design with one or two characters changed lands here (≈ 0.81),
 *                               and so can a poor photo of the right seal.
 *   < 0.75                      a different seal: another name of the same kind ≈ 0.4, another shape ≈ 0.2.
 */
import { cropInk, impressionBox, inkMap } from './clean.js';
import type { InkMap } from './clean.js';
import { decodeImage } from './raster.js';

export const COMPARE_THRESHOLD = 0.84;
export const MAX_ROTATION_DEG = 6;

export interface Comparison {
  score: number;
  outline: number;
  density: number;
  layout: number;
  /** Rotation of B (degrees) that best matched A. */
  rotationDeg: number;
  match: boolean;
}

const N = 256;
const BINS = 24;

interface Normalised {
  img: Float32Array;
  radial: Float32Array;
  elongation: number;
  density: number;
}

function normalise(m: InkMap): Normalised {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  let inked = 0;
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      const v = m.ink[y * m.width + x]!;
      mass += v;
      cx += v * x;
      cy += v * y;
      if (v >= 0.5) inked++;
    }
  }
  cx /= mass;
  cy /= mass;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      const v = m.ink[y * m.width + x]!;
      sxx += v * (x - cx) ** 2;
      syy += v * (y - cy) ** 2;
      sxy += v * (x - cx) * (y - cy);
    }
  }
  sxx /= mass;
  syy /= mass;
  sxy /= mass;
  const spread = Math.sqrt(sxx + syy);
  const tr = sxx + syy;
  const det = sxx * syy - sxy * sxy;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  const elongation = Math.sqrt(Math.max(0, tr / 2 - disc) / Math.max(1e-9, tr / 2 + disc));

  // Resample so that the spread maps to a fixed number of pixels (scale-free), centroid in the middle.
  const k = spread / (N * 0.28);
  const img = new Float32Array(N * N);
  const radial = new Float32Array(BINS);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const v = sample(m, cx + (x - N / 2 + 0.5) * k, cy + (y - N / 2 + 0.5) * k);
      img[y * N + x] = v;
      const r = Math.hypot(x - N / 2 + 0.5, y - N / 2 + 0.5) / (N / 2);
      if (r < 1) radial[Math.floor(r * BINS)]! += v;
    }
  }
  const rs = radial.reduce((s, v) => s + v, 0) || 1;
  for (let i = 0; i < BINS; i++) radial[i]! /= rs;
    // Band-pass: light smoothing against resampling noise, minus a coarse blur so that the strokes of the characters
  // (what differs between two seals of the same kind) weigh more than the large rim and star shared by all.
  const fine = blur(img, 1);
  const coarse = blur(img, 6);
  const detail = new Float32Array(N * N);
  for (let i = 0; i < N * N; i++) detail[i] = fine[i]! - coarse[i]!;
  return { img: detail, radial, elongation, density: inked / (m.width * m.height) };
}

/** Area sample (2×2 supersampled bilinear) so that down-scaling large photos does not alias thin strokes away. */
function sample(m: InkMap, x: number, y: number): number {
  let s = 0;
  for (const [dx, dy] of [
    [-0.25, -0.25],
    [0.25, -0.25],
    [-0.25, 0.25],
    [0.25, 0.25],
  ] as const) {
    s += bilinear(m.ink, m.width, m.height, x + dx, y + dy);
  }
  return s / 4;
}

function bilinear(a: Float32Array, w: number, h: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return 0;
  const fx = x - x0;
  const fy = y - y0;
  const inX0 = x0 >= 0;
  const inX1 = x0 + 1 < w;
  const inY0 = y0 >= 0;
  const inY1 = y0 + 1 < h;
  const i = y0 * w + x0;
  const v00 = inX0 && inY0 ? a[i]! : 0;
  const v10 = inX1 && inY0 ? a[i + 1]! : 0;
  const v01 = inX0 && inY1 ? a[i + w]! : 0;
  const v11 = inX1 && inY1 ? a[i + w + 1]! : 0;
  return (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
}

/** Box blur of radius r (separable running sums; edges averaged over the part inside). */
function blur(a: Float32Array, r: number): Float32Array {
  const tmp = new Float32Array(N * N);
  const out = new Float32Array(N * N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      let s = 0;
      const lo = Math.max(0, x - r);
      const hi = Math.min(N - 1, x + r);
      for (let k = lo; k <= hi; k++) s += a[y * N + k]!;
      tmp[y * N + x] = s / (hi - lo + 1);
    }
  }
  for (let x = 0; x < N; x++) {
    for (let y = 0; y < N; y++) {
      let s = 0;
      const lo = Math.max(0, y - r);
      const hi = Math.min(N - 1, y + r);
      for (let k = lo; k <= hi; k++) s += tmp[k * N + x]!;
      out[y * N + x] = s / (hi - lo + 1);
    }
  }
  return out;
}

function rotate(a: Float32Array, deg: number): Float32Array {
  if (deg === 0) return a;
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const out = new Float32Array(N * N);
  const h = N / 2 - 0.5;
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const dx = x - h;
      const dy = y - h;
      out[y * N + x] = bilinear(a, N, N, h + c * dx + s * dy, h - s * dx + c * dy);
    }
  }
  return out;
}

function ncc(a: Float32Array, b: Float32Array): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= a.length;
  mb /= b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb || 1);
}

const TILE = 32;
const WORST = 3;

/**
 * Mean NCC of the WORST tiles (TILE×TILE, half overlapping) among those with ink detail in either picture: a seal with
 * a character or two changed matches globally but not in those characters' tiles.
 */
function worstTiles(a: Float32Array, b: Float32Array): number {
  const scores: number[] = [];
  for (let ty = 0; ty < N; ty += TILE / 2) {
    for (let tx = 0; tx < N; tx += TILE / 2) {
      if (tx + TILE > N || ty + TILE > N) continue;
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      for (let y = ty; y < ty + TILE; y++) {
        for (let x = tx; x < tx + TILE; x++) {
          const va = a[y * N + x]!;
          const vb = b[y * N + x]!;
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      const n = TILE * TILE;
      const ca = saa - (sa * sa) / n;
      const cb = sbb - (sb * sb) / n;
      // Tiles with (almost) no ink detail in both say nothing about the layout.
      if (Math.max(ca, cb) < 0.5) continue;
      scores.push(Math.max(-1, (sab - (sa * sb) / n) / Math.sqrt(Math.max(ca, 1e-9) * Math.max(cb, 1e-9))));
    }
  }
  if (!scores.length) return 0;
  scores.sort((x, y) => x - y);
  const k = Math.min(WORST, scores.length);
  return Math.max(0, scores.slice(0, k).reduce((s, v) => s + v, 0) / k);
}

function inkOf(bytes: Uint8Array): InkMap {
  const m = inkMap(decodeImage(bytes));
  return cropInk(m, impressionBox(m), 1);
}

/** Compare two impressions (PNG or JPEG bytes: renderings, cleaned photos or raw photos). */
export function compareImpressions(a: Uint8Array, b: Uint8Array): Comparison {
  const A = normalise(inkOf(a));
  const B = normalise(inkOf(b));
  let best = -1;
  let bestDeg = 0;
  const tryAt = (deg: number) => {
    const v = ncc(A.img, rotate(B.img, deg));
    if (v > best) {
      best = v;
      bestDeg = deg;
    }
  };
  // Coarse then fine search over the rotation.
  for (let deg = -MAX_ROTATION_DEG; deg <= MAX_ROTATION_DEG; deg += 1) tryAt(deg);
  const coarseDeg = bestDeg;
  for (const d of [-0.75, -0.5, -0.25, 0.25, 0.5, 0.75]) tryAt(coarseDeg + d);
  let inter = 0;
  for (let i = 0; i < BINS; i++) inter += Math.min(A.radial[i]!, B.radial[i]!);
  const elong = Math.min(A.elongation, B.elongation) / Math.max(A.elongation, B.elongation, 1e-9);
  const outline = inter * elong;
  const density = Math.min(A.density, B.density) / Math.max(A.density, B.density, 1e-9);
  // Local check: a seal with one character changed matches globally but not in that character's tile.
  const local = worstTiles(A.img, rotate(B.img, bestDeg));
  const layout = Math.max(0, 0.3 * best + 0.7 * local);
  const score = 0.2 * outline + 0.1 * density + 0.7 * layout;
  const r = (v: number) => Math.round(v * 10000) / 10000;
  return { score: r(score), outline: r(outline), density: r(density), layout: r(layout), rotationDeg: bestDeg, match: score >= COMPARE_THRESHOLD };
}
