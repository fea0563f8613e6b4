/**
 * X.501 distinguished names: decoding (keeping the DER received, for issuer/subject matching) and building from the
 * "CN=...,O=...,C=CN" strings the CLI takes. String form follows RFC 4514: most specific RDN first.
 */
import { ErrorCode, YzError, bytesEqual, toHex } from '@yinzhang/gm/portable';
import { Tag, children, derPrintable, derSequence, derSetOf, derOid, derUtf8, derIa5, readOid, readString, type Tlv } from '@yinzhang/gm/der';
import { PkiOid } from './oids.js';

export interface NameAttribute {
  oid: string;
  value: string;
}

export interface Name {
  /** The Name exactly as received (or as built). */
  der: Uint8Array;
  /** Attributes in DER order (least specific first, e.g. C, O, CN); multi-valued RDNs are flattened. */
  rdns: NameAttribute[];
  /** RFC 4514 form, e.g. "CN=x,O=y,C=CN". */
  toString(): string;
}

const SHORT: Record<string, string> = {
  [PkiOid.commonName]: 'CN',
  [PkiOid.surname]: 'SN',
  [PkiOid.serialNumber]: 'SERIALNUMBER',
  [PkiOid.country]: 'C',
  [PkiOid.locality]: 'L',
  [PkiOid.state]: 'ST',
  [PkiOid.street]: 'STREET',
  [PkiOid.organization]: 'O',
  [PkiOid.organizationalUnit]: 'OU',
  [PkiOid.title]: 'T',
  [PkiOid.givenName]: 'GN',
  [PkiOid.organizationIdentifier]: 'organizationIdentifier',
  [PkiOid.emailAddress]: 'E',
  [PkiOid.domainComponent]: 'DC',
  [PkiOid.userId]: 'UID',
};

const BY_SHORT: Record<string, string> = Object.fromEntries(
  Object.entries(SHORT).map(([oid, s]) => [s.toUpperCase(), oid]).concat([
    ['EMAILADDRESS', PkiOid.emailAddress],
    ['SURNAME', PkiOid.surname],
    ['GIVENNAME', PkiOid.givenName],
    ['SERIAL', PkiOid.serialNumber],
    ['S', PkiOid.state],
    ['ORGANIZATIONIDENTIFIER', PkiOid.organizationIdentifier],
  ]),
);

const MAX_ATTRIBUTES = 64;

function escapeValue(v: string): string {
  let s = v.replace(/[\\,+"<>;=]/g, (c) => '\\' + c);
  if (s.startsWith(' ') || s.startsWith('#')) s = '\\' + s;
  if (s.endsWith(' ') && s.length > 1) s = s.slice(0, -1) + '\\ ';
  return s;
}

function render(rdns: NameAttribute[]): string {
  return [...rdns]
    .reverse()
    .map((a) => `${SHORT[a.oid] ?? a.oid}=${escapeValue(a.value)}`)
    .join(',');
}

function makeName(der: Uint8Array, rdns: NameAttribute[]): Name {
  return { der, rdns, toString: () => render(rdns) };
}

/** Decodes a Name TLV (SEQUENCE OF SET OF AttributeTypeAndValue). Undecodable values show as #hex (RFC 4514). */
export function parseName(t: Tlv): Name {
  if (t.tag !== Tag.SEQUENCE) throw new YzError(ErrorCode.DER_MALFORMED, 'Name: expected SEQUENCE');
  const rdns: NameAttribute[] = [];
  for (const set of children(t, MAX_ATTRIBUTES)) {
    if (set.tag !== Tag.SET) throw new YzError(ErrorCode.DER_MALFORMED, 'Name: expected SET');
    for (const atv of children(set, MAX_ATTRIBUTES)) {
      const [type, value] = children(atv, 2);
      if (!type || !value) throw new YzError(ErrorCode.DER_MALFORMED, 'Name: incomplete attribute');
      let text: string;
      try {
        text = readString(value);
      } catch {
        text = '#' + toHex(value.bytes);
      }
      rdns.push({ oid: readOid(type), value: text });
      if (rdns.length > MAX_ATTRIBUTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${MAX_ATTRIBUTES} name attributes`);
    }
  }
  return makeName(t.bytes, rdns);
}

/** Byte equality first, then a case- and space-insensitive comparison of the attributes (RFC 5280 7.1, simplified). */
export function namesEqual(a: Name, b: Name): boolean {
  if (bytesEqual(a.der, b.der)) return true;
  if (a.rdns.length !== b.rdns.length) return false;
  const norm = (v: string) => v.trim().replace(/\s+/g, ' ').toLowerCase();
  return a.rdns.every((x, i) => x.oid === b.rdns[i]!.oid && norm(x.value) === norm(b.rdns[i]!.value));
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(v: string): string {
  return v.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, x: string) => (x.length === 2 ? String.fromCharCode(parseInt(x, 16)) : x));
}

/** Parses "CN=...,O=...,C=CN" (RFC 4514 order, also "/C=CN/O=..." as openssl prints) into attributes in DER order. */
export function parseNameString(s: string): NameAttribute[] {
  const text = s.trim();
  if (!text) throw new YzError(ErrorCode.NAME_MALFORMED, 'empty name');
  const slashForm = text.startsWith('/');
  const parts = slashForm ? splitUnescaped(text.slice(1), '/') : splitUnescaped(text, ',').reverse();
  if (parts.length > MAX_ATTRIBUTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${MAX_ATTRIBUTES} name attributes`);
  return parts.map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new YzError(ErrorCode.NAME_MALFORMED, `bad name component "${p.trim()}"`);
    const key = p.slice(0, eq).trim();
    const oid = /^\d+(\.\d+)+$/.test(key) ? key : BY_SHORT[key.toUpperCase()];
    if (!oid) throw new YzError(ErrorCode.NAME_MALFORMED, `unknown name attribute "${key}"`);
    const value = unescape(p.slice(eq + 1).trim());
    if (!value) throw new YzError(ErrorCode.NAME_MALFORMED, `empty value for ${key}`);
    if (oid === PkiOid.country && !/^[A-Z]{2}$/.test(value)) throw new YzError(ErrorCode.NAME_MALFORMED, `country must be two capital letters, got "${value}"`);
    return { oid, value };
  });
}

function encodeValue(oid: string, value: string): Uint8Array {
  if (oid === PkiOid.country || oid === PkiOid.serialNumber) {
    if (/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value)) return derPrintable(value);
  }
  if (oid === PkiOid.emailAddress || oid === PkiOid.domainComponent) return derIa5(value);
  return derUtf8(value);
}

/** Builds a Name from attributes in DER order (one attribute per RDN). */
export function buildName(attrs: NameAttribute[] | string): Name {
  const list = typeof attrs === 'string' ? parseNameString(attrs) : attrs;
  const der = derSequence(...list.map((a) => derSetOf(derSequence(derOid(a.oid), encodeValue(a.oid, a.value)))));
  return makeName(der, list.map((a) => ({ ...a })));
}

