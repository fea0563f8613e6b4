/**
 * Photo clean-up (印模采集): from a photo or scan of a stamped impression keep only the red ink, as a transparent PNG
 * cropped to the seal. Used when an applicant submits the physical impression (广东 第十条 compares it with the
 * registered one) and before compareImpressions.
 */
import { YzError } from '@yinzhang/gm/errors';
import { decodeImage, encodePng } from './raster.js';
import type { Rgba } from './raster.js';

export interface InkMap {
  width: number;
  height: number;
  /** 0…1 ink strength per pixel. */
  ink: Float32Array;
}

export interface CleanedImpression {
  png: Uint8Array;
  width: number;
  height: number;
  /** Share of the cropped area covered by ink (ink ≥ 0.5). */
  inkRatio: number;
}

/**
 * How "seal red" a pixel is, 0…1, from its red saturation (r − max(g, b)) / r. Paper (white, grey, yellowish), black
 * print and blue ink have little or none; seal ink has a lot, also where it lies over black print and the pixel is
 * dark (a common case: stamps go over the text). Transparent pixels count as white paper.
 */
export function inkMap(img: Rgba): InkMap {
  const { width, height, data } = img;
  const ink = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const a = data[i * 4 + 3]! / 255;
    const r = data[i * 4]! * a + 255 * (1 - a);
    const g = data[i * 4 + 1]! * a + 255 * (1 - a);
    const b = data[i * 4 + 2]! * a + 255 * (1 - a);
    const sat = r < 12 ? 0 : (r - Math.max(g, b)) / r;
    ink[i] = Math.min(1, Math.max(0, (sat - 0.3) / 0.35));
  }
  return { width, height, ink };
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Bounding box of the largest cluster of ink: the picture is cut into blocks of 1 % of its size, blocks with ink are
 * joined when they are at most REACH blocks apart (a seal's rim and text form one cluster even where black print
 * under the stamp interrupts the red), and specks or red print elsewhere on the page are left out.
 */
const REACH = 3;

export function impressionBox(m: InkMap): Box {
  const { width, height, ink } = m;
  const bs = Math.max(2, Math.round(Math.max(width, height) / 100));
  const bw = Math.ceil(width / bs);
  const bh = Math.ceil(height / bs);
  const count = new Uint32Array(bw * bh);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (ink[y * width + x]! >= 0.5) count[Math.floor(y / bs) * bw + Math.floor(x / bs)]!++;
  }
  const minInBlock = Math.max(1, Math.round((bs * bs) / 40));
  const label = new Int32Array(bw * bh).fill(-1);
  let best: { mass: number; box: Box } | undefined;
  const stack: number[] = [];
  for (let start = 0; start < bw * bh; start++) {
    if (label[start] !== -1 || count[start]! < minInBlock) continue;
    label[start] = start;
    stack.push(start);
    let mass = 0;
    const box = { x0: bw, y0: bh, x1: -1, y1: -1 };
    while (stack.length) {
      const k = stack.pop()!;
      const bx = k % bw;
      const by = (k - bx) / bw;
      mass += count[k]!;
      box.x0 = Math.min(box.x0, bx);
      box.x1 = Math.max(box.x1, bx);
      box.y0 = Math.min(box.y0, by);
      box.y1 = Math.max(box.y1, by);
      for (let dy = -REACH; dy <= REACH; dy++) {
        for (let dx = -REACH; dx <= REACH; dx++) {
          const nx = bx + dx;
          const ny = by + dy;
          if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
          const j = ny * bw + nx;
          if (label[j] === -1 && count[j]! >= minInBlock) {
            label[j] = start;
            stack.push(j);
          }
        }
      }
    }
    if (!best || mass > best.mass) best = { mass, box };
  }
  if (!best || best.mass < 30) throw new YzError('IMPRESSION_NOT_FOUND', 'no red seal ink found in the image');
  // Refine from blocks to pixels.
  const bx0 = best.box.x0 * bs;
  const by0 = best.box.y0 * bs;
  const bx1 = Math.min(width, (best.box.x1 + 1) * bs);
  const by1 = Math.min(height, (best.box.y1 + 1) * bs);
  const box = { x0: bx1, y0: by1, x1: bx0 - 1, y1: by0 - 1 };
  for (let y = by0; y < by1; y++) {
    for (let x = bx0; x < bx1; x++) {
      if (ink[y * width + x]! < 0.5) continue;
      if (x < box.x0) box.x0 = x;
      if (x > box.x1) box.x1 = x;
      if (y < box.y0) box.y0 = y;
      if (y > box.y1) box.y1 = y;
    }
  }
  return box;
}

/** Ink strength inside a box, as its own map (with a small margin, clipped to the picture). */
export function cropInk(m: InkMap, box: Box, margin = 0): InkMap {
  const x0 = Math.max(0, box.x0 - margin);
  const y0 = Math.max(0, box.y0 - margin);
  const x1 = Math.min(m.width - 1, box.x1 + margin);
  const y1 = Math.min(m.height - 1, box.y1 + margin);
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const ink = new Float32Array(width * height);
  for (let y = 0; y < height; y++) ink.set(m.ink.subarray((y0 + y) * m.width + x0, (y0 + y) * m.width + x0 + width), y * width);
  return { width, height, ink };
}

/** Red impression on a transparent background, cropped to the seal, ink drawn in one seal red (#e60012). */
export function cleanImpression(bytes: Uint8Array): CleanedImpression {
  const m = inkMap(decodeImage(bytes));
  const crop = cropInk(m, impressionBox(m), 2);
  const data = new Uint8Array(crop.width * crop.height * 4);
  let inked = 0;
  for (let i = 0; i < crop.ink.length; i++) {
    const v = crop.ink[i]!;
    if (v >= 0.5) inked++;
    data[i * 4] = 0xe6;
    data[i * 4 + 1] = 0x00;
    data[i * 4 + 2] = 0x12;
    data[i * 4 + 3] = Math.round(v * 255);
  }
  return { png: encodePng({ width: crop.width, height: crop.height, data }), width: crop.width, height: crop.height, inkRatio: inked / crop.ink.length };
}
