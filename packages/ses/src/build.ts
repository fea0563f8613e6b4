/**
 * Building seals (SESeal) and seal signatures (SES_Signature) in DER: V4 (GB/T 38540-2020), V5 (GM/T 0031-2025) and
 * V1 (GM/T 0031-2014). Signing goes through a gm `Signer`, so an HSM-backed keystore can make the signatures.
 */
import {
  ErrorCode, YzError, bytesEqual, digest, publicKeySpki, type Signer,
} from '@yinzhang/gm';
import {
  derBitString, derBoolean, derContext, derGeneralizedTime, derIa5, derInteger, derOctetString, derOid, derPrintable,
  derSequence, derUtf8, derUtcTime,
} from '@yinzhang/gm/der';
import { parseCertificate } from '@yinzhang/pki';
import { SesLimits } from './limits.js';
import type { ExtData, SesVersion } from './model.js';
import { parseSeal } from './parse.js';
import { signerInCertList } from './verify.js';

export interface BuildSealOptions {
  /** 4 (default), 5 or 1. */
  version?: SesVersion;
  /** Vendor ID written in the header. */
  vid: string;
  /** Seal code (ASCII; e.g. the 13-digit code of the public-security filing, or an internal ID). */
  esID: string;
  type: number;
  name: string;
  /** 1 = certificates (default), 2 = certificate digests (V4/V5 only). */
  certListType?: 1 | 2;
  /** DER X.509 of every certificate allowed to sign with this seal. */
  signerCertificates: Uint8Array[];
  /** Digest for certListType 2 (default sm3); written as the CertDigestObj type. */
  certDigestAlgorithm?: 'sm3' | 'sha256';
  /** Default: now. */
  createDate?: Date;
  validStart: Date;
  validEnd: Date;
  picture: { type: string; data: Uint8Array; widthMm: number; heightMm: number };
  extDatas?: ExtData[];
  maker: { signer: Signer; certificate: Uint8Array };
  /** V5 only: the optional `[0]` timestamp, written as given (a token obtained beforehand, or test data). */
  timeStamp?: Uint8Array;
  /**
   * V5 only: fetches an RFC 3161 TimeStampToken over the maker's signature value (signedValue) for the `[0]` field,
   * as buildSesSignature's `timestamp` does for the signature value.
   */
  timestamp?: (signedValue: Uint8Array) => Promise<Uint8Array>;
}

const ASCII = /^[\x20-\x7e]*$/;

function bad(msg: string): never {
  throw new YzError(ErrorCode.INVALID_ARGUMENT, msg);
}

function ia5(s: string, what: string): Uint8Array {
  if (!ASCII.test(s)) bad(`${what} must be printable ASCII (IA5String)`);
  return derIa5(s);
}

function checkDate(d: Date, what: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) bad(`${what} is not a valid date`);
}

/** V4 writes GeneralizedTime; V1 UTCTime (which ends in 2049). */
function sealTime(d: Date, v1: boolean, what: string): Uint8Array {
  checkDate(d, what);
  if (v1 && (d.getUTCFullYear() < 1950 || d.getUTCFullYear() > 2049)) bad(`${what} is outside the UTCTime range of a V1 seal`);
  return v1 ? derUtcTime(d) : derGeneralizedTime(d);
}

export function encodeExtDatas(list: readonly ExtData[]): Uint8Array {
  if (list.length > SesLimits.maxExtDatas) bad(`more than ${SesLimits.maxExtDatas} extDatas`);
  // critical BOOLEAN DEFAULT FALSE: DER omits the default.
  return derSequence(...list.map((e) => derSequence(derOid(e.extnID), ...(e.critical ? [derBoolean(true)] : []), derOctetString(e.extnValue))));
}

function checkKeyMatchesCertificate(signer: Signer, certificate: Uint8Array, who: string): void {
  const cert = parseCertificate(certificate);
  if (!bytesEqual(cert.spki, publicKeySpki(signer.publicKey))) bad(`the ${who} key does not match the ${who} certificate`);
}

/** Builds and signs a SESeal; returns its DER (the content of an `.esl` file). */
export async function buildSeal(o: BuildSealOptions): Promise<Uint8Array> {
  const version = o.version ?? 4;
  if (version !== 1 && version !== 4 && version !== 5) throw new YzError(ErrorCode.SES_VERSION_UNSUPPORTED, `seal version ${String(version)}`);
  const v1 = version === 1;
  const certListType = o.certListType ?? 1;
  if (certListType !== 1 && certListType !== 2) bad('certListType must be 1 or 2');
  if (v1 && certListType === 2) bad('a V1 seal can only list certificates (certListType 1)');
  if ((o.timeStamp || o.timestamp) && version !== 5) bad('only a V5 seal carries a timestamp');
  if (o.timeStamp && o.timestamp) bad('give either a timestamp token or a timestamp callback, not both');
  if (!Number.isInteger(o.type) || o.type < 0) bad('seal type must be a non-negative integer');
  if (!o.name) bad('seal name is empty');
  if (o.signerCertificates.length === 0) bad('at least one signer certificate is needed');
  if (o.signerCertificates.length > SesLimits.maxCertListEntries) bad(`more than ${SesLimits.maxCertListEntries} signer certificates`);
  for (const c of o.signerCertificates) parseCertificate(c);
  const { widthMm, heightMm } = o.picture;
  if (!Number.isInteger(widthMm) || !Number.isInteger(heightMm) || widthMm <= 0 || heightMm <= 0 || widthMm > 10_000 || heightMm > 10_000) {
    bad('picture width and height must be positive whole millimetres');
  }
  if (o.picture.data.length === 0) bad('picture data is empty');
  if (o.picture.data.length > SesLimits.maxSealBytes - 64 * 1024) bad(`picture larger than ${SesLimits.maxSealBytes - 64 * 1024} bytes`);
  const createDate = o.createDate ?? new Date();
  checkDate(o.validStart, 'validStart');
  checkDate(o.validEnd, 'validEnd');
  if (o.validEnd.getTime() <= o.validStart.getTime()) bad('validEnd must be after validStart');
  checkKeyMatchesCertificate(o.maker.signer, o.maker.certificate, 'maker');

  const header = derSequence(ia5('ES', 'ID'), derInteger(version), ia5(o.vid, 'vid'));
  const digestAlg = o.certDigestAlgorithm ?? 'sm3';
  const certList =
    certListType === 1
      ? derSequence(...o.signerCertificates.map((c) => derOctetString(c)))
      : derSequence(...o.signerCertificates.map((c) => derSequence(derPrintable(digestAlg), derOctetString(digest(digestAlg, c)))));
  const property = derSequence(
    derInteger(o.type),
    derUtf8(o.name),
    ...(v1 ? [] : [derInteger(certListType)]),
    certList,
    sealTime(createDate, v1, 'createDate'),
    sealTime(o.validStart, v1, 'validStart'),
    sealTime(o.validEnd, v1, 'validEnd'),
  );
  const picture = derSequence(ia5(o.picture.type, 'picture type'), derOctetString(o.picture.data), derInteger(widthMm), derInteger(heightMm));
  const ext = o.extDatas && o.extDatas.length > 0 ? [encodeExtDatas(o.extDatas)] : [];
  const sealInfo = derSequence(header, ia5(o.esID, 'esID'), property, picture, ...ext);

  const alg = derOid(o.maker.signer.algorithm.oid);
  const cert = derOctetString(o.maker.certificate);
  let seal: Uint8Array;
  if (v1) {
    // GM/T 0031-2014: the maker signs SEQUENCE{sealInfo, cert, signatureAlgorithm}.
    const signature = await o.maker.signer.sign(derSequence(sealInfo, cert, alg));
    seal = derSequence(sealInfo, derSequence(cert, alg, derBitString(signature)));
  } else {
    const signature = await o.maker.signer.sign(sealInfo);
    const token = o.timestamp ? await o.timestamp(signature) : o.timeStamp;
    if (token && token.length === 0) bad('the timestamp token is empty');
    // GM/T 0031-2025: timeStamp [0] EXPLICIT BIT STRING (the form ofdrw writes and the parser reads first).
    const ts = token ? [derContext(0, derBitString(token))] : [];
    seal = derSequence(sealInfo, cert, alg, derBitString(signature), ...ts);
  }
  if (seal.length > SesLimits.maxSealBytes) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `seal of ${seal.length} bytes exceeds ${SesLimits.maxSealBytes}`);
  return seal;
}

export interface BuildSesSignatureOptions {
  /** DER SESeal (used byte for byte). */
  seal: Uint8Array;
  /** The caller's hash of the protected data (OFD: SM3 of Signature.xml). */
  dataHash: Uint8Array;
  /** OFD: the absolute path of Signature.xml. */
  propertyInfo: string;
  signer: Signer;
  /** DER X.509 of the signer; must be in the seal's certList. */
  certificate: Uint8Array;
  /** Claimed signing time; default now. */
  timeInfo?: Date;
  /** 4 (V4/V5 seals, default) or 1 (V1 seals); default follows the seal. */
  version?: 1 | 4 | 5;
  extDatas?: ExtData[];
  /** Fetches an RFC 3161 TimeStampToken over the signature value (V4/V5 only). */
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
  /** Sign even if the seal is outside its validity at timeInfo (for tests of the verifier). */
  allowInvalidSeal?: boolean;
}

/** Builds and signs a SES_Signature over a caller-supplied data hash; returns its DER. */
export async function buildSesSignature(o: BuildSesSignatureOptions): Promise<Uint8Array> {
  const seal = parseSeal(o.seal);
  const version = o.version ?? (seal.version === 1 ? 1 : seal.version);
  if (version !== 1 && version !== 4 && version !== 5) throw new YzError(ErrorCode.SES_VERSION_UNSUPPORTED, `signature version ${String(version)}`);
  if ((version === 1) !== (seal.version === 1)) bad(`a V${version} seal signature cannot carry a V${seal.version} seal`);
  if (o.dataHash.length === 0 || o.dataHash.length > 1024) bad('dataHash must be 1..1024 bytes');
  if (version === 1 && o.timestamp) bad('a V1 seal signature has no timestamp field');
  const timeInfo = o.timeInfo ?? new Date();
  checkDate(timeInfo, 'timeInfo');
  checkKeyMatchesCertificate(o.signer, o.certificate, 'signer');
  if (!signerInCertList(seal.property.certList, o.certificate)) bad("the signer certificate is not in the seal's certList");
  const { validStart, validEnd } = seal.property;
  if (!o.allowInvalidSeal && (timeInfo.getTime() < validStart.getTime() || timeInfo.getTime() > validEnd.getTime())) {
    bad(`the seal is not valid at ${timeInfo.toISOString()} (${validStart.toISOString()}..${validEnd.toISOString()})`);
  }
  const alg = derOid(o.signer.algorithm.oid);
  const cert = derOctetString(o.certificate);
  const ext = o.extDatas && o.extDatas.length > 0 ? [encodeExtDatas(o.extDatas)] : [];
  if (version === 1) {
    // GM/T 0031-2014: timeInfo is a BIT STRING; we write UTCTime text, which every reader we know accepts.
    const timeText = derUtcTime(timeInfo).subarray(2);
    const tbs = derSequence(derInteger(1), o.seal, derBitString(timeText), derBitString(o.dataHash), ia5(o.propertyInfo, 'propertyInfo'), cert, alg, ...ext);
    return derSequence(tbs, derBitString(await o.signer.sign(tbs)));
  }
  const tbs = derSequence(derInteger(version), o.seal, derGeneralizedTime(timeInfo), derBitString(o.dataHash), ia5(o.propertyInfo, 'propertyInfo'), ...ext);
  const signature = await o.signer.sign(tbs);
  const parts = [tbs, cert, alg, derBitString(signature)];
  if (o.timestamp) {
    const token = await o.timestamp(signature);
    parts.push(derContext(0, derBitString(token)));
  }
  return derSequence(...parts);
}

