/**
 * Finds where a keyword is drawn on a page, for `--keyword` placement: a small content-stream interpreter that tracks
 * the CTM and text matrices (§9.4) and maps character codes to Unicode via /ToUnicode (§9.10.3) or the simple-font
 * byte value. Text inside form XObjects is not searched.
 */
import type { PdfDocument, PageInfo } from './document.js';
import { Keyword, Lexer } from './lexer.js';
import { PdfName, PdfStream, PdfString, latin1, type PdfObject } from './objects.js';

type Matrix = [number, number, number, number, number, number];
const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
];

export interface PlacedChar {
  ch: string;
  x: number;
  y: number;
  /** Advance in user space (approximate). */
  width: number;
  size: number;
}

interface FontInfo {
  twoByte: boolean;
  toUnicode: Map<number, string>;
  width(code: number): number;
}

const MAX_OPS = 2_000_000;

function parseCMap(data: Uint8Array): Map<number, string> {
  const m = new Map<number, string>();
  const s = latin1(data);
  const hex = (h: string): number => Number.parseInt(h, 16);
  const uni = (h: string): string => {
    let out = '';
    for (let i = 0; i + 3 < h.length + 0; i += 4) out += String.fromCharCode(hex(h.slice(i, i + 4)));
    if (h.length === 2) out = String.fromCharCode(hex(h));
    return out;
  };
  for (const block of s.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const e of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) m.set(hex(e[1]!), uni(e[2]!));
  }
  for (const block of s.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const e of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
      const lo = hex(e[1]!), hi = Math.min(hex(e[2]!), lo + 65535);
      if (e[4] !== undefined) {
        const base = uni(e[4]);
        const last = base.charCodeAt(base.length - 1);
        for (let c = lo; c <= hi; c++) m.set(c, base.slice(0, -1) + String.fromCharCode(last + (c - lo)));
      } else {
        const items = [...e[5]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => uni(x[1]!));
        items.forEach((u, i) => m.set(lo + i, u));
      }
    }
  }
  return m;
}

function fontInfo(doc: PdfDocument, fontObj: PdfObject | undefined): FontInfo {
  const f = doc.dict(fontObj);
  const sub = f ? doc.resolve(f.get('Subtype')) : undefined;
  const twoByte = sub instanceof PdfName && sub.name === 'Type0';
  let toUnicode = new Map<number, string>();
  const tu = f ? doc.resolve(f.get('ToUnicode')) : undefined;
  if (tu instanceof PdfStream) {
    try {
      toUnicode = parseCMap(doc.streamData(tu));
    } catch {
      // unreadable CMap: fall back to raw codes
    }
  }
  const widths = new Map<number, number>();
  let dflt = twoByte ? 1000 : 500;
  if (f && twoByte) {
    const desc = doc.resolve(f.get('DescendantFonts'));
    const d0 = Array.isArray(desc) ? doc.dict(desc[0]) : undefined;
    if (d0) {
      const dw = doc.resolve(d0.get('DW'));
      if (typeof dw === 'number') dflt = dw;
      const w = doc.resolve(d0.get('W'));
      if (Array.isArray(w)) {
        for (let i = 0; i < w.length && widths.size < 70000; ) {
          const a = doc.resolve(w[i]);
          const b = doc.resolve(w[i + 1]);
          if (typeof a !== 'number') break;
          if (Array.isArray(b)) {
            b.forEach((x, k) => {
              const v = doc.resolve(x);
              if (typeof v === 'number') widths.set(a + k, v);
            });
            i += 2;
          } else {
            const v = doc.resolve(w[i + 2]);
            if (typeof b === 'number' && typeof v === 'number') for (let c = a; c <= Math.min(b, a + 65535); c++) widths.set(c, v);
            i += 3;
          }
        }
      }
    }
  } else if (f) {
    const first = doc.resolve(f.get('FirstChar'));
    const w = doc.resolve(f.get('Widths'));
    if (typeof first === 'number' && Array.isArray(w)) w.forEach((x, k) => {
      const v = doc.resolve(x);
      if (typeof v === 'number') widths.set(first + k, v);
    });
  }
  return { twoByte, toUnicode, width: (c) => widths.get(c) ?? dflt };
}

/** The characters drawn by the page's content stream, in user space. */
export function pageChars(doc: PdfDocument, page: PageInfo): PlacedChar[] {
  const contents = doc.resolve(page.dict.get('Contents'));
  const parts = Array.isArray(contents) ? contents.map((c) => doc.resolve(c)) : [contents];
  const chunks: Uint8Array[] = [];
  for (const p of parts) if (p instanceof PdfStream) chunks.push(doc.streamData(p), Uint8Array.of(0x0a));
  const data = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    data.set(c, o);
    o += c.length;
  }
  const fonts = doc.dict(page.resources?.get('Font'));
  const fontCache = new Map<string, FontInfo>();
  const out: PlacedChar[] = [];
  const lx = new Lexer(data, 0, 0, true);
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let tm: Matrix = [1, 0, 0, 1, 0, 0];
  let tlm: Matrix = [1, 0, 0, 1, 0, 0];
  let font: FontInfo | undefined;
  let size = 12, tc = 0, tw = 0, th = 1, tl = 0, rise = 0;
  const operands: PdfObject[] = [];
  const show = (s: PdfString): void => {
    if (!font) font = { twoByte: false, toUnicode: new Map(), width: () => 500 };
    const b = s.bytes;
    const step = font.twoByte ? 2 : 1;
    for (let i = 0; i + step - 1 < b.length; i += step) {
      const code = step === 2 ? (b[i]! << 8) | b[i + 1]! : b[i]!;
      const ch = font.toUnicode.get(code) ?? (font.twoByte ? '\ufffd' : String.fromCharCode(code));
      const trm = mul([size * th, 0, 0, size, 0, rise], mul(tm, ctm));
      const adv = ((font.width(code) / 1000) * size + tc + (step === 1 && code === 32 ? tw : 0)) * th;
      const scale = Math.hypot(trm[0], trm[1]) / Math.max(1e-9, size * th);
      out.push({ ch, x: trm[4], y: trm[5], width: adv * scale, size: size * Math.hypot(trm[2], trm[3]) / Math.max(1e-9, size) });
      tm = mul([1, 0, 0, 1, adv, 0], tm);
    }
  };
  const nums = (n: number): number[] | undefined => {
    const a = operands.slice(-n);
    return a.length === n && a.every((x) => typeof x === 'number') ? (a as number[]) : undefined;
  };
  for (let ops = 0; ops < MAX_OPS; ops++) {
    let t;
    try {
      t = lx.next();
    } catch {
      break;
    }
    if (t === undefined) break;
    if (t === '[' || t === '<<') {
      lx.pos -= t.length;
      try {
        operands.push(lx.parseObject());
      } catch {
        break;
      }
      continue;
    }
    if (!(t instanceof Keyword)) {
      if (typeof t !== 'string') operands.push(t);
      continue;
    }
    const op = t.word;
    switch (op) {
      case 'q': if (stack.length < 256) stack.push(ctm); break;
      case 'Q': ctm = stack.pop() ?? ctm; break;
      case 'cm': { const n = nums(6); if (n) ctm = mul(n as Matrix, ctm); break; }
      case 'BT': tm = tlm = [1, 0, 0, 1, 0, 0]; break;
      case 'Tf': {
        const n = operands[operands.length - 1];
        const f = operands[operands.length - 2];
        if (typeof n === 'number') size = n;
        if (f instanceof PdfName) {
          if (!fontCache.has(f.name)) fontCache.set(f.name, fontInfo(doc, fonts?.get(f.name)));
          font = fontCache.get(f.name);
        }
        break;
      }
      case 'Tm': { const n = nums(6); if (n) tm = tlm = n as Matrix; break; }
      case 'Td': { const n = nums(2); if (n) tm = tlm = mul([1, 0, 0, 1, n[0]!, n[1]!], tlm); break; }
      case 'TD': { const n = nums(2); if (n) { tl = -n[1]!; tm = tlm = mul([1, 0, 0, 1, n[0]!, n[1]!], tlm); } break; }
      case 'T*': tm = tlm = mul([1, 0, 0, 1, 0, -tl], tlm); break;
      case 'TL': { const n = nums(1); if (n) tl = n[0]!; break; }
      case 'Tc': { const n = nums(1); if (n) tc = n[0]!; break; }
      case 'Tw': { const n = nums(1); if (n) tw = n[0]!; break; }
      case 'Tz': { const n = nums(1); if (n) th = n[0]! / 100; break; }
      case 'Ts': { const n = nums(1); if (n) rise = n[0]!; break; }
      case 'Tj': { const s = operands[operands.length - 1]; if (s instanceof PdfString) show(s); break; }
      case "'": case '"': {
        tm = tlm = mul([1, 0, 0, 1, 0, -tl], tlm);
        const s = operands[operands.length - 1];
        if (s instanceof PdfString) show(s);
        break;
      }
      case 'TJ': {
        const a = operands[operands.length - 1];
        if (Array.isArray(a)) for (const x of a) {
          if (x instanceof PdfString) show(x);
          else if (typeof x === 'number') tm = mul([1, 0, 0, 1, (-x / 1000) * size * th, 0], tm);
        }
        break;
      }
      case 'BI': {
        // inline image: skip to EI
        const rest = latin1(data.subarray(lx.pos, Math.min(data.length, lx.pos + (1 << 24))));
        const m = /\sEI[\s]/.exec(rest);
        lx.pos += m ? m.index + 3 : rest.length;
        break;
      }
      default:
    }
    operands.length = 0;
  }
  return out;
}

/** User-space box around the first occurrence of `keyword` on the page, or undefined. */
export function findKeyword(doc: PdfDocument, page: PageInfo, keyword: string): { x0: number; y0: number; x1: number; y1: number } | undefined {
  const chars = pageChars(doc, page).filter((c) => c.ch.trim() !== '');
  const text = chars.map((c) => c.ch).join('');
  const needle = keyword.replace(/\s+/g, '');
  const at = text.indexOf(needle);
  if (at < 0 || needle.length === 0) return undefined;
  // Map string index → char index (ToUnicode may map one code to several characters).
  let idx = 0, first = -1, last = -1;
  for (let i = 0; i < chars.length; i++) {
    const len = chars[i]!.ch.length;
    if (first < 0 && idx + len > at) first = i;
    if (idx + len >= at + needle.length) {
      last = i;
      break;
    }
    idx += len;
  }
  if (first < 0 || last < 0) return undefined;
  const sel = chars.slice(first, last + 1);
  const x0 = Math.min(...sel.map((c) => c.x));
  const x1 = Math.max(...sel.map((c) => c.x + c.width));
  const y0 = Math.min(...sel.map((c) => c.y));
  const y1 = Math.max(...sel.map((c) => c.y + c.size));
  return { x0, y0, x1, y1 };
}

