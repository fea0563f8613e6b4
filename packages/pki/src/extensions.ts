/**
 * Decoders for the X.509 extensions that path validation and seals look at. Real-world certificates are not always
 * DER (explicit `critical FALSE`, odd string types), so decoding is lenient where it does not change the meaning.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { Tag, children, readOid, readSmallInteger, readString, readTlv, readSingle, type Tlv } from '@yinzhang/gm/der';
import { KEY_USAGE_NAMES, PkiOid, type KeyUsageName } from './oids.js';

export interface Extension {
  oid: string;
  critical: boolean;
  /** extnValue contents (the DER inside the OCTET STRING), a view into the certificate. */
  value: Uint8Array;
}

export interface BasicConstraints {
  ca: boolean;
  pathLen?: number;
}

export interface AuthorityKeyIdentifier {
  keyIdentifier?: Uint8Array;
  /** authorityCertSerialNumber, if present. */
  serialNumber?: Uint8Array;
}

const MAX_EXTENSIONS = 64;

/** Extensions ::= SEQUENCE OF Extension; duplicates are an error (RFC 5280 4.2). */
export function parseExtensions(t: Tlv): Extension[] {
  const out: Extension[] = [];
  for (const e of children(t, MAX_EXTENSIONS)) {
    const parts = children(e, 3);
    const oid = readOid(parts[0] ?? fail('extension without OID'));
    let critical = false;
    let valueTlv = parts[1];
    if (valueTlv?.tag === Tag.BOOLEAN) {
      critical = valueTlv.value.length === 1 && valueTlv.value[0] !== 0;
      valueTlv = parts[2];
    }
    if (!valueTlv || valueTlv.tag !== Tag.OCTET_STRING) fail(`extension ${oid}: expected OCTET STRING`);
    if (out.some((x) => x.oid === oid)) fail(`duplicate extension ${oid}`);
    out.push({ oid, critical, value: valueTlv!.value });
  }
  return out;
}

function fail(msg: string): never {
  throw new YzError(ErrorCode.DER_MALFORMED, msg);
}

export function decodeKeyUsage(value: Uint8Array): KeyUsageName[] {
  const t = readSingle(value);
  if (t.tag !== Tag.BIT_STRING || t.value.length < 1) fail('keyUsage: expected BIT STRING');
  const bits = t.value.subarray(1);
  const out: KeyUsageName[] = [];
  KEY_USAGE_NAMES.forEach((name, i) => {
    const byte = bits[i >> 3];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.push(name);
  });
  return out;
}

export function decodeExtKeyUsage(value: Uint8Array): string[] {
  return children(readSingle(value), 64).map(readOid);
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  const parts = children(readSingle(value), 2);
  let ca = false;
  let i = 0;
  if (parts[0]?.tag === Tag.BOOLEAN) {
    ca = parts[0].value[0] !== 0;
    i = 1;
  }
  const len = parts[i];
  return len?.tag === Tag.INTEGER ? { ca, pathLen: readSmallInteger(len) } : { ca };
}

export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  const t = readSingle(value);
  if (t.tag !== Tag.OCTET_STRING) fail('subjectKeyIdentifier: expected OCTET STRING');
  return t.value;
}

export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  const out: AuthorityKeyIdentifier = {};
  for (const c of children(readSingle(value), 3)) {
    if (c.cls === 2 && c.num === 0) out.keyIdentifier = c.value;
    else if (c.cls === 2 && c.num === 2) out.serialNumber = c.value;
  }
  return out;
}

/** URIs of fullName distribution points (the only form we issue or follow). */
export function decodeCrlDistributionPoints(value: Uint8Array): string[] {
  const uris: string[] = [];
  for (const dp of children(readSingle(value), 32)) {
    for (const field of children(dp, 3)) {
      if (!(field.cls === 2 && field.num === 0)) continue; // distributionPoint
      for (const dpName of children(field, 2)) {
        if (!(dpName.cls === 2 && dpName.num === 0)) continue; // fullName
        for (const gn of children(dpName, 16)) if (gn.cls === 2 && gn.num === 6) uris.push(new TextDecoder().decode(gn.value));
      }
    }
  }
  return uris;
}

/** GM/T 0015 identity extensions hold a PrintableString/UTF8String (some CAs wrap it in a SEQUENCE). */
export function decodeIdentityString(value: Uint8Array): string {
  let t = readTlv(value, 0);
  while (t.tag === Tag.SEQUENCE) {
    const c = children(t, 2)[0];
    if (!c) fail('identity extension: empty');
    t = c;
  }
  return readString(t);
}

export { PkiOid };
