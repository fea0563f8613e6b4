/**
 * Serialises PDF objects and appends an incremental update (§7.5.6): the original bytes are copied unchanged, new and
 * changed objects follow with a classic xref section whose /Prev points at the previous one.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, fromLatin1, type PdfObject } from './objects.js';
import type { PdfDocument } from './document.js';
import { findStartxref } from './document.js';

function fmtNum(n: number): string {
  if (!Number.isFinite(n)) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'non-finite number in a PDF object');
  if (Number.isInteger(n)) return String(n);
  let s = n.toFixed(4);
  s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

function fmtName(n: string): string {
  let s = '/';
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x23 || '()<>[]{}/%'.includes(n[i]!)) s += '#' + c.toString(16).padStart(2, '0');
    else s += n[i];
  }
  return s;
}

function fmtString(s: PdfString): string {
  let out = '';
  if (s.hex) {
    for (const b of s.bytes) out += b.toString(16).padStart(2, '0');
    return `<${out}>`;
  }
  for (const b of s.bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b < 0x20 || b > 0x7e) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return `(${out})`;
}

/** Latin-1 text of an object (stream data is written separately by writeObject). */
export function serialize(o: PdfObject, depth = 0): string {
  if (depth > 64) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'object nested too deeply to write');
  if (o === null) return 'null';
  if (typeof o === 'boolean') return o ? 'true' : 'false';
  if (typeof o === 'number') return fmtNum(o);
  if (o instanceof PdfName) return fmtName(o.name);
  if (o instanceof PdfString) return fmtString(o);
  if (o instanceof PdfRef) return `${o.num} ${o.gen} R`;
  if (Array.isArray(o)) return '[' + o.map((x) => serialize(x, depth + 1)).join(' ') + ']';
  if (o instanceof PdfDict) {
    let s = '<<';
    for (const [k, v] of o.map) s += fmtName(k) + ' ' + serialize(v, depth + 1);
    return s + '>>';
  }
  if (o instanceof PdfStream) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'a stream can only be written as an indirect object');
  throw new YzError(ErrorCode.INVALID_ARGUMENT, 'unknown PDF object');
}

/** Bytes of `n g obj ... endobj\n`. */
export function writeObject(num: number, gen: number, o: PdfObject): Uint8Array {
  if (o instanceof PdfStream) {
    const data = o.data ?? new Uint8Array(0);
    const d = o.dict.clone().set('Length', data.length);
    const head = fromLatin1(`${num} ${gen} obj\n${serialize(d)}\nstream\n`);
    const tail = fromLatin1('\nendstream\nendobj\n');
    const out = new Uint8Array(head.length + data.length + tail.length);
    out.set(head);
    out.set(data, head.length);
    out.set(tail, head.length + data.length);
    return out;
  }
  return fromLatin1(`${num} ${gen} obj\n${serialize(o)}\nendobj\n`);
}

/** Collects new and changed objects for one incremental update of `doc`. */
export class IncrementalUpdate {
  private next: number;
  private readonly objects = new Map<number, { gen: number; bytes: Uint8Array }>();

  /** `original` is only needed for build(); buildTail() reads the last byte through the document's source. */
  constructor(readonly doc: PdfDocument, readonly original?: Uint8Array) {
    this.next = Math.max(doc.size, 1);
  }

  allocate(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  set(ref: PdfRef, o: PdfObject): void {
    this.objects.set(ref.num, { gen: ref.gen, bytes: writeObject(ref.num, ref.gen, o) });
  }

  /** Raw pre-serialised bytes (the signature dictionary, whose placeholders are patched later). */
  setRaw(ref: PdfRef, bytes: Uint8Array): void {
    this.objects.set(ref.num, { gen: ref.gen, bytes });
  }

  /** The whole file, and where each object landed. */
  build(): { bytes: Uint8Array; offsets: Map<number, number> } {
    const original = this.original ?? this.doc.source.read(0, this.doc.source.size);
    const { tail, offsets } = this.buildTail();
    const bytes = new Uint8Array(original.length + tail.length);
    bytes.set(original);
    bytes.set(tail, original.length);
    return { bytes, offsets };
  }

  /** Only the appended bytes; offsets are absolute (the tail starts at the source's size). */
  buildTail(): { tail: Uint8Array; offsets: Map<number, number> } {
    const size = this.doc.source.size;
    const parts: Uint8Array[] = [];
    let pos = size;
    const last = this.doc.source.read(size - 1, 1)[0];
    if (last !== 0x0a && last !== 0x0d) {
      parts.push(fromLatin1('\n'));
      pos++;
    }
    const offsets = new Map<number, number>();
    const nums = [...this.objects.keys()].sort((a, b) => a - b);
    for (const n of nums) {
      const o = this.objects.get(n)!;
      offsets.set(n, pos);
      parts.push(o.bytes);
      pos += o.bytes.length;
    }
    const xrefPos = pos;
    let xref = 'xref\n0 1\n0000000000 65535 f \n';
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
      xref += `${nums[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) {
        xref += `${String(offsets.get(nums[k]!)).padStart(10, '0')} ${String(this.objects.get(nums[k]!)!.gen).padStart(5, '0')} n \n`;
      }
      i = j + 1;
    }
    const old = this.doc.trailer;
    const trailer = new PdfDict();
    trailer.set('Size', Math.max(this.next, this.doc.size));
    for (const k of ['Root', 'Info', 'ID']) {
      const v = old.get(k);
      if (v !== undefined) trailer.set(k, v);
    }
    trailer.set('Prev', findStartxref(this.doc.source));
    xref += `trailer\n${serialize(trailer)}\nstartxref\n${xrefPos}\n%%EOF\n`;
    parts.push(fromLatin1(xref));
    const total = parts.reduce((a, p) => a + p.length, 0);
    const tail = new Uint8Array(total);
    let p = 0;
    for (const part of parts) {
      tail.set(part, p);
      p += part.length;
    }
    return { tail, offsets };
  }
}
