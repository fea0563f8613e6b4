/**
 * The verification report of /shared/docs/verification-report.md: one shape for OFD, PDF and bare seals, modelled on
 * ETSI EN 319 102-1 (indication + sub-indication + per-check results) plus the seal checks of GB/T 38540 §6.3/§7.3.
 */
export type CheckStatus = 'passed' | 'failed' | 'unknown' | 'not-applicable';
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';
export type ReportIndication = Indication | 'NO_SIGNATURE';
export type ReportFormat = 'ofd' | 'pdf' | 'seal';
export type SignatureKind = 'seal' | 'sign';
export type SignatureStructure = 'GM/T 0031-2014' | 'GB/T 38540-2020' | 'GM/T 0031-2025' | 'GB/T 35275' | 'CMS' | 'PAdES';

export const CHECK_NAMES = [
  'format',
  'integrity',
  'signatureValue',
  'sealSignature',
  'sealValidity',
  'signerInSeal',
  'certificateValidity',
  'certificateChain',
  'revocation',
  'sealStatus',
  'timestamp',
  'coverage',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];
export type Checks = Record<CheckName, CheckStatus>;

export interface Message {
  code: string;
  zh: string;
  en: string;
}

export interface SealSummary {
  version: number;
  esID: string;
  vid: string;
  name: string;
  type: number;
  validStart: string;
  validEnd: string;
  picture?: { type: string; widthMm: number; heightMm: number };
}

export interface SignerSummary {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  algorithm: string;
}

export interface SignatureReport {
  id: string;
  kind: SignatureKind;
  structure: SignatureStructure;
  indication: Indication;
  subIndication: string | null;
  checks: Checks;
  signingTime: string | null;
  signingTimeSource: 'claimed' | 'timestamp';
  seal?: SealSummary;
  signer?: SignerSummary;
  /** When the signer certificate was revoked (if it was), for the revocation-vs-signing-time rule. */
  revokedAt?: string;
  /** The seal's registry status (platform): current status and since when. */
  sealRegistryStatus?: { status: string; since?: string };
  messages: Message[];
}

export interface FileInfo {
  name: string;
  size: number;
  sm3: string;
  sha256: string;
}

export interface VerificationReport {
  format: ReportFormat;
  file: FileInfo;
  validationTime: string;
  indication: ReportIndication;
  signatures: SignatureReport[];
}
