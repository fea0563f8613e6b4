/**
 * Deterministic seal SVG: every character is converted to a glyph outline (no <text>, no font lookup by the viewer),
 * so the picture is the same in every renderer and prints at its real size (width/height in mm, 1 user unit = 1 mm).
 * Pure TypeScript over a GlyphSource: no Node APIs, runs in a browser.
 */
import { YzError } from '@yinzhang/gm/errors';
import { PathWriter, ellipseStations, num, placeGlyph, star } from './geometry.js';
import type { Vec } from './geometry.js';
import type { Face, GlyphOutline, GlyphSource } from './glyphs.js';
import { normaliseSpec } from './spec.js';
import type { NormalisedSpec, SealSpec } from './spec.js';

export interface SealSvg {
  svg: string;
  widthMm: number;
  heightMm: number;
}

interface Layer {
  id: string;
  d: PathWriter;
}

interface Drawing {
  outline: string;
  layers: Layer[];
}

/** Resolves every glyph first so that all missing characters are reported at once. */
class Glyphs {
  private readonly missing = new Set<string>();
  constructor(private readonly src: GlyphSource) {}
  get(ch: string, face: Face): GlyphOutline {
    const g = this.src.glyph(ch, face);
    if (!g) {
      this.missing.add(ch);
      return { upm: 1000, advance: 1000, boxBottom: -120, boxTop: 880, commands: [] };
    }
    return g;
  }
  check(): void {
    if (this.missing.size) {
      const chars = [...this.missing];
      throw new YzError('SEAL_GLYPH_MISSING', `no installed font has ${chars.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase()})`).join(', ')}`, {
        chars,
      });
    }
  }
}

const rad = (d: number) => (d * Math.PI) / 180;

/** Latin letters and digits are carved narrower than a full ideographic cell. */
function cellWidth(g: GlyphOutline, w: number): number {
  return g.advance < g.upm * 0.9 ? w * Math.max(0.55, g.advance / g.upm) : w;
}

/** Text centred on a horizontal line, condensed to maxWidth. */
function horizontal(out: PathWriter, glyphs: GlyphOutline[], centre: Vec, h: number, cellW: number, gap: number, maxWidth: number, rise = 0): void {
  const widths = glyphs.map((g) => cellWidth(g, cellW));
  const natural = widths.reduce((s, w) => s + w, 0) + gap * (glyphs.length - 1);
  const k = natural > maxWidth ? maxWidth / natural : 1;
  let x = centre.x - (natural * k) / 2;
  glyphs.forEach((g, i) => {
    const w = widths[i]! * k;
    placeGlyph(out, g, { x: x + w / 2, y: centre.y }, { x: 0, y: -1 }, w * 0.999, h, rise);
    x += w + gap * k;
  });
}

function roundSeal(s: NormalisedSpec, gl: Glyphs): Drawing {
  const D = s.widthMm;
  const R = D / 2;
  const c = { x: R, y: R };
  const rimW = Math.min(2, Math.max(0.8, D / 30));
  const gap = D * 0.018;
  const layers: Layer[] = [];

  const starR = D * 0.165;
  const starPath = new PathWriter();
  star(starPath, c, starR);
  layers.push({ id: 'star', d: starPath });

  // Name along the upper arc, clockwise; the arc grows from 210° at 8 characters to 270° at 20 and more. Shorter
  // names get a shorter arc (down to 150°) so that the gaps do not grow wider than the characters, as seal makers do.
  const n = s.name.length;
  const span = n >= 8 ? Math.min(270, 210 + ((n - 8) * 60) / 12) : Math.max(150, 210 - (8 - n) * 20);
  const fit = (h: number) => {
    const rc = R - rimW - gap - h / 2;
    const pitch = (rad(span) * rc) / n;
    // Slot width measured at the inner edge of the characters, where neighbours come closest.
    const innerPitch = (pitch * (rc - h / 2)) / rc;
    return { rc, w: Math.min(0.72 * h, 0.92 * innerPitch) };
  };
  let h = D * 0.15;
  let f = fit(h);
  if (f.w < 0.3 * h) {
    h = Math.max(D * 0.085, f.w / 0.3);
    f = fit(h);
  }
  const namePath = new PathWriter();
  s.name.forEach((ch, i) => {
    const t = rad(-90 - span / 2 + ((i + 0.5) * span) / n);
    const u = { x: Math.cos(t), y: Math.sin(t) };
    const g = gl.get(ch, 'song');
    placeGlyph(namePath, g, { x: c.x + f.rc * u.x, y: c.y + f.rc * u.y }, u, cellWidth(g, f.w), h);
  });
  layers.push({ id: 'name', d: namePath });
  const nameInner = f.rc - h / 2 - gap * 0.6;
  const gapHalf = (360 - span) / 2; // free sector around the bottom, half-angle

  // Seal code: small digits along the lower inner edge, tops towards the centre, reading left to right.
  let codeTop = R - rimW; // radius above which the code sits
  if (s.sealCode) {
    const hc = D * 0.042;
    const rcc = R - rimW - gap * 0.6 - hc / 2;
    const pitch = hc * 0.66;
    const codeSpan = Math.min(2 * gapHalf - 10, (pitch * 13 * 180) / (Math.PI * rcc));
    const codePath = new PathWriter();
    [...s.sealCode].forEach((ch, j) => {
      const t = rad(90 + codeSpan / 2 - ((j + 0.5) * codeSpan) / 13);
      const u = { x: -Math.cos(t), y: -Math.sin(t) };
      const g = gl.get(ch, 'latin');
      placeGlyph(codePath, g, { x: c.x - rcc * u.x, y: c.y - rcc * u.y }, u, Math.min(hc * 0.55, ((codeSpan * Math.PI) / 180 / 13) * rcc * 0.9), hc);
    });
    layers.push({ id: 'code', d: codePath });
    codeTop = rcc - hc / 2 - gap * 0.4;
  }

  // Label: horizontal below the star, as wide as the free space between the arc's ends and above the code allows.
  if (s.label.length) {
    const hl = D * 0.105;
    let yTop = starR + gap * 0.9;
    if (yTop + hl > codeTop) yTop = codeTop - hl;
    const yBottom = yTop + hl;
    const inFreeSector = (x: number, y: number) => (Math.atan2(y, x) * 180) / Math.PI >= 90 - gapHalf + 8;
    const ok = (half: number) =>
      [yTop, yBottom].every((y) => inFreeSector(half, y) || Math.hypot(half, y) <= nameInner) && Math.hypot(half, yBottom) <= codeTop;
    let half = D * 0.3;
    while (half > D * 0.05 && !ok(half)) half -= D * 0.002;
    const labelPath = new PathWriter();
    horizontal(
      labelPath,
      s.label.map((ch) => gl.get(ch, 'song')),
      { x: c.x, y: c.y + (yTop + yBottom) / 2 },
      hl,
      hl * 0.82,
      hl * 0.08,
      2 * half,
    );
    layers.push({ id: 'label', d: labelPath });
  }
  return {
    outline: `<circle id="rim" cx="${num(c.x)}" cy="${num(c.y)}" r="${num(R - rimW / 2)}" fill="none" stroke-width="${num(rimW)}"/>`,
    layers,
  };
}

/**
 * 仿宋 lettering: thin, even strokes whose horizontals climb slightly to the right. No open 仿宋 font is on npm
 * (fonts/LICENSES.md), so the light 宋体 weight is sheared by this slope (≈ 4°) to get that look.
 */
const FANGSONG_RISE = Math.tan((4 * Math.PI) / 180);

/** Invoice seal (发票专用章), 国家税务总局公告2011年第7号: 40×30 mm oval, 1 mm rim, name arced above in 仿宋, tax id in Arial-style digits. */
function ovalSeal(s: NormalisedSpec, gl: Glyphs): Drawing {
  const W = s.widthMm;
  const H = s.heightMm;
  const k = H / 30;
  const c = { x: W / 2, y: H / 2 };
  const rimW = Math.max(0.6, k);
  const gap = 0.45 * k;
  const layers: Layer[] = [];

  const n = s.name.length;
  const span = n >= 8 ? Math.min(250, 210 + ((n - 8) * 40) / 12) : Math.max(150, 210 - (8 - n) * 20);
  let h = 4.2 * k;
  const fit = (hh: number) => {
    const a = W / 2 - rimW - gap - hh / 2;
    const b = H / 2 - rimW - gap - hh / 2;
    const st = ellipseStations(c, a, b, -90 - span / 2, -90 + span / 2, n);
    // Where the ellipse is tightest (ends of the arc) the inner edge shortens by about b-h/2 : b.
    return { st, w: Math.min(0.75 * hh, 0.9 * st.slot * ((b - hh / 2) / b)) };
  };
  let f = fit(h);
  if (f.w < 0.3 * h) {
    h = Math.max(2 * k, f.w / 0.3);
    f = fit(h);
  }
  const namePath = new PathWriter();
  s.name.forEach((ch, i) => {
    const st = f.st.stations[i]!;
    const g = gl.get(ch, 'fangsong');
    placeGlyph(namePath, g, st.p, st.n, cellWidth(g, f.w), h, FANGSONG_RISE);
  });
  layers.push({ id: 'name', d: namePath });

  if (s.taxId) {
    // 纳税人识别号: Arial-style, about 3.7 mm high and 1.3 mm wide per character.
    const idPath = new PathWriter();
    const chars = [...s.taxId];
    horizontal(
      idPath,
      chars.map((ch) => gl.get(ch, 'latin')),
      { x: c.x, y: c.y },
      // 3.7 mm is the type size; the cell maps the cap height, 0.716 em in Arial/Arimo.
      3.7 * k * 0.716,
      1.3 * k,
      0.18 * k,
      W - 2 * (rimW + gap + 5 * k),
    );
    layers.push({ id: 'tax-id', d: idPath });
  }
  if (s.label.length) {
    const hl = 4.2 * k;
    const labelPath = new PathWriter();
    horizontal(
      labelPath,
      s.label.map((ch) => gl.get(ch, 'fangsong')),
      { x: c.x, y: c.y + 7.6 * k },
      hl,
      hl * 0.82,
      0.35 * k,
      W * 0.5,
      FANGSONG_RISE,
    );
    layers.push({ id: 'label', d: labelPath });
  }
  return {
    outline: `<ellipse id="rim" cx="${num(c.x)}" cy="${num(c.y)}" rx="${num(W / 2 - rimW / 2)}" ry="${num(H / 2 - rimW / 2)}" fill="none" stroke-width="${num(rimW)}"/>`,
    layers,
  };
}

/**
 * Personal / position name seals: the name completed the way seal makers do (two characters + 之印, three + 印),
 * laid out in columns read right to left, each column top to bottom.
 */
export function squareCells(name: string[]): { chars: string[]; cols: number; rows: number } {
  const ends = name[name.length - 1] === '印' || name[name.length - 1] === '章';
  let chars = [...name];
  if (!ends) {
    if (name.length === 2) chars = [...name, '之', '印'];
    else if (name.length === 7) chars = [...name, '之', '印'];
    else if (name.length === 1 || name.length === 3 || name.length === 5 || name.length === 8) chars = [...name, '印'];
  }
  const N = chars.length;
  if (N > 9) {
    throw new YzError('SEAL_NAME_TOO_LONG', `a square name seal holds at most 9 characters (got ${N} with 印); use shape rect`, { length: N });
  }
  const rows = N <= 2 ? 1 : N <= 6 ? 2 : 3;
  const cols = Math.ceil(N / rows);
  return { chars, cols, rows };
}

function squareSeal(s: NormalisedSpec, gl: Glyphs): Drawing {
  const S = s.widthMm;
  const rimW = Math.max(0.5, S * 0.05);
  const pad = S * 0.035;
  const inner = S - 2 * rimW - 2 * pad;
  const { chars, cols, rows } = squareCells(s.name);
  const cw = inner / cols;
  const ch = inner / rows;
  const path = new PathWriter();
  chars.forEach((c, i) => {
    const col = Math.floor(i / rows);
    const row = i % rows;
    const x = S - rimW - pad - (col + 0.5) * cw;
    const y = rimW + pad + (row + 0.5) * ch;
    placeGlyph(path, gl.get(c, 'songHeavy'), { x, y }, { x: 0, y: -1 }, cw * 0.94, ch * 0.96);
  });
  return {
    outline: `<rect id="rim" x="${num(rimW / 2)}" y="${num(rimW / 2)}" width="${num(S - rimW)}" height="${num(S - rimW)}" fill="none" stroke-width="${num(rimW)}"/>`,
    layers: [{ id: 'name', d: path }],
  };
}

/** Rectangular signature seal: the name in one line, condensed to the frame. */
function rectSeal(s: NormalisedSpec, gl: Glyphs): Drawing {
  const W = s.widthMm;
  const H = s.heightMm;
  const rimW = Math.max(0.4, H * 0.07);
  const pad = H * 0.08;
  const h = H - 2 * rimW - 2 * pad;
  const path = new PathWriter();
  horizontal(
    path,
    s.name.map((c) => gl.get(c, 'songHeavy')),
    { x: W / 2, y: H / 2 },
    h,
    h * 0.9,
    h * 0.06,
    W - 2 * rimW - 2 * pad,
  );
  return {
    outline: `<rect id="rim" x="${num(rimW / 2)}" y="${num(rimW / 2)}" width="${num(W - rimW)}" height="${num(H - rimW)}" fill="none" stroke-width="${num(rimW)}"/>`,
    layers: [{ id: 'name', d: path }],
  };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Render with an explicit glyph source (browser, tests); Node callers use renderSealSvg from the package entry. */
export function renderSealSvgWith(spec: SealSpec, glyphs: GlyphSource): SealSvg {
  const s = normaliseSpec(spec);
  const gl = new Glyphs(glyphs);
  const drawing = s.shape === 'round' ? roundSeal(s, gl) : s.shape === 'oval' ? ovalSeal(s, gl) : s.shape === 'square' ? squareSeal(s, gl) : rectSeal(s, gl);
  gl.check();
  const title = [s.name.join(''), s.label.join(''), s.taxId ?? '', s.sealCode ?? ''].filter(Boolean).join(' ');
  const body = drawing.layers
    .filter((l) => !l.d.empty)
    .map((l) => `<path id="${l.id}" d="${l.d.toString()}"/>`)
    .join('\n');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(s.widthMm)}mm" height="${num(s.heightMm)}mm" viewBox="0 0 ${num(s.widthMm)} ${num(s.heightMm)}" data-kind="${s.kind}" data-shape="${s.shape}">\n` +
    `<title>${escapeXml(title)}</title>\n` +
    `<g fill="${s.color}" stroke="${s.color}" stroke-width="0">\n${drawing.outline}\n${body}\n</g>\n</svg>\n`;
  return { svg, widthMm: s.widthMm, heightMm: s.heightMm };
}
