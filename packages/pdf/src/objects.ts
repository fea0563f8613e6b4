/**
 * The PDF object model (ISO 32000-1 §7.3) as far as signing and verification need it. Strings keep their raw bytes and
 * their position in the file, so the verifier can check that /Contents is exactly the gap of the ByteRange.
 */
export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    /** Offset of the opening delimiter and just past the closing one, in the buffer it was parsed from. */
    readonly start = -1,
    readonly end = -1,
  ) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
}

export class PdfDict {
  readonly map = new Map<string, PdfObject>();
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  clone(): PdfDict {
    const d = new PdfDict();
    for (const [k, v] of this.map) d.map.set(k, v);
    return d;
  }
}

/** A stream whose raw (still encoded) data lives at `dataOffset` in the source; `data` is set once read. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly dataOffset: number,
    readonly dataLength: number,
    public data?: Uint8Array,
  ) {}
}

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfObject[];

export const name = (n: string): PdfName => new PdfName(n);

export function dict(entries: Record<string, PdfObject>): PdfDict {
  const d = new PdfDict();
  for (const [k, v] of Object.entries(entries)) d.set(k, v);
  return d;
}

export function isName(o: PdfObject | undefined, n?: string): o is PdfName {
  return o instanceof PdfName && (n === undefined || o.name === n);
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

export function fromLatin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** A text string (§7.9.2.2): UTF-16BE with BOM, else PDFDocEncoding (approximated by Latin-1). */
export function textString(s: PdfString): string {
  const b = s.bytes;
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return out;
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3));
  return latin1(b);
}

/** Encodes a text string: PDFDocEncoding when ASCII, else UTF-16BE with BOM. */
export function pdfText(s: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(s)) return new PdfString(fromLatin1(s), false);
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xfe;
  out[1] = 0xff;
  for (let i = 0; i < s.length; i++) {
    out[2 + i * 2] = s.charCodeAt(i) >> 8;
    out[3 + i * 2] = s.charCodeAt(i) & 0xff;
  }
  return new PdfString(out, true);
}

/** Structural equality, for telling a real change from an identical rewrite in a later revision. */
export function deepEqual(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && bytesEq(a.bytes, b.bytes);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i], depth + 1));
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!deepEqual(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream) {
    if (!(b instanceof PdfStream) || !deepEqual(a.dict, b.dict, depth + 1)) return false;
    if (a.data && b.data) return bytesEq(a.data, b.data);
    return a.dataOffset === b.dataOffset && a.dataLength === b.dataLength;
  }
  return false;
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
