import { PNG } from 'pngjs';

export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

export function readPng(bytes: Uint8Array): Pixels {
  const p = PNG.sync.read(Buffer.from(bytes));
  return { width: p.width, height: p.height, data: new Uint8Array(p.data) };
}

export function writePng(p: Pixels): Uint8Array {
  return new Uint8Array(PNG.sync.write({ width: p.width, height: p.height, data: Buffer.from(p.data) }));
}

/** Seal-ink pixels: opaque enough and clearly red. */
export function isInk(p: Pixels, i: number): boolean {
  const [r, g, b, a] = [p.data[i * 4]!, p.data[i * 4 + 1]!, p.data[i * 4 + 2]!, p.data[i * 4 + 3]!];
  return a >= 128 && r > 150 && g < 100 && b < 100;
}

export function inkBox(p: Pixels): { x0: number; y0: number; x1: number; y1: number; count: number } {
  const box = { x0: p.width, y0: p.height, x1: -1, y1: -1, count: 0 };
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      if (!isInk(p, y * p.width + x)) continue;
      box.count++;
      box.x0 = Math.min(box.x0, x);
      box.x1 = Math.max(box.x1, x);
      box.y0 = Math.min(box.y0, y);
      box.y1 = Math.max(box.y1, y);
    }
  }
  return box;
}

/** All coordinates of a path's data, as [x, y] pairs (our paths use absolute M/L/Q/C/Z only). */
export function pathPoints(svg: string, id: string): Array<[number, number]> {
  const d = new RegExp(`<path id="${id}" d="([^"]*)"`).exec(svg)?.[1];
  if (d === undefined) return [];
  const nums = d.match(/-?\d+(?:\.\d+)?/g)!.map(Number);
  const pts: Array<[number, number]> = [];
  for (let i = 0; i + 1 < nums.length; i += 2) pts.push([nums[i]!, nums[i + 1]!]);
  return pts;
}
