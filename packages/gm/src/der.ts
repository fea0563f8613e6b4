/**
 * A small DER/BER TLV reader and DER writer. Readers return views into the input (never copies), so callers can
 * verify signatures over exactly the bytes received (GB/T 38540 files in the wild are not always DER).
 * Limits are explicit: lengths may not run past the input, and callers bound depth and child counts.
 */
import { ErrorCode, YzError } from './errors.js';
import { bytesToBigInt, concatBytes } from './bytes.js';

export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
} as const;

export interface Tlv {
  /** Class bits (0 universal, 1 application, 2 context, 3 private). */
  cls: number;
  constructed: boolean;
  /** Tag number within its class. */
  num: number;
  /** First identifier byte, handy for universal tags (e.g. 0x30 for SEQUENCE). */
  tag: number;
  /** Offset of the TLV in the buffer it was read from. */
  start: number;
  /** Offset just past the TLV. */
  end: number;
  /** The whole TLV (header + value), a view into the input. */
  bytes: Uint8Array;
  /** The value octets, a view into the input. */
  value: Uint8Array;
}

/** Reads one TLV at `offset`. Lengths must be definite and fit inside `buf`. */
export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  const fail = (why: string): never => {
    throw new YzError(ErrorCode.DER_MALFORMED, `malformed DER at offset ${offset}: ${why}`, { offset });
  };
  let p = offset;
  if (p >= buf.length) fail('no data');
  const first = buf[p++]!;
  const cls = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let num = first & 0x1f;
  if (num === 0x1f) {
    num = 0;
    for (let i = 0; ; i++) {
      if (p >= buf.length) fail('truncated tag');
      if (i >= 4) fail('tag number too large');
      const b = buf[p++]!;
      num = (num << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= buf.length) fail('truncated length');
  let len = buf[p++]!;
  if (len === 0x80) fail('indefinite length is not allowed');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) fail('length field too large');
    if (p + n > buf.length) fail('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > buf.length) fail(`length ${len} runs past the end of the input`);
  const end = p + len;
  return { cls, constructed, num, tag: first, start: offset, end, bytes: buf.subarray(offset, end), value: buf.subarray(p, end) };
}

/** Reads a TLV that must span the whole buffer. */
export function readSingle(buf: Uint8Array): Tlv {
  const t = readTlv(buf, 0);
  if (t.end !== buf.length) {
    throw new YzError(ErrorCode.DER_MALFORMED, `trailing ${buf.length - t.end} bytes after the DER value`);
  }
  return t;
}

/** The children of a constructed TLV (at most `maxCount`, default 100 000). */
export function children(t: Tlv, maxCount = 100_000): Tlv[] {
  if (!t.constructed) throw new YzError(ErrorCode.DER_MALFORMED, 'expected a constructed value');
  const out: Tlv[] = [];
  let p = 0;
  while (p < t.value.length) {
    if (out.length >= maxCount) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${maxCount} elements`);
    const c = readTlv(t.value, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) {
    throw new YzError(ErrorCode.DER_MALFORMED, `${what}: expected tag 0x${tag.toString(16)}, got ${t ? '0x' + t.tag.toString(16) : 'nothing'}`);
  }
  return t;
}

/** INTEGER value as an unsigned bigint; negative values are rejected. */
export function readUnsignedInteger(t: Tlv): bigint {
  if (t.tag !== Tag.INTEGER || t.value.length === 0) throw new YzError(ErrorCode.DER_MALFORMED, 'expected INTEGER');
  if (t.value[0]! & 0x80) throw new YzError(ErrorCode.DER_MALFORMED, 'negative INTEGER');
  return bytesToBigInt(t.value);
}

/** A small INTEGER as a JS number (e.g. a version field). */
export function readSmallInteger(t: Tlv): number {
  const v = readUnsignedInteger(t);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new YzError(ErrorCode.DER_MALFORMED, 'INTEGER too large');
  return Number(v);
}

export function decodeOid(value: Uint8Array): string {
  if (value.length === 0 || value.length > 128) throw new YzError(ErrorCode.DER_MALFORMED, 'bad OBJECT IDENTIFIER length');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < value.length; i++) {
    const b = value[i]!;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER) throw new YzError(ErrorCode.DER_MALFORMED, 'OID arc too large');
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    } else if (i === value.length - 1) throw new YzError(ErrorCode.DER_MALFORMED, 'truncated OID');
  }
  return parts.join('.');
}

export function readOid(t: Tlv): string {
  if (t.tag !== Tag.OID) throw new YzError(ErrorCode.DER_MALFORMED, 'expected OBJECT IDENTIFIER');
  return decodeOid(t.value);
}

// ---------------------------------------------------------------- writer

function encodeLength(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** Any TLV from an identifier byte and value (tag numbers < 31). */
export function derTlv(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), encodeLength(value.length), value);
}

export const derSequence = (...items: Uint8Array[]): Uint8Array => derTlv(Tag.SEQUENCE, concatBytes(...items));

/** SET OF, sorted as DER requires. */
export function derSetOf(...items: Uint8Array[]): Uint8Array {
  const sorted = [...items].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  return derTlv(Tag.SET, concatBytes(...sorted));
}

export function derInteger(v: bigint | number | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (v instanceof Uint8Array) {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    bytes = v.subarray(i);
    if (bytes.length === 0) bytes = Uint8Array.of(0);
  } else {
    const n = BigInt(v);
    if (n < 0n) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'negative INTEGER not supported');
    let hex = n.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    bytes = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  }
  if (bytes[0]! & 0x80) bytes = concatBytes(Uint8Array.of(0), bytes);
  return derTlv(Tag.INTEGER, bytes);
}

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((x) => {
    if (!/^\d+$/.test(x)) throw new YzError(ErrorCode.INVALID_ARGUMENT, `bad OID ${oid}`);
    return Number(x);
  });
  if (arcs.length < 2) throw new YzError(ErrorCode.INVALID_ARGUMENT, `bad OID ${oid}`);
  const out: number[] = [];
  const push = (n: number) => {
    const tmp = [n & 0x7f];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) tmp.unshift((n & 0x7f) | 0x80);
    out.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.from(out);
}

export const derOid = (oid: string): Uint8Array => derTlv(Tag.OID, encodeOid(oid));
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const derOctetString = (v: Uint8Array): Uint8Array => derTlv(Tag.OCTET_STRING, v);
export const derBitString = (v: Uint8Array, unusedBits = 0): Uint8Array => derTlv(Tag.BIT_STRING, concatBytes(Uint8Array.of(unusedBits), v));
export const derBoolean = (v: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const derUtf8 = (s: string): Uint8Array => derTlv(Tag.UTF8_STRING, new TextEncoder().encode(s));
export const derIa5 = (s: string): Uint8Array => derTlv(Tag.IA5_STRING, new TextEncoder().encode(s));
export const derPrintable = (s: string): Uint8Array => derTlv(Tag.PRINTABLE_STRING, new TextEncoder().encode(s));

/** [n] context tag; `explicit` wraps a complete TLV, implicit replaces the tag (keep constructed-ness). */
export function derContext(n: number, content: Uint8Array, constructed = true): Uint8Array {
  if (n > 30) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'context tag too large');
  return derTlv(0x80 | (constructed ? 0x20 : 0) | n, content);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function derGeneralizedTime(d: Date): Uint8Array {
  const s = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return derTlv(Tag.GENERALIZED_TIME, new TextEncoder().encode(s));
}

export function derUtcTime(d: Date): Uint8Array {
  const s = `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return derTlv(Tag.UTC_TIME, new TextEncoder().encode(s));
}

/** X.509 rule: UTCTime up to 2049, GeneralizedTime from 2050. */
export const derTime = (d: Date): Uint8Array => (d.getUTCFullYear() < 2050 ? derUtcTime(d) : derGeneralizedTime(d));

/** Parses UTCTime or GeneralizedTime (lenient: fractional seconds, offsets, missing seconds). */
export function readTime(t: Tlv): Date {
  const s = new TextDecoder().decode(t.value);
  const m =
    t.tag === Tag.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?$/.exec(s)
      : t.tag === Tag.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(s)
        : null;
  if (!m) throw new YzError(ErrorCode.DER_MALFORMED, `bad time value "${s.slice(0, 40)}"`);
  let year = Number(m[1]);
  if (t.tag === Tag.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const frac = t.tag === Tag.GENERALIZED_TIME ? m[7] : undefined;
  const zone = t.tag === Tag.GENERALIZED_TIME ? m[8] : m[7];
  const ms = frac ? Math.round(Number('0.' + frac) * 1000) : 0;
  let time = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '+' ? 1 : -1;
    time -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) throw new YzError(ErrorCode.DER_MALFORMED, `bad time value "${s}"`);
  return d;
}

/** Decodes string types met in certificates and seals (UTF8, Printable, IA5, T61 as Latin-1, BMP). */
export function readString(t: Tlv): string {
  switch (t.tag) {
    case Tag.UTF8_STRING:
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case 0x1a: // VisibleString
      return new TextDecoder('utf-8').decode(t.value);
    case Tag.T61_STRING:
      return new TextDecoder('latin1').decode(t.value);
    case Tag.BMP_STRING:
      return new TextDecoder('utf-16be').decode(t.value);
    default:
      // Some vendors put text in OCTET STRINGs.
      if (t.tag === Tag.OCTET_STRING) return new TextDecoder('utf-8').decode(t.value);
      throw new YzError(ErrorCode.DER_MALFORMED, `expected a string, got tag 0x${t.tag.toString(16)}`);
  }
}
