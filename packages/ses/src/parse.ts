/**
 * Lenient parsing of SESeal and SES_Signature, V1/V4/V5, over the bytes received (never re-encoded).
 *
 * Version detection (ofdrw MANIFEST): the element counts decide the shape — SESeal with 2 elements is GM/T 0031-2014
 * (V1), with 4 elements GB/T 38540-2020 (V4), with 5 (the `[0]` timestamp) GM/T 0031-2025 (V5); a 4-element seal whose
 * header says version 5 is V5 too. SES_Signature with 2 elements is V1, with 4 or 5 V4 (V5 when TBS_Sign says 5).
 * The parser is driven by the fixed schema, so nesting depth is bounded by it (no recursion on input).
 */
import { ErrorCode, YzError, concatBytes } from '@yinzhang/gm/portable';
import { Tag, derTlv, readTlv, children, type Tlv } from '@yinzhang/gm/portable';
import type { SignatureStructure } from '@yinzhang/report';
import { SesLimits } from './limits.js';
import {
  bitString, certificateField, extDatas, integer, malformed, octetString, oid, sequence, text, time,
} from './fields.js';
import { readTimeInfo } from './time-info.js';
import type { CertListEntry, ParsedSeal, ParsedSesSignature, SealPicture, SealProperty, SesHeader, SesVersion } from './model.js';

export const STRUCTURE: Record<SesVersion, SignatureStructure> = {
  1: 'GM/T 0031-2014',
  4: 'GB/T 38540-2020',
  5: 'GM/T 0031-2025',
};

/**
 * The one TLV spanning the input. Zero bytes after it are tolerated (PDF /Contents and some stores pad with zeros) and
 * noted; any other trailing byte is an error.
 */
function top(der: Uint8Array, max: number, what: string, notes: string[]): Tlv {
  if (!(der instanceof Uint8Array)) throw new YzError(ErrorCode.INVALID_ARGUMENT, `${what}: expected bytes`);
  if (der.length > max) {
    throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${what} of ${der.length} bytes exceeds the limit of ${max}`, { size: der.length, max });
  }
  const t = readTlv(der, 0);
  if (t.end !== der.length) {
    for (let i = t.end; i < der.length; i++) {
      if (der[i] !== 0) throw new YzError(ErrorCode.DER_MALFORMED, `trailing ${der.length - t.end} bytes after the ${what}`);
    }
    notes.push(`${der.length - t.end} zero bytes of padding after the ${what}`);
  }
  return t;
}

/** Parses a DER SESeal (an `.esl` file, or the eseal inside a SES_Signature). */
export function parseSeal(der: Uint8Array): ParsedSeal {
  const notes: string[] = [];
  const seal = parseSealTlv(top(der, SesLimits.maxSealBytes, 'SESeal', notes));
  seal.notes.push(...notes);
  return seal;
}

function parseHeader(t: Tlv | undefined, notes: string[]): SesHeader {
  const f = sequence(t, 'SES_Header', 4);
  const id = text(f[0], 'SES_Header.ID');
  if (id !== 'ES') notes.push(`SES_Header.ID is "${id}", not "ES"`);
  return { id, version: integer(f[1], 'SES_Header.version'), vid: text(f[2], 'SES_Header.Vid') };
}

function parseCertList(t: Tlv | undefined, certListType: number, notes: string[]): CertListEntry[] {
  if (!t || !t.constructed) throw malformed('SES_ESPropertyInfo.certList', 'expected a SEQUENCE OF');
  const items = t.tag === Tag.SEQUENCE ? sequence(t, 'certList', SesLimits.maxCertListEntries) : children(t, SesLimits.maxCertListEntries);
  if (t.tag !== Tag.SEQUENCE) notes.push('certList: tagged instead of SEQUENCE OF');
  return items.map((e): CertListEntry => {
    if (e.tag === Tag.OCTET_STRING && e.value[0] === Tag.SEQUENCE && certListType !== 2) return { kind: 'certificate', der: e.value };
    if (e.tag === Tag.SEQUENCE) {
      const f = children(e, 4);
      // CertDigestObj ::= SEQUENCE {type PrintableString, value OCTET STRING}
      if (f.length === 2 && !f[0]!.constructed && f[1]!.tag === Tag.OCTET_STRING) {
        return { kind: 'digest', type: text(f[0], 'CertDigestObj.type'), value: f[1]!.value };
      }
      // A bare Certificate (SEQUENCE {tbs, alg, BIT STRING}) in a SEQUENCE OF Certificate.
      if (f.length === 3 && f[0]!.tag === Tag.SEQUENCE && f[2]!.tag === Tag.BIT_STRING) {
        notes.push('certList: bare Certificate instead of OCTET STRING');
        return { kind: 'certificate', der: e.bytes };
      }
    }
    return { kind: 'other', bytes: e.bytes };
  });
}

function parseProperty(t: Tlv | undefined, v1: boolean, notes: string[]): SealProperty {
  const f = sequence(t, 'SES_ESPropertyInfo', 10);
  // V4/V5 have certListType between name and certList (7 elements); V1 has not (6).
  const hasListType = f.length >= 7 && f[2]?.tag === Tag.INTEGER;
  if (!hasListType && f.length !== 6) throw malformed('SES_ESPropertyInfo', `${f.length} elements`);
  if (v1 && hasListType) notes.push('V1 seal with a certListType field');
  if (!v1 && !hasListType) notes.push('V4 seal without a certListType field');
  const o = hasListType ? 1 : 0;
  const certListType = hasListType ? integer(f[2], 'SES_ESPropertyInfo.certListType') : 1;
  const expected = v1 ? 'utc' : 'generalized';
  return {
    type: integer(f[0], 'SES_ESPropertyInfo.type'),
    name: text(f[1], 'SES_ESPropertyInfo.name'),
    certListType,
    certList: parseCertList(f[2 + o], certListType, notes),
    createDate: time(f[3 + o], 'SES_ESPropertyInfo.createDate', notes, expected),
    validStart: time(f[4 + o], 'SES_ESPropertyInfo.validStart', notes, expected),
    validEnd: time(f[5 + o], 'SES_ESPropertyInfo.validEnd', notes, expected),
  };
}

function parsePicture(t: Tlv | undefined, notes: string[]): SealPicture {
  const f = sequence(t, 'SES_ESPictrueInfo', 6);
  return {
    type: text(f[0], 'SES_ESPictrueInfo.type'),
    data: octetString(f[1], 'SES_ESPictrueInfo.data', notes),
    widthMm: integer(f[2], 'SES_ESPictrueInfo.width'),
    heightMm: integer(f[3], 'SES_ESPictrueInfo.height'),
  };
}

/** The V5 `[0]` timestamp: EXPLICIT around a BIT/OCTET STRING, or IMPLICIT (primitive [0]). */
function taggedTimestamp(t: Tlv, what: string, notes: string[]): Uint8Array {
  if (t.constructed) {
    const inner = children(t, 2);
    if (inner.length !== 1) throw malformed(what, '[0] must hold one value');
    const v = inner[0]!;
    if (v.tag === Tag.BIT_STRING) return bitString(v, what, notes);
    if (v.tag === Tag.OCTET_STRING) return v.value;
    if (v.tag === Tag.SEQUENCE) {
      notes.push(`${what}: [0] holds the token itself`);
      return v.bytes;
    }
    throw malformed(what, `unexpected tag 0x${v.tag.toString(16)} inside [0]`);
  }
  notes.push(`${what}: IMPLICIT [0]`);
  // IMPLICIT BIT STRING keeps the unused-bits byte.
  return t.value.length > 0 && t.value[0] === 0 ? t.value.subarray(1) : t.value;
}

function parseSealTlv(sealTlv: Tlv): ParsedSeal {
  const notes: string[] = [];
  const parts = sequence(sealTlv, 'SESeal', 8);
  let shape: 1 | 4;
  if (parts.length === 2 && parts[0]?.tag === Tag.SEQUENCE && parts[1]?.tag === Tag.SEQUENCE) shape = 1;
  else if ((parts.length === 4 || parts.length === 5) && parts[0]?.tag === Tag.SEQUENCE) shape = 4;
  else {
    throw new YzError(ErrorCode.SES_VERSION_UNSUPPORTED, `SESeal with ${parts.length} elements matches no known version (V1: 2, V4: 4, V5: 4 or 5)`, {
      elements: parts.length,
    });
  }
  const infoTlv = parts[0]!;
  const info = sequence(infoTlv, 'SES_SealInfo', 8);
  if (info.length < 4) throw malformed('SES_SealInfo', `${info.length} elements`);
  const header = parseHeader(info[0], notes);
  let version: SesVersion;
  if (shape === 1) {
    version = 1;
    if (header.version !== 1) notes.push(`V1 structure with header version ${header.version}`);
  } else {
    version = parts.length === 5 || header.version === 5 ? 5 : 4;
    if (header.version !== version) notes.push(`${parts.length}-element SESeal with header version ${header.version}`);
  }
  const esID = text(info[1], 'SES_SealInfo.esID');
  const property = parseProperty(info[2], version === 1, notes);
  const picture = parsePicture(info[3], notes);
  const ext = info[4] ? extDatas(info[4], 'SES_SealInfo.extDatas', notes) : [];

  let makerCertTlv: Tlv | undefined;
  let algTlv: Tlv | undefined;
  let sigTlv: Tlv | undefined;
  let makerSigned: Uint8Array;
  let timeStamp: Uint8Array | undefined;
  if (shape === 1) {
    const signInfo = sequence(parts[1], 'SES_SignInfo', 4);
    [makerCertTlv, algTlv, sigTlv] = signInfo;
    // GM/T 0031-2014: the maker signs SEQUENCE{sealInfo, cert, signatureAlgorithm}, built here around the received TLVs.
    makerSigned = derTlv(Tag.SEQUENCE, concatBytes(infoTlv.bytes, makerCertTlv?.bytes ?? new Uint8Array(0), algTlv?.bytes ?? new Uint8Array(0)));
  } else {
    [, makerCertTlv, algTlv, sigTlv] = parts;
    makerSigned = infoTlv.bytes;
    if (parts[4]) {
      if (parts[4].cls !== 2 || parts[4].num !== 0) notes.push('SESeal 5th element is not [0]');
      timeStamp = taggedTimestamp(parts[4], 'SESeal.timeStamp', notes);
    }
  }
  const makerCert = certificateField(makerCertTlv, shape === 1 ? 'SES_SignInfo.cert' : 'SESeal.cert', notes);
  const signAlgOid = oid(algTlv, 'SESeal.signAlgID', notes);
  const signedValue = bitString(sigTlv, 'SESeal.signedValue', notes);
  return {
    version,
    structure: STRUCTURE[version],
    header,
    esID,
    property,
    picture,
    extDatas: ext,
    makerCert,
    signAlgOid,
    signedValue,
    ...(timeStamp ? { timeStamp } : {}),
    raw: { seal: sealTlv.bytes, sealInfo: infoTlv.bytes, makerSigned },
    notes,
  };
}

/** Parses a DER SES_Signature (an OFD SignedValue.dat, or the /Contents of a PDF seal signature). */
export function parseSesSignature(der: Uint8Array): ParsedSesSignature {
  const notes: string[] = [];
  const sig = parseSesSignatureTlv(top(der, SesLimits.maxSignatureBytes, 'SES_Signature', notes));
  sig.notes.push(...notes);
  return sig;
}

function parseSesSignatureTlv(sigTlv: Tlv): ParsedSesSignature {
  const notes: string[] = [];
  const parts = sequence(sigTlv, 'SES_Signature', 8);
  const v1 = parts.length === 2;
  if (!v1 && parts.length !== 4 && parts.length !== 5) {
    throw new YzError(ErrorCode.SES_VERSION_UNSUPPORTED, `SES_Signature with ${parts.length} elements matches no known version (V1: 2, V4: 4 or 5)`, {
      elements: parts.length,
    });
  }
  const tbsTlv = parts[0];
  const tbs = sequence(tbsTlv, 'TBS_Sign', 10);
  const tbsVersion = integer(tbs[0], 'TBS_Sign.version');
  if (!tbs[1]) throw malformed('TBS_Sign.eseal', 'missing');
  const eseal = parseSealTlv(tbs[1]);
  const timeInfo = readTimeInfo(tbs[2], v1, notes);
  const dataHash = bitString(tbs[3], 'TBS_Sign.dataHash', notes);
  const propertyInfo = text(tbs[4], 'TBS_Sign.propertyInfo');

  let certTlv: Tlv | undefined;
  let algTlv: Tlv | undefined;
  let valueTlv: Tlv | undefined;
  let extTlv: Tlv | undefined;
  let timeStamp: Uint8Array | undefined;
  if (v1) {
    certTlv = tbs[5];
    algTlv = tbs[6];
    extTlv = tbs[7];
    valueTlv = parts[1];
  } else {
    extTlv = tbs[5];
    [, certTlv, algTlv, valueTlv] = parts;
    if (parts[4]) {
      const t = parts[4];
      if (t.cls === 2 && t.num === 0) timeStamp = taggedTimestamp(t, 'SES_Signature.timeStamp', notes);
      else {
        notes.push('SES_Signature.timeStamp not [0]-tagged');
        timeStamp = t.tag === Tag.SEQUENCE ? t.bytes : bitString(t, 'SES_Signature.timeStamp', notes);
      }
    }
  }
  const version: SesVersion = v1 ? 1 : tbsVersion === 5 || eseal.version === 5 ? 5 : 4;
  if (!v1 && tbsVersion !== 4 && tbsVersion !== 5) notes.push(`V4 structure with TBS_Sign version ${tbsVersion}`);
  if (v1 && tbsVersion !== 1) notes.push(`V1 structure with TBS_Sign version ${tbsVersion}`);
  const ext = extTlv ? extDatas(extTlv, 'TBS_Sign.extDatas', notes) : [];
  const signerCert = certificateField(certTlv, v1 ? 'TBS_Sign.cert' : 'SES_Signature.cert', notes);
  const signAlgOid = oid(algTlv, v1 ? 'TBS_Sign.signatureAlgorithm' : 'SES_Signature.signatureAlgID', notes);
  const signature = bitString(valueTlv, 'SES_Signature.signature', notes);
  return {
    version,
    structure: STRUCTURE[version],
    tbs: { version: tbsVersion, eseal, timeInfo: timeInfo.time, timeInfoRaw: timeInfo.raw, timeInfoForm: timeInfo.form, dataHash, propertyInfo, extDatas: ext },
    signerCert,
    signAlgOid,
    signature,
    ...(timeStamp ? { timeStamp } : {}),
    raw: { sesSignature: sigTlv.bytes, tbs: tbsTlv!.bytes, eseal: tbs[1].bytes },
    notes: [...eseal.notes.map((n) => `eseal: ${n}`), ...notes],
  };
}

/** True when the bytes start like a DER SEQUENCE whose first element is itself a SEQUENCE (cheap sniffing, no parse). */
export function looksLikeSes(der: Uint8Array): boolean {
  try {
    const t = readTlv(der, 0);
    return t.tag === Tag.SEQUENCE && t.value[0] === Tag.SEQUENCE;
  } catch {
    return false;
  }
}
