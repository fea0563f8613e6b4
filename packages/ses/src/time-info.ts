/**
 * The signing time claimed in TBS_Sign.timeInfo. GB/T 38540 writes a GeneralizedTime; GM/T 0031-2014 a BIT STRING that
 * "可以是时间戳，也可以是UTCTIME时间", which producers fill in several ways:
 * - text: UTCTime or GeneralizedTime digits, ISO 8601, or "yyyy-MM-dd HH:mm:ss" in Beijing time (ofdrw SESV1Container);
 * - the DER encoding of a UTCTime or GeneralizedTime (BouncyCastle `new DERBitString(ASN1UTCTime)`, older ofdrw);
 * - an RFC 3161 TimeStampToken (or a whole TimeStampResp): its genTime is read here, as a claim — what its imprint
 *   covers is not fixed by GM/T 0031-2014, so it is not verified;
 * some wrap the content in an OCTET STRING, some write the time type itself. C producers may pad with NUL bytes.
 */
import { Tag, children, readOid, readTlv, type Tlv } from '@yinzhang/gm/portable';
import { parseTstInfo } from '@yinzhang/pki/portable';
import { bitString, time, timeFromText } from './fields.js';

const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_CT_TST_INFO = '1.2.840.113549.1.9.16.1.4';

export interface TimeInfo {
  /** Undefined when no variant we know yields a time. */
  time: Date | undefined;
  /** The field's value as received (BIT STRING content without the unused-bits byte). */
  raw: Uint8Array;
  /** Which encoding the time was read from. */
  form: 'time-type' | 'text' | 'der-time' | 'timestamp-token' | 'unreadable';
}

const WHAT = 'TBS_Sign.timeInfo';

/** The one TLV at the start of `bytes`, when only zero bytes follow it; undefined when the bytes are no such TLV. */
function soleTlv(bytes: Uint8Array): Tlv | undefined {
  try {
    const t = readTlv(bytes, 0);
    for (let i = t.end; i < bytes.length; i++) if (bytes[i] !== 0) return undefined;
    return t;
  } catch {
    return undefined;
  }
}

/** genTime of a TimeStampToken (ContentInfo{signedData, SignedData{…, encapContentInfo{id-ct-TSTInfo, TSTInfo}}}). */
function tokenGenTime(top: Tlv): Date | undefined {
  try {
    let contentInfo = children(top, 4);
    // TimeStampResp ::= SEQUENCE {status PKIStatusInfo, timeStampToken OPTIONAL}: unwrap to the token.
    if (contentInfo[0]?.tag === Tag.SEQUENCE && contentInfo[1]?.tag === Tag.SEQUENCE) contentInfo = children(contentInfo[1], 4);
    if (contentInfo[0]?.tag !== Tag.OID || readOid(contentInfo[0]) !== ID_SIGNED_DATA) return undefined;
    const explicit = contentInfo[1];
    if (!explicit || explicit.cls !== 2 || explicit.num !== 0) return undefined;
    const signedData = children(explicit, 2)[0];
    if (signedData?.tag !== Tag.SEQUENCE) return undefined;
    const encap = children(signedData, 8)[2];
    if (encap?.tag !== Tag.SEQUENCE) return undefined;
    const [type, content] = children(encap, 3);
    if (type?.tag !== Tag.OID || readOid(type) !== ID_CT_TST_INFO || !content || content.cls !== 2) return undefined;
    const octets = children(content, 2)[0];
    if (octets?.tag !== Tag.OCTET_STRING) return undefined;
    return parseTstInfo(octets.value).genTime;
  } catch {
    return undefined;
  }
}

/** The content of a BIT/OCTET STRING timeInfo, read by whichever form it takes. */
function fromContent(raw: Uint8Array, notes: string[]): Pick<TimeInfo, 'time' | 'form'> {
  // Text never starts with the time tags; '0' (0x30) is also SEQUENCE, so a SEQUENCE that is no token falls to text.
  const first = raw[0];
  const tlv = first === Tag.UTC_TIME || first === Tag.GENERALIZED_TIME || first === Tag.SEQUENCE ? soleTlv(raw) : undefined;
  if (tlv && (tlv.tag === Tag.UTC_TIME || tlv.tag === Tag.GENERALIZED_TIME)) {
    const inner: string[] = [];
    try {
      const t = time(tlv, WHAT, inner);
      notes.push(`${WHAT}: the DER encoding of a ${tlv.tag === Tag.UTC_TIME ? 'UTCTime' : 'GeneralizedTime'} inside the string`);
      return { time: t, form: 'der-time' };
    } catch {
      return { time: undefined, form: 'unreadable' };
    }
  }
  if (tlv && tlv.tag === Tag.SEQUENCE) {
    const t = tokenGenTime(tlv);
    if (t) {
      notes.push(`${WHAT}: an RFC 3161 timestamp token; its genTime is taken as the claimed signing time, not verified`);
      return { time: t, form: 'timestamp-token' };
    }
  }
  // Text, possibly NUL-terminated or padded by a fixed-size buffer.
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  if (end !== raw.length) notes.push(`${WHAT}: text padded with ${raw.length - end} NUL bytes`);
  const t = timeFromText(raw.subarray(0, end));
  return t ? { time: t, form: 'text' } : { time: undefined, form: 'unreadable' };
}

/**
 * Reads TBS_Sign.timeInfo in every form accepted: a time type, or a BIT STRING (OCTET STRING tolerated) holding text, a
 * DER time or a timestamp token. Throws SES_MALFORMED only when the field is none of these types; unreadable content
 * gives `time: undefined` (the verifier then reports SIGNING_TIME_UNREADABLE).
 */
export function readTimeInfo(t: Tlv | undefined, v1: boolean, notes: string[]): TimeInfo {
  if (t?.tag === Tag.GENERALIZED_TIME || t?.tag === Tag.UTC_TIME) {
    if (v1) notes.push('V1 timeInfo written as a time type instead of BIT STRING');
    return { time: time(t, WHAT, notes, v1 ? 'any' : 'generalized'), raw: t.value, form: 'time-type' };
  }
  const raw = bitString(t, WHAT, notes);
  const r = fromContent(raw, notes);
  if (!r.time) notes.push(`${WHAT} holds no readable time`);
  return { ...r, raw };
}
