/** Path building in millimetres: glyphs placed into rotated cells, the five-pointed star, arcs of text on an ellipse. */
import type { GlyphOutline } from './glyphs.js';

export interface Vec {
  x: number;
  y: number;
}

/** Fixed-precision numbers (10 µm is far below what a print or a 1200-dpi raster can show) keep the SVG byte-stable. */
export function num(v: number): string {
  const s = v.toFixed(3).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Collects path data and the ink bounding box of everything written. */
export class PathWriter {
  private readonly parts: string[] = [];
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;

  private pt(p: Vec): string {
    if (p.x < this.minX) this.minX = p.x;
    if (p.x > this.maxX) this.maxX = p.x;
    if (p.y < this.minY) this.minY = p.y;
    if (p.y > this.maxY) this.maxY = p.y;
    return `${num(p.x)} ${num(p.y)}`;
  }

  move(p: Vec): void {
    this.parts.push(`M${this.pt(p)}`);
  }
  line(p: Vec): void {
    this.parts.push(`L${this.pt(p)}`);
  }
  quad(c: Vec, p: Vec): void {
    this.parts.push(`Q${this.pt(c)} ${this.pt(p)}`);
  }
  cubic(c1: Vec, c2: Vec, p: Vec): void {
    this.parts.push(`C${this.pt(c1)} ${this.pt(c2)} ${this.pt(p)}`);
  }
  close(): void {
    this.parts.push('Z');
  }
  get empty(): boolean {
    return this.parts.length === 0;
  }
  toString(): string {
    return this.parts.join('');
  }
}

/**
 * Place a glyph so that its layout box (advance × boxBottom…boxTop) fills a w×h cell centred on `centre`, with the
 * glyph's "up" along the unit vector `up` (SVG coordinates, y down). Non-uniform scaling is how seal makers
 * condense characters to fit an arc.
 */
export function placeGlyph(out: PathWriter, g: GlyphOutline, centre: Vec, up: Vec, w: number, h: number, rise = 0): void {
  const right = { x: -up.y, y: up.x };
  const sx = w / g.advance;
  const sy = h / (g.boxTop - g.boxBottom);
  // `rise` shears the glyph so horizontal strokes climb to the right (tan of the angle), the mark of 仿宋 lettering;
  // compressed vertically so the sheared glyph stays inside its cell.
  const k = h / (h + w * Math.abs(rise));
  const map = (x: number | undefined, y: number | undefined): Vec => {
    const lx = ((x ?? 0) - g.advance / 2) * sx;
    const ly = (((y ?? 0) - (g.boxBottom + g.boxTop) / 2) * sy + lx * rise) * k;
    return { x: centre.x + lx * right.x + ly * up.x, y: centre.y + lx * right.y + ly * up.y };
  };
  for (const c of g.commands) {
    switch (c.type) {
      case 'M':
        out.move(map(c.x, c.y));
        break;
      case 'L':
        out.line(map(c.x, c.y));
        break;
      case 'Q':
        out.quad(map(c.x1, c.y1), map(c.x, c.y));
        break;
      case 'C':
        out.cubic(map(c.x1, c.y1), map(c.x2, c.y2), map(c.x, c.y));
        break;
      case 'Z':
        out.close();
        break;
    }
  }
}

/** Five-pointed star, one point straight up; inner radius from the regular pentagram (≈0.382 R). */
export function star(out: PathWriter, c: Vec, r: number): void {
  const ri = r * 0.381966;
  for (let k = 0; k < 10; k++) {
    const a = ((-90 + k * 36) * Math.PI) / 180;
    const rr = k % 2 === 0 ? r : ri;
    const p = { x: c.x + rr * Math.cos(a), y: c.y + rr * Math.sin(a) };
    if (k === 0) out.move(p);
    else out.line(p);
  }
  out.close();
}

export interface ArcStation {
  p: Vec;
  /** Unit outward normal. */
  n: Vec;
}

/**
 * Points at equal arc length along an ellipse (semi-axes a, b, centre c) between parametric angles t0 → t1 (degrees,
 * SVG orientation: -90 is the top, angles grow clockwise), one at the middle of each of `count` equal slots.
 * Also returns the slot length so callers can size the characters.
 */
export function ellipseStations(c: Vec, a: number, b: number, t0: number, t1: number, count: number): { stations: ArcStation[]; slot: number } {
  const steps = 720;
  const ts: number[] = [];
  const len: number[] = [0];
  const rad = (d: number) => (d * Math.PI) / 180;
  let prev: Vec | undefined;
  for (let i = 0; i <= steps; i++) {
    const t = rad(t0 + ((t1 - t0) * i) / steps);
    const p = { x: a * Math.cos(t), y: b * Math.sin(t) };
    ts.push(t);
    if (prev) len.push(len[len.length - 1]! + Math.hypot(p.x - prev.x, p.y - prev.y));
    prev = p;
  }
  const total = len[steps]!;
  const slot = total / count;
  const stations: ArcStation[] = [];
  let j = 0;
  for (let i = 0; i < count; i++) {
    const target = (i + 0.5) * slot;
    while (j < steps - 1 && len[j + 1]! < target) j++;
    const f = (target - len[j]!) / (len[j + 1]! - len[j]! || 1);
    const t = ts[j]! + (ts[j + 1]! - ts[j]!) * f;
    const nx = Math.cos(t) / a;
    const ny = Math.sin(t) / b;
    const nl = Math.hypot(nx, ny);
    stations.push({ p: { x: c.x + a * Math.cos(t), y: c.y + b * Math.sin(t) }, n: { x: nx / nl, y: ny / nl } });
  }
  return { stations, slot };
}
