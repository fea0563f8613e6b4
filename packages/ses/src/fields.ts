/**
 * Lenient readers for the primitive fields of SES structures. Each accepts the standard encoding and the deviations
 * met in real files (BIT/OCTET STRING swaps, UTCTime for GeneralizedTime, text times in BIT STRINGs), and records a
 * note for each tolerated deviation. All return views into the input.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { Tag, children, readOid, readSmallInteger, readString, readTime, type Tlv } from '@yinzhang/gm/portable';
import { SesLimits } from './limits.js';
import type { ExtData } from './model.js';

export function malformed(what: string, detail?: string): YzError {
  return new YzError(ErrorCode.SES_MALFORMED, `${what}${detail ? `: ${detail}` : ''}`, { field: what });
}

function tagName(t: Tlv | undefined): string {
  return t ? `tag 0x${t.tag.toString(16).padStart(2, '0')}` : 'nothing';
}

/** The children of a SEQUENCE (bounded); `what` names the field for error messages. */
export function sequence(t: Tlv | undefined, what: string, max: number = SesLimits.maxElements): Tlv[] {
  if (!t || t.tag !== Tag.SEQUENCE) throw malformed(what, `expected SEQUENCE, got ${tagName(t)}`);
  try {
    return children(t, max);
  } catch (e) {
    if (e instanceof YzError && e.code === ErrorCode.LIMIT_EXCEEDED) {
      throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${what}: more than ${max} elements`, { field: what, max });
    }
    throw e;
  }
}

export function integer(t: Tlv | undefined, what: string): number {
  if (!t || t.tag !== Tag.INTEGER) throw malformed(what, `expected INTEGER, got ${tagName(t)}`);
  try {
    return readSmallInteger(t);
  } catch (e) {
    throw malformed(what, e instanceof Error ? e.message : 'bad INTEGER');
  }
}

export function text(t: Tlv | undefined, what: string): string {
  if (!t || t.constructed) throw malformed(what, `expected a string, got ${tagName(t)}`);
  if (t.value.length > SesLimits.maxTextBytes) {
    throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${what}: text longer than ${SesLimits.maxTextBytes} bytes`, { field: what });
  }
  try {
    return readString(t);
  } catch {
    throw malformed(what, `expected a string, got ${tagName(t)}`);
  }
}

export function oid(t: Tlv | undefined, what: string, notes: string[]): string {
  if (t?.tag === Tag.OID) return readOid(t);
  // Some producers write a full AlgorithmIdentifier where the standard has a bare OID.
  if (t?.tag === Tag.SEQUENCE) {
    const first = children(t, 4)[0];
    if (first?.tag === Tag.OID) {
      notes.push(`${what}: AlgorithmIdentifier instead of OBJECT IDENTIFIER`);
      return readOid(first);
    }
  }
  throw malformed(what, `expected OBJECT IDENTIFIER, got ${tagName(t)}`);
}

/**
 * BIT STRING content without the unused-bits byte; an OCTET STRING is accepted in its place (swap seen in V1 files).
 */
export function bitString(t: Tlv | undefined, what: string, notes: string[]): Uint8Array {
  if (t?.tag === Tag.BIT_STRING) {
    if (t.value.length === 0) throw malformed(what, 'empty BIT STRING');
    // Every SES BIT STRING holds whole octets; unused bits would change the value, so they are refused.
    if (t.value[0] !== 0) throw malformed(what, `BIT STRING with ${t.value[0]} unused bits`);
    return t.value.subarray(1);
  }
  if (t?.tag === Tag.OCTET_STRING) {
    notes.push(`${what}: OCTET STRING where BIT STRING is specified`);
    return t.value;
  }
  throw malformed(what, `expected BIT STRING, got ${tagName(t)}`);
}

/** OCTET STRING content; a BIT STRING is accepted in its place. */
export function octetString(t: Tlv | undefined, what: string, notes: string[]): Uint8Array {
  if (t?.tag === Tag.OCTET_STRING) return t.value;
  if (t?.tag === Tag.BIT_STRING && t.value.length > 0) {
    notes.push(`${what}: BIT STRING where OCTET STRING is specified`);
    return t.value.subarray(1);
  }
  throw malformed(what, `expected OCTET STRING, got ${tagName(t)}`);
}

/**
 * A certificate field: OCTET STRING wrapping the DER certificate (the standards), or the Certificate SEQUENCE itself.
 */
export function certificateField(t: Tlv | undefined, what: string, notes: string[]): Uint8Array {
  if (t?.tag === Tag.SEQUENCE) {
    notes.push(`${what}: bare Certificate instead of OCTET STRING`);
    return t.bytes;
  }
  return octetString(t, what, notes);
}

/** GeneralizedTime (V4/V5) or UTCTime (V1, and some V4 writers). */
export function time(t: Tlv | undefined, what: string, notes: string[], expected: 'generalized' | 'utc' | 'any' = 'any'): Date {
  if (t?.tag === Tag.GENERALIZED_TIME || t?.tag === Tag.UTC_TIME) {
    if (expected === 'generalized' && t.tag === Tag.UTC_TIME) notes.push(`${what}: UTCTime where GeneralizedTime is specified`);
    if (expected === 'utc' && t.tag === Tag.GENERALIZED_TIME) notes.push(`${what}: GeneralizedTime where UTCTime is specified`);
    try {
      return readTime(t);
    } catch (e) {
      throw malformed(what, e instanceof Error ? e.message : 'bad time');
    }
  }
  throw malformed(what, `expected a time, got ${tagName(t)}`);
}

/**
 * A time written as text (V1 timeInfo is a BIT STRING "可以是时间戳，也可以是UTCTIME时间"): ISO 8601, GeneralizedTime
 * or UTCTime digits. Returns undefined when the text is no time we recognise (e.g. a binary timestamp token).
 */
export function timeFromText(bytes: Uint8Array): Date | undefined {
  if (bytes.length === 0 || bytes.length > 64) return undefined;
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return undefined;
  const s = new TextDecoder().decode(bytes).trim();
  // UTCTime digits (YYMMDDHHMM[SS]Z) first: twelve digits and a Z are never a GeneralizedTime, which needs seconds here.
  let m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
  if (m) {
    const y = +m[1]!;
    return checked(Date.UTC(y < 50 ? 2000 + y : 1900 + y, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)));
  }
  m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z?$/.exec(s);
  if (m) return checked(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0));
  // ISO 8601 with a zone; without one, Chinese producers mean Beijing time. Some write "yyyy/M/d HH:mm:ss" (the
  // Windows short date) instead.
  m = /^(\d{4})(?:-(\d{2})-(\d{2})|\/(\d{1,2})\/(\d{1,2}))[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) {
    const month = Number(m[2] ?? m[4]);
    const day = Number(m[3] ?? m[5]);
    if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
    let t = Date.UTC(+m[1]!, month - 1, day, +m[6]!, +m[7]!, +(m[8] ?? 0), m[9] ? Number(m[9].slice(0, 3).padEnd(3, '0')) : 0);
    const zone = m[10] ?? '+08:00';
    if (zone !== 'Z') {
      const z = zone.replace(':', '');
      t -= (z[0] === '+' ? 1 : -1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    }
    return checked(t);
  }
  return undefined;
}

function checked(ms: number): Date | undefined {
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * ExtensionDatas ::= SEQUENCE OF ExtData; ExtData ::= SEQUENCE {extnID OID, critical BOOLEAN DEFAULT FALSE,
 * extnValue OCTET STRING}. The DEFAULT may be written explicitly (non-DER, seen in real files).
 */
export function extDatas(t: Tlv, what: string, notes: string[]): ExtData[] {
  let list = t;
  if (t.cls === 2 && t.constructed) {
    // [0]-tagged: EXPLICIT around the SEQUENCE OF, or IMPLICIT in its place.
    const inner = children(t, 2);
    list = inner.length === 1 && inner[0]!.tag === Tag.SEQUENCE && inner[0]!.value[0] === Tag.SEQUENCE ? inner[0]! : { ...t, tag: Tag.SEQUENCE };
    notes.push(`${what}: context-tagged`);
  }
  const out: ExtData[] = [];
  for (const e of sequence(list, what, SesLimits.maxExtDatas)) {
    const f = sequence(e, `${what}.ExtData`, 4);
    const extnID = oid(f[0], `${what}.extnID`, notes);
    let i = 1;
    let critical = false;
    if (f[i]?.tag === Tag.BOOLEAN) {
      critical = f[i]!.value.length === 1 && f[i]!.value[0] !== 0;
      if (!critical) notes.push(`${what}: explicit critical FALSE (DEFAULT written out)`);
      i++;
    }
    const extnValue = octetString(f[i], `${what}.extnValue`, notes);
    out.push({ extnID, critical, extnValue });
  }
  return out;
}
