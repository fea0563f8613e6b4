/**
 * Reads a PDF through its cross-reference chain (§7.5.4 tables, §7.5.8 xref streams, hybrid /XRefStm, §7.5.7 object
 * streams) without loading the whole file. Each xref section is kept separately so that the verifier can look at the
 * document as it was when a signature was made (only the sections written before the end of its ByteRange).
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { Keyword, Lexer, NeedMore, malformed } from './lexer.js';
import { PdfDict, PdfName, PdfRef, PdfStream, latin1, type PdfObject } from './objects.js';
import { decodeStream } from './filters.js';
import { asSource, type ByteSource } from './source.js';

export interface XrefEntry {
  /** 0 free, 1 in the file at `offset`, 2 in object stream `stream` at `index`. */
  type: 0 | 1 | 2;
  offset: number;
  gen: number;
  stream: number;
  index: number;
}

export interface XrefSection {
  /** Where the section starts (the `xref` keyword, or the xref stream object). */
  offset: number;
  kind: 'table' | 'stream';
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
}

const MAX_SECTIONS = 10_000;
const MAX_OBJECT_WINDOW = 64 * 1024 * 1024;
const MAX_OBJECTS = 10_000_000;

export function xrefBroken(why: string, details: Record<string, unknown> = {}): YzError {
  return new YzError(ErrorCode.PDF_XREF_BROKEN, why, details);
}

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfObject;
  /** File offset of `n g obj`, or -1 when the object lives in an object stream. */
  offset: number;
  /** Object stream holding it, or -1. */
  inStream: number;
}

/** Parses an indirect object `n g obj ... endobj` at a file offset, growing the read window as needed. */
export function readIndirectAt(source: ByteSource, offset: number, lengthOf: (o: PdfObject | undefined) => number | undefined): { num: number; gen: number; value: PdfObject } {
  if (offset < 0 || offset >= source.size) throw xrefBroken(`object offset ${offset} outside the file`, { offset });
  for (let win = 4096; ; win *= 4) {
    const buf = source.read(offset, win);
    const complete = offset + buf.length >= source.size;
    const lx = new Lexer(buf, 0, offset, complete);
    try {
      const n = lx.next();
      const g = lx.next();
      if (typeof n !== 'number' || typeof g !== 'number' || !lx.expectKeyword('obj')) {
        throw xrefBroken(`no object header at offset ${offset}`, { offset });
      }
      const value = lx.parseObject();
      if (value instanceof PdfDict && lx.expectKeyword('stream')) {
        let p = lx.pos;
        if (buf[p] === 0x0d) p++;
        if (buf[p] === 0x0a) p++;
        const dataOffset = offset + p;
        let len = lengthOf(value.get('Length'));
        if (len === undefined || len < 0 || dataOffset + len > source.size || !endstreamAt(source, dataOffset + len)) {
          len = findEndstream(source, dataOffset);
        }
        return { num: n, gen: g, value: new PdfStream(value, dataOffset, len) };
      }
      return { num: n, gen: g, value };
    } catch (e) {
      if (e instanceof NeedMore && !complete && win < MAX_OBJECT_WINDOW) continue;
      if (e instanceof NeedMore) throw malformed('object runs past the end of the file', offset);
      throw e;
    }
  }
}

function endstreamAt(source: ByteSource, pos: number): boolean {
  const s = latin1(source.read(pos, 32));
  return /^\s*endstream/.test(s);
}

function findEndstream(source: ByteSource, from: number): number {
  const chunk = 1 << 20;
  for (let p = from; p < source.size; p += chunk - 16) {
    const s = latin1(source.read(p, chunk));
    const i = s.indexOf('endstream');
    if (i >= 0) {
      let end = p + i;
      const before = source.read(end - 2, 2);
      if (before[1] === 0x0a) end--;
      if (before[0] === 0x0d && before[1] === 0x0a) end--;
      else if (before[1] === 0x0d) end--;
      return end - from;
    }
  }
  throw malformed('stream without endstream', from);
}

/** Offset in the final `startxref` of the file. */
export function findStartxref(source: ByteSource): number {
  const tailLen = Math.min(source.size, 4096);
  const tail = latin1(source.read(source.size - tailLen, tailLen));
  const i = tail.lastIndexOf('startxref');
  if (i < 0) throw xrefBroken('no startxref at the end of the file');
  const m = /^startxref\s+(\d+)/.exec(tail.slice(i));
  if (!m) throw xrefBroken('startxref is not followed by an offset');
  return Number(m[1]);
}

function parseTable(source: ByteSource, offset: number): XrefSection {
  const entries = new Map<number, XrefEntry>();
  for (let win = 1 << 16; ; win *= 4) {
    const buf = source.read(offset, win);
    const complete = offset + buf.length >= source.size;
    const lx = new Lexer(buf, 0, offset, complete);
    try {
      if (!lx.expectKeyword('xref')) throw xrefBroken(`no xref table at offset ${offset}`, { offset });
      for (;;) {
        const t = lx.next();
        if (t instanceof Keyword && t.word === 'trailer') break;
        const count = lx.next();
        if (typeof t !== 'number' || typeof count !== 'number' || !Number.isInteger(t) || !Number.isInteger(count) || t < 0 || count < 0) {
          throw xrefBroken(`bad xref subsection header at offset ${offset}`, { offset });
        }
        if (t + count > MAX_OBJECTS) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'too many objects');
        for (let i = 0; i < count; i++) {
          const o = lx.next();
          const g = lx.next();
          const k = lx.next();
          if (typeof o !== 'number' || typeof g !== 'number' || !(k instanceof Keyword) || (k.word !== 'n' && k.word !== 'f')) {
            throw xrefBroken(`bad xref entry for object ${t + i}`, { offset });
          }
          // The first section for a number wins within one table (later duplicates are writer bugs).
          if (!entries.has(t + i)) entries.set(t + i, { type: k.word === 'n' ? 1 : 0, offset: o, gen: g, stream: -1, index: -1 });
        }
      }
      const trailer = lx.parseObject();
      if (!(trailer instanceof PdfDict)) throw xrefBroken('trailer is not a dictionary', { offset });
      return { offset, kind: 'table', entries, trailer };
    } catch (e) {
      if (e instanceof NeedMore && !complete && win < MAX_OBJECT_WINDOW) {
        entries.clear();
        continue;
      }
      if (e instanceof NeedMore) throw xrefBroken('xref table runs past the end of the file', { offset });
      if (e instanceof YzError && e.code === ErrorCode.PDF_MALFORMED) throw xrefBroken(`xref table: ${e.message}`, { offset });
      throw e;
    }
  }
}

function intOf(o: PdfObject | undefined): number | undefined {
  return typeof o === 'number' && Number.isInteger(o) ? o : undefined;
}

function parseXrefStream(source: ByteSource, offset: number): XrefSection {
  let obj;
  try {
    obj = readIndirectAt(source, offset, intOf);
  } catch (e) {
    if (e instanceof YzError && (e.code === ErrorCode.PDF_MALFORMED || e.code === ErrorCode.PDF_XREF_BROKEN)) {
      throw xrefBroken(`no xref table or stream at offset ${offset}`, { offset });
    }
    throw e;
  }
  const s = obj.value;
  if (!(s instanceof PdfStream) || !(s.dict.get('Type') instanceof PdfName) || (s.dict.get('Type') as PdfName).name !== 'XRef') {
    throw xrefBroken(`object at offset ${offset} is not an xref stream`, { offset });
  }
  const d = s.dict;
  const w = d.get('W');
  if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 8)) {
    throw xrefBroken('xref stream /W is invalid', { offset });
  }
  const [w0, w1, w2] = w as [number, number, number];
  const size = intOf(d.get('Size'));
  if (size === undefined || size < 0 || size > MAX_OBJECTS) throw xrefBroken('xref stream /Size is invalid', { offset });
  const idx = d.get('Index') ?? [0, size];
  if (!Array.isArray(idx) || idx.length % 2 !== 0 || !idx.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    throw xrefBroken('xref stream /Index is invalid', { offset });
  }
  let data: Uint8Array;
  try {
    data = decodeStream(d, source.read(s.dataOffset, s.dataLength), (x) => x);
  } catch (e) {
    throw xrefBroken(`xref stream cannot be decoded: ${(e as Error).message}`, { offset });
  }
  const rowLen = w0 + w1 + w2;
  const entries = new Map<number, XrefEntry>();
  let p = 0;
  const field = (len: number, dflt: number): number => {
    if (len === 0) return dflt;
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + data[p++]!;
    return v;
  };
  for (let i = 0; i < idx.length; i += 2) {
    const first = idx[i] as number;
    const count = idx[i + 1] as number;
    if (first + count > MAX_OBJECTS) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'too many objects');
    for (let k = 0; k < count; k++) {
      if (p + rowLen > data.length) throw xrefBroken('xref stream data is shorter than /Index says', { offset });
      const type = field(w0, 1);
      const f2 = field(w1, 0);
      const f3 = field(w2, 0);
      if (entries.has(first + k)) continue;
      if (type === 1) entries.set(first + k, { type: 1, offset: f2, gen: f3, stream: -1, index: -1 });
      else if (type === 2) entries.set(first + k, { type: 2, offset: -1, gen: 0, stream: f2, index: f3 });
      else if (type === 0) entries.set(first + k, { type: 0, offset: 0, gen: f3, stream: -1, index: -1 });
      // other types are reserved: treated as null objects (§7.5.8.3)
    }
  }
  return { offset, kind: 'stream', entries, trailer: d };
}

function parseSection(source: ByteSource, offset: number): XrefSection {
  if (!Number.isInteger(offset) || offset < 0 || offset >= source.size) throw xrefBroken(`xref offset ${offset} outside the file`, { offset });
  const head = latin1(source.read(offset, 8));
  if (head.startsWith('xref')) {
    const sec = parseTable(source, offset);
    const hybrid = intOf(sec.trailer.get('XRefStm'));
    if (hybrid !== undefined) {
      // Hybrid-reference file (§7.5.8.4): the table's own entries win, the stream adds objects hidden from old readers.
      const st = parseXrefStream(source, hybrid);
      for (const [k, v] of st.entries) if (!sec.entries.has(k)) sec.entries.set(k, v);
    }
    return sec;
  }
  return parseXrefStream(source, offset);
}

/** All xref sections reachable from the final startxref through /Prev, newest first. */
export function readXrefChain(source: ByteSource): XrefSection[] {
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  let off: number | undefined = findStartxref(source);
  while (off !== undefined) {
    if (seen.has(off)) throw xrefBroken('xref /Prev chain loops', { offset: off });
    if (sections.length >= MAX_SECTIONS) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${MAX_SECTIONS} xref sections`);
    seen.add(off);
    const sec = parseSection(source, off);
    sections.push(sec);
    const prev = sec.trailer.get('Prev');
    off = prev === undefined ? undefined : intOf(prev);
    if (prev !== undefined && off === undefined) throw xrefBroken('trailer /Prev is not an integer');
  }
  return sections;
}

/** Resolves objects through a list of xref sections (newest first). */
export class PdfDocument {
  readonly source: ByteSource;
  readonly sections: XrefSection[];
  private readonly cache = new Map<number, IndirectObject | null>();
  private readonly objStmCache = new Map<number, { data: Uint8Array; offsets: number[]; first: number }>();

  constructor(source: ByteSource | Uint8Array, sections?: XrefSection[]) {
    this.source = asSource(source);
    const head = latin1(this.source.read(0, 1024));
    if (!head.includes('%PDF-')) throw malformed('not a PDF (no %PDF- header)');
    this.sections = sections ?? readXrefChain(this.source);
    if (this.sections.length === 0) throw xrefBroken('no xref section');
  }

  /** The newest trailer dictionary. */
  get trailer(): PdfDict {
    return this.sections[0]!.trailer;
  }

  /** The document as it was before `endOffset` (sections starting before it only). */
  asOf(endOffset: number): PdfDocument {
    return new PdfDocument(this.source, this.sections.filter((s) => s.offset < endOffset));
  }

  entry(num: number): XrefEntry | undefined {
    for (const s of this.sections) {
      const e = s.entries.get(num);
      if (e) return e;
    }
    return undefined;
  }

  /** Largest object number + 1 declared by the trailers. */
  get size(): number {
    let n = 0;
    for (const s of this.sections) n = Math.max(n, intOf(s.trailer.get('Size')) ?? 0);
    return n;
  }

  getObject(num: number): IndirectObject | undefined {
    if (this.cache.has(num)) return this.cache.get(num) ?? undefined;
    const e = this.entry(num);
    let result: IndirectObject | undefined;
    if (e?.type === 1) {
      const o = readIndirectAt(this.source, e.offset, (x) => {
        const v = x instanceof PdfRef && x.num !== num ? this.resolve(x) : x;
        return intOf(v);
      });
      if (o.num !== num) throw xrefBroken(`xref says object ${num} is at offset ${e.offset}, found object ${o.num}`, { num, offset: e.offset });
      result = { num, gen: o.gen, value: o.value, offset: e.offset, inStream: -1 };
    } else if (e?.type === 2) {
      result = { num, gen: 0, value: this.fromObjectStream(e.stream, e.index, num), offset: -1, inStream: e.stream };
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(num, result ?? null);
    return result;
  }

  private fromObjectStream(stmNum: number, index: number, num: number): PdfObject {
    let st = this.objStmCache.get(stmNum);
    if (!st) {
      const o = this.getObject(stmNum);
      if (!o || !(o.value instanceof PdfStream) || o.inStream >= 0) throw xrefBroken(`object stream ${stmNum} is missing`, { num: stmNum });
      const data = this.streamData(o.value);
      const n = intOf(this.resolve(o.value.dict.get('N')));
      const first = intOf(this.resolve(o.value.dict.get('First')));
      if (n === undefined || first === undefined || n < 0 || first < 0 || first > data.length) throw malformed(`object stream ${stmNum} has a bad /N or /First`);
      const lx = new Lexer(data.subarray(0, first), 0, 0, true);
      const offsets: number[] = [];
      for (let i = 0; i < n; i++) {
        const objNum = lx.next();
        const rel = lx.next();
        if (typeof objNum !== 'number' || typeof rel !== 'number') throw malformed(`object stream ${stmNum} header is malformed`);
        offsets.push(objNum, rel);
      }
      st = { data, offsets, first };
      if (this.objStmCache.size > 64) this.objStmCache.clear();
      this.objStmCache.set(stmNum, st);
    }
    const at = st.offsets[index * 2 + 1];
    if (st.offsets[index * 2] !== num || at === undefined) throw xrefBroken(`object ${num} is not at index ${index} of object stream ${stmNum}`);
    const lx = new Lexer(st.data, st.first + at, 0, true);
    return lx.parseObject();
  }

  /** Follows references (with a bound, against reference cycles). */
  resolve(o: PdfObject | undefined): PdfObject | undefined {
    let v = o;
    for (let i = 0; v instanceof PdfRef; i++) {
      if (i > 32) throw malformed('reference chain too long');
      v = this.getObject(v.num)?.value ?? null;
    }
    return v;
  }

  dict(o: PdfObject | undefined): PdfDict | undefined {
    const v = this.resolve(o);
    if (v instanceof PdfDict) return v;
    if (v instanceof PdfStream) return v.dict;
    return undefined;
  }

  streamData(s: PdfStream): Uint8Array {
    if (!s.data) s.data = this.source.read(s.dataOffset, s.dataLength);
    return decodeStream(s.dict, s.data, (x) => this.resolve(x));
  }

  get catalog(): PdfDict {
    const c = this.dict(this.trailer.get('Root'));
    if (!c) throw malformed('trailer has no /Root catalog');
    return c;
  }

  get encrypted(): boolean {
    return this.sections.some((s) => s.trailer.has('Encrypt'));
  }

  /** Pages in order with inherited attributes (§7.7.3.4). */
  pages(): PageInfo[] {
    const out: PageInfo[] = [];
    const seen = new Set<number>();
    const walk = (ref: PdfObject | undefined, inherited: Inherited, depth: number): void => {
      if (depth > 64) throw malformed('page tree too deep');
      if (ref instanceof PdfRef) {
        if (seen.has(ref.num)) throw malformed('page tree has a cycle');
        seen.add(ref.num);
      }
      const d = this.dict(ref);
      if (!d) return;
      const inh: Inherited = {
        resources: d.get('Resources') ?? inherited.resources,
        mediaBox: d.get('MediaBox') ?? inherited.mediaBox,
        cropBox: d.get('CropBox') ?? inherited.cropBox,
        rotate: d.get('Rotate') ?? inherited.rotate,
      };
      const type = this.resolve(d.get('Type'));
      const kids = this.resolve(d.get('Kids'));
      if ((type instanceof PdfName && type.name === 'Pages') || (Array.isArray(kids) && !(type instanceof PdfName && type.name === 'Page'))) {
        if (!Array.isArray(kids)) return;
        for (const k of kids) walk(k, inh, depth + 1);
        return;
      }
      if (!(ref instanceof PdfRef)) throw malformed('page is not an indirect object');
      if (out.length >= 1_000_000) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'too many pages');
      const box = (o: PdfObject | undefined): [number, number, number, number] | undefined => {
        const a = this.resolve(o);
        if (!Array.isArray(a) || a.length !== 4) return undefined;
        const n = a.map((x) => this.resolve(x));
        if (!n.every((x) => typeof x === 'number')) return undefined;
        const [x0, y0, x1, y1] = n as number[];
        return [Math.min(x0!, x1!), Math.min(y0!, y1!), Math.max(x0!, x1!), Math.max(y0!, y1!)];
      };
      const media = box(inh.mediaBox) ?? [0, 0, 612, 792];
      const rot = this.resolve(inh.rotate);
      out.push({
        ref,
        dict: d,
        mediaBox: media,
        cropBox: box(inh.cropBox) ?? media,
        rotate: typeof rot === 'number' ? (((Math.round(rot / 90) * 90) % 360) + 360) % 360 : 0,
        resources: this.dict(inh.resources),
      });
    };
    walk(this.catalog.get('Pages'), {}, 0);
    return out;
  }
}

interface Inherited {
  resources?: PdfObject;
  mediaBox?: PdfObject;
  cropBox?: PdfObject;
  rotate?: PdfObject;
}

export interface PageInfo {
  ref: PdfRef;
  dict: PdfDict;
  mediaBox: [number, number, number, number];
  cropBox: [number, number, number, number];
  rotate: number;
  resources: PdfDict | undefined;
}

export function openPdf(input: ByteSource | Uint8Array): PdfDocument {
  return new PdfDocument(input);
}
