/**
 * The parsed shape of electronic seals (SESeal) and seal signatures (SES_Signature) in their three versions:
 * - V1: GM/T 0031-2014 — SESeal {esealInfo, signInfo{cert, signatureAlgorithm, signData}},
 *   TBS_Sign {version, eseal, timeInfo BIT STRING, dataHash, propertyInfo, cert, signatureAlgorithm}.
 * - V4: GB/T 38540-2020 — SESeal {eSealInfo, cert, signAlgID, signedValue},
 *   SES_Signature {toSign, cert, signatureAlgID, signature, timeStamp [0] OPTIONAL}.
 * - V5: GM/T 0031-2025 — the V4 shape with header version 5 and an optional `[0]` timestamp on SESeal.
 *
 * Every byte field is a view into the input that was parsed (never a re-encoding), so signatures can be checked over
 * exactly the bytes received. Do not mutate them.
 */
import type { SignatureStructure } from '@yinzhang/report';

export type SesVersion = 1 | 4 | 5;

export interface SesHeader {
  /** "ES" per the standards. */
  id: string;
  /** The version number written in the header (normally 1, 4 or 5). */
  version: number;
  /** Vendor identifier. */
  vid: string;
}

export interface ExtData {
  extnID: string;
  critical: boolean;
  extnValue: Uint8Array;
}

/** One entry of the seal's certList: a signer certificate (certListType 1), a digest of one (type 2), or something else. */
export type CertListEntry =
  | { kind: 'certificate'; der: Uint8Array }
  | { kind: 'digest'; type: string; value: Uint8Array }
  | { kind: 'other'; bytes: Uint8Array };

export interface SealProperty {
  /** Seal type (e.g. 1 official seal, 2 contract seal, 3 personal …; vendor-specific numbering). */
  type: number;
  name: string;
  /** 1 = certificates, 2 = certificate digests. V1 has no such field: 1. */
  certListType: number;
  certList: CertListEntry[];
  createDate: Date;
  validStart: Date;
  validEnd: Date;
}

export interface SealPicture {
  /** "PNG", "SVG", "OFD", "JPG", "GIF" … as written (not normalised). */
  type: string;
  data: Uint8Array;
  widthMm: number;
  heightMm: number;
}

export interface ParsedSeal {
  version: SesVersion;
  structure: SignatureStructure;
  header: SesHeader;
  esID: string;
  property: SealProperty;
  picture: SealPicture;
  extDatas: ExtData[];
  /** The seal maker's certificate (DER X.509) as received. */
  makerCert: Uint8Array;
  signAlgOid: string;
  /** The maker's signature value (DER ECDSA-Sig-Value or raw r‖s), BIT STRING padding byte removed. */
  signedValue: Uint8Array;
  /** V5 only: the optional `[0]` timestamp content. */
  timeStamp?: Uint8Array;
  raw: {
    /** The whole SESeal TLV. */
    seal: Uint8Array;
    /** The SES_SealInfo TLV. */
    sealInfo: Uint8Array;
    /**
     * The bytes the maker signed: SES_SealInfo as received (V4/V5) or SEQUENCE{sealInfo, cert, alg} built around the
     * received TLVs (V1).
     */
    makerSigned: Uint8Array;
  };
  /** Deviations from the standard that were tolerated (for diagnostics; empty for a conforming seal). */
  notes: string[];
}

export interface TbsSign {
  /** The version number written in TBS_Sign. */
  version: number;
  eseal: ParsedSeal;
  /** Signing time claimed by the signer; undefined if the V1 timeInfo could not be read as a time. */
  timeInfo: Date | undefined;
  /** The timeInfo field's value as received (V1: BIT STRING content, may be text or a timestamp token). */
  timeInfoRaw: Uint8Array;
  /**
   * The form timeInfo was read from: a time type, text, a DER time inside the BIT STRING, an RFC 3161 token's genTime
   * (not verified), or none.
   */
  timeInfoForm: 'time-type' | 'text' | 'der-time' | 'timestamp-token' | 'unreadable';
  dataHash: Uint8Array;
  /** In OFD: the absolute path of Signature.xml. */
  propertyInfo: string;
  extDatas: ExtData[];
}

export interface ParsedSesSignature {
  version: SesVersion;
  structure: SignatureStructure;
  tbs: TbsSign;
  /** The signer's certificate (DER X.509) as received. */
  signerCert: Uint8Array;
  signAlgOid: string;
  /** The signature value over raw.tbs (DER or raw r‖s). */
  signature: Uint8Array;
  /** RFC 3161 TimeStampToken over the signature value, if present. */
  timeStamp?: Uint8Array;
  raw: {
    /** The whole SES_Signature TLV. */
    sesSignature: Uint8Array;
    /** The TBS_Sign TLV: what the signature covers. */
    tbs: Uint8Array;
    /** The SESeal TLV inside TBS_Sign (what an OFD's Seal.esl should equal). */
    eseal: Uint8Array;
  };
  notes: string[];
}
