/**
 * Tokenises and parses PDF objects (ISO 32000-1 §7.2–7.3) from a byte window. Running off the end of the window
 * throws NeedMore so the caller can retry with a larger one; everything else malformed is a PDF_MALFORMED YzError.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfObject } from './objects.js';

export class NeedMore extends Error {}

const MAX_DEPTH = 64;
const MAX_ITEMS = 1_000_000;

export function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}

export function isDelim(c: number): boolean {
  return c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
}

export function malformed(why: string, offset?: number): YzError {
  return new YzError(ErrorCode.PDF_MALFORMED, offset === undefined ? why : `${why} at offset ${offset}`, offset === undefined ? {} : { offset });
}

/** A keyword/operator token that is not an object (obj, endobj, stream, R, Tj, ...). */
export class Keyword {
  constructor(readonly word: string) {}
}

export class Lexer {
  pos: number;
  /** Position in the file of buf[0], so string positions are file offsets. */
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly base = 0,
    /** True when buf ends where the data ends (no NeedMore, just end of input). */
    readonly complete = false,
  ) {
    this.pos = pos;
  }

  private more(): never {
    if (this.complete) throw malformed('unexpected end of data', this.base + this.pos);
    throw new NeedMore();
  }

  skipWs(): void {
    const b = this.buf;
    for (;;) {
      if (this.pos >= b.length) return;
      const c = b[this.pos]!;
      if (isWhite(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.buf.length;
  }

  /** Next token: an object start or a keyword. Returns undefined at the end of a complete buffer. */
  next(): PdfObject | Keyword | '[' | ']' | '<<' | '>>' | '{' | '}' | undefined {
    this.skipWs();
    const b = this.buf;
    if (this.pos >= b.length) {
      if (this.complete) return undefined;
      this.more();
    }
    const c = b[this.pos]!;
    if (c === 0x5b) return this.pos++, '[';
    if (c === 0x5d) return this.pos++, ']';
    if (c === 0x7b) return this.pos++, '{';
    if (c === 0x7d) return this.pos++, '}';
    if (c === 0x3c) {
      if (this.pos + 1 >= b.length) this.more();
      if (b[this.pos + 1] === 0x3c) return (this.pos += 2), '<<';
      return this.hexString();
    }
    if (c === 0x3e) {
      if (this.pos + 1 >= b.length) this.more();
      if (b[this.pos + 1] === 0x3e) return (this.pos += 2), '>>';
      throw malformed("unexpected '>'", this.base + this.pos);
    }
    if (c === 0x28) return this.literalString();
    if (c === 0x2f) return this.nameToken();
    if (c === 0x29) throw malformed("unexpected ')'", this.base + this.pos);
    // number or keyword
    const start = this.pos;
    while (this.pos < b.length && !isWhite(b[this.pos]!) && !isDelim(b[this.pos]!)) this.pos++;
    if (this.pos >= b.length && !this.complete) this.more();
    let word = '';
    for (let i = start; i < this.pos; i++) word += String.fromCharCode(b[i]!);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return Number(word);
    if (/^[+-]?\d*\.?\d*[+-]?[\d.]*$/.test(word) && /\d/.test(word)) return Number.parseFloat(word) || 0; // e.g. "0.-5" from sloppy writers
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (word.length === 0) throw malformed(`unexpected byte 0x${c.toString(16)}`, this.base + start);
    return new Keyword(word);
  }

  private nameToken(): PdfName {
    const b = this.buf;
    this.pos++;
    let s = '';
    while (this.pos < b.length && !isWhite(b[this.pos]!) && !isDelim(b[this.pos]!)) {
      const c = b[this.pos]!;
      if (c === 0x23 && this.pos + 2 < b.length) {
        const h = Number.parseInt(String.fromCharCode(b[this.pos + 1]!, b[this.pos + 2]!), 16);
        if (!Number.isNaN(h)) {
          s += String.fromCharCode(h);
          this.pos += 3;
          continue;
        }
      }
      s += String.fromCharCode(c);
      this.pos++;
    }
    if (this.pos >= b.length && !this.complete) this.more();
    return new PdfName(s);
  }

  private hexString(): PdfString {
    const b = this.buf;
    const start = this.pos;
    this.pos++;
    const out: number[] = [];
    let hi = -1;
    for (;;) {
      if (this.pos >= b.length) this.more();
      const c = b[this.pos++]!;
      if (c === 0x3e) break;
      if (isWhite(c)) continue;
      const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
      if (v < 0) throw malformed('bad hex string digit', this.base + this.pos - 1);
      if (hi < 0) hi = v;
      else {
        out.push((hi << 4) | v);
        hi = -1;
      }
    }
    if (hi >= 0) out.push(hi << 4);
    return new PdfString(Uint8Array.from(out), true, this.base + start, this.base + this.pos);
  }

  private literalString(): PdfString {
    const b = this.buf;
    const start = this.pos;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      if (this.pos >= b.length) this.more();
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        if (this.pos >= b.length) this.more();
        const e = b[this.pos++]!;
        const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && this.pos < b.length && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k++) v = v * 8 + (b[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
      out.push(c);
    }
    return new PdfString(Uint8Array.from(out), false, this.base + start, this.base + this.pos);
  }

  /** Parses one complete object (arrays, dictionaries and `n g R` references resolved syntactically). */
  parseObject(depth = 0): PdfObject {
    if (depth > MAX_DEPTH) throw malformed('objects nested too deeply', this.base + this.pos);
    const t = this.next();
    if (t === undefined) throw malformed('unexpected end of data', this.base + this.pos);
    if (t === '[') {
      const arr: PdfObject[] = [];
      for (;;) {
        this.skipWs();
        if (this.pos >= this.buf.length) this.more();
        if (this.buf[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        if (arr.length >= MAX_ITEMS) throw malformed('array too long', this.base + this.pos);
        arr.push(this.parseValue(depth + 1));
      }
    }
    if (t === '<<') {
      const d = new PdfDict();
      for (;;) {
        this.skipWs();
        if (this.pos + 1 >= this.buf.length) this.more();
        if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return d;
        }
        const k = this.next();
        if (!(k instanceof PdfName)) throw malformed('dictionary key is not a name', this.base + this.pos);
        if (d.map.size >= MAX_ITEMS) throw malformed('dictionary too large', this.base + this.pos);
        d.set(k.name, this.parseValue(depth + 1));
      }
    }
    if (t === ']' || t === '>>' || t === '{' || t === '}') throw malformed(`unexpected '${t}'`, this.base + this.pos);
    if (t instanceof Keyword) throw malformed(`unexpected keyword '${t.word}'`, this.base + this.pos);
    return t;
  }

  /** An object inside an array/dict: a non-negative integer may start an `n g R` reference. */
  parseValue(depth: number): PdfObject {
    const save = this.pos;
    const v = this.parseObject(depth);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
      const after = this.pos;
      try {
        const g = this.next();
        if (typeof g === 'number' && Number.isInteger(g) && g >= 0) {
          const r = this.next();
          if (r instanceof Keyword && r.word === 'R') return new PdfRef(v, g);
        }
      } catch (e) {
        if (e instanceof NeedMore) throw e;
      }
      this.pos = after;
      void save;
    }
    return v;
  }

  /** Expects a keyword, returns false (position unchanged) if something else comes. */
  expectKeyword(word: string): boolean {
    const save = this.pos;
    const t = this.next();
    if (t instanceof Keyword && t.word === word) return true;
    this.pos = save;
    return false;
  }
}
