/**
 * X.509 v3 certificate issuing with the profiles the platform needs (root CA, issuing CA, seal signer, seal maker,
 * TSA). Signing goes through a gm Signer (SM2 with Z over ID 1234567812345678, RSA/ECDSA with SHA-256), so an
 * HSM-backed keystore can sign too. No Node-only imports (randomness from WebCrypto's getRandomValues).
 */
import { ErrorCode, YzError, digest, type SignatureAlgorithm } from '@yinzhang/gm/portable';
import type { PublicKey, Signer } from '@yinzhang/gm';
import {
  Tag, children, derBitString, derBoolean, derContext, derInteger, derNull, derOctetString, derOid, derPrintable, derSequence,
  derTime, derTlv, derUtf8, readSingle,
} from '@yinzhang/gm/der';
import { parseCertificate, type Certificate } from './certificate.js';
import { buildName, type Name } from './name.js';
import { KEY_USAGE_NAMES, PkiOid, type KeyUsageName } from './oids.js';

export type CertificateProfile = 'root' | 'ca' | 'signer' | 'seal-maker' | 'tsa';

export const CERTIFICATE_PROFILES: readonly CertificateProfile[] = ['root', 'ca', 'signer', 'seal-maker', 'tsa'];

export interface IssuerInfo {
  /** The issuer's certificate; absent for a self-signed root (subject then is the issuer). */
  certificate?: Certificate;
  signer: Signer;
}

export interface CertificateRequest {
  profile: CertificateProfile;
  subject: Name | string;
  /** The subject's public key (a gm key or SPKI DER). For 'root', the issuer's signer key is used when omitted. */
  publicKey?: PublicKey | Uint8Array;
  issuer: IssuerInfo;
  notBefore?: Date;
  notAfter?: Date;
  /** Validity in days when notAfter is not given (default: 3650 for CAs, 365 otherwise). */
  days?: number;
  /** 1–20 bytes; default 16 random bytes. */
  serialNumber?: Uint8Array;
  /** CRL distribution point URIs (not on roots). */
  crlDistributionPoints?: string[];
  /** Organisation code / USCC, written as the GM/T 0015 OrganizationCode extension (seal holders that are organisations). */
  organizationCode?: string;
  /** Personal ID number, written as the GM/T 0015 IdentifyCode extension (seal holders that are persons). */
  identifyCode?: string;
  /** pathLenConstraint for 'ca' (default 0) and 'root' (default none). */
  pathLength?: number;
  /** Extra extensions appended as given. */
  extraExtensions?: { oid: string; critical?: boolean; value: Uint8Array }[];
}

/** 16 random bytes as a positive INTEGER of exactly 16 octets (RFC 5280 4.1.2.2: at most 20, non-negative). */
export function randomSerial(): Uint8Array {
  const s = new Uint8Array(16);
  globalThis.crypto.getRandomValues(s);
  s[0] = (s[0]! & 0x7f) | 0x01;
  return s;
}

/** AlgorithmIdentifier for a signature algorithm: NULL parameters for RSA, absent for ECDSA and SM2 (as openssl writes). */
export function signatureAlgorithmIdentifier(alg: SignatureAlgorithm): Uint8Array {
  if (alg.keyType === 'rsa') {
    if (alg.name === 'RSA-PSS-SHA256') throw new YzError(ErrorCode.UNSUPPORTED, 'RSA-PSS certificates are not issued');
    return derSequence(derOid(alg.oid), derNull());
  }
  return derSequence(derOid(alg.oid));
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const bits = children(readSingle(spki), 2)[1];
  if (!bits || bits.tag !== Tag.BIT_STRING) throw new YzError(ErrorCode.KEY_MALFORMED, 'SubjectPublicKeyInfo without a key');
  return digest('sha1', bits.value.subarray(1));
}

export function encodeKeyUsage(usages: KeyUsageName[]): Uint8Array {
  let bits = 0;
  for (const u of usages) bits |= 1 << (15 - KEY_USAGE_NAMES.indexOf(u));
  const bytes = [(bits >> 8) & 0xff, bits & 0xff];
  let len = bytes[1] ? 2 : 1;
  if (!bytes[0] && !bytes[1]) len = 0;
  const used = bytes.slice(0, len);
  let unused = 0;
  const last = used[used.length - 1];
  if (last !== undefined) while (unused < 8 && !(last & (1 << unused))) unused++;
  return derBitString(Uint8Array.from(used), unused);
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? derSequence(derOid(oid), derBoolean(true), derOctetString(value)) : derSequence(derOid(oid), derOctetString(value));
}

function crlDpValue(uris: string[]): Uint8Array {
  return derSequence(...uris.map((u) => derSequence(derContext(0, derContext(0, derTlv(0x86, new TextEncoder().encode(u)))))));
}

function identityValue(s: string): Uint8Array {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s) ? derPrintable(s) : derUtf8(s);
}

interface ProfileRules {
  ca: boolean;
  keyUsage: KeyUsageName[];
  extKeyUsage?: { oids: string[]; critical: boolean };
  defaultDays: number;
}

const PROFILES: Record<CertificateProfile, ProfileRules> = {
  root: { ca: true, keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'], defaultDays: 3650 },
  ca: { ca: true, keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'], defaultDays: 3650 },
  // 签章人 (seal holder): GB/T 38540 signs with non-repudiation intent.
  signer: { ca: false, keyUsage: ['digitalSignature', 'nonRepudiation'], defaultDays: 365 },
  // 制章人 (seal maker): signs SESeal structures.
  'seal-maker': { ca: false, keyUsage: ['digitalSignature', 'nonRepudiation'], defaultDays: 1825 },
  // RFC 3161 2.3: the TSA certificate has exactly one EKU, id-kp-timeStamping, marked critical.
  tsa: { ca: false, keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: { oids: [PkiOid.ekuTimeStamping], critical: true }, defaultDays: 1825 },
};

/** SPKI DER of a gm public key (without gm's Node-side key module, so issuing also runs in a browser). */
export function publicKeySpkiOf(k: PublicKey): Uint8Array {
  return k.type === 'sm2-public' ? k.toSpkiDer() : k.spki;
}

function spkiOf(k: PublicKey | Uint8Array): Uint8Array {
  return k instanceof Uint8Array ? k : publicKeySpkiOf(k);
}

/** Builds and signs a certificate; returns it parsed (with `der`). */
export async function issueCertificate(req: CertificateRequest): Promise<Certificate> {
  const rules = PROFILES[req.profile];
  if (!rules) throw new YzError(ErrorCode.INVALID_ARGUMENT, `unknown certificate profile ${String(req.profile)}`);
  const subject = typeof req.subject === 'string' ? buildName(req.subject) : req.subject;
  const selfSigned = req.profile === 'root' || !req.issuer.certificate;
  if (req.profile !== 'root' && !req.issuer.certificate) throw new YzError(ErrorCode.INVALID_ARGUMENT, `a ${req.profile} certificate needs an issuer certificate`);
  if (req.profile === 'root' && req.issuer.certificate) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'a root certificate is self-signed: give no issuer certificate');
  const spki = spkiOf(req.publicKey ?? req.issuer.signer.publicKey);
  const issuerName = selfSigned ? subject.der : req.issuer.certificate!.subject.der;
  const issuerSpki = selfSigned ? spkiOf(req.issuer.signer.publicKey) : req.issuer.certificate!.spki;
  if (selfSigned && !bytesSame(issuerSpki, spki)) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'a self-signed certificate must certify the signing key');

  const notBefore = req.notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const days = req.days ?? rules.defaultDays;
  if (!(days > 0 && days <= 36500)) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'validity must be 1..36500 days');
  let notAfter = req.notAfter ?? new Date(notBefore.getTime() + days * 86_400_000);
  // A defaulted validity is cut to the issuer's: otherwise a CA issued a second after its parent (same default days)
  // would outlive it. An explicitly requested validity that does not fit is refused below.
  const defaulted = req.notAfter === undefined && req.days === undefined;
  if (defaulted && req.issuer.certificate && notAfter > req.issuer.certificate.notAfter) notAfter = req.issuer.certificate.notAfter;
  if (notAfter <= notBefore) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'notAfter must be after notBefore');
  if (req.issuer.certificate && notAfter > req.issuer.certificate.notAfter) {
    // A certificate outliving its issuer fails validation later; refuse rather than issue something useless.
    throw new YzError(ErrorCode.INVALID_ARGUMENT, `validity ends after the issuer's (${req.issuer.certificate.notAfter.toISOString()})`);
  }
  const serial = req.serialNumber ?? randomSerial();
  if (serial.length < 1 || serial.length > 20) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'serial number must be 1..20 bytes');

  const ski = keyIdentifier(spki);
  const exts: Uint8Array[] = [];
  const bc = rules.ca
    ? derSequence(derBoolean(true), ...(req.pathLength !== undefined ? [derInteger(req.pathLength)] : req.profile === 'ca' ? [derInteger(0)] : []))
    : derSequence();
  exts.push(extension(PkiOid.basicConstraints, true, bc));
  exts.push(extension(PkiOid.keyUsage, true, encodeKeyUsage(rules.keyUsage)));
  if (rules.extKeyUsage) exts.push(extension(PkiOid.extKeyUsage, rules.extKeyUsage.critical, derSequence(...rules.extKeyUsage.oids.map(derOid))));
  exts.push(extension(PkiOid.subjectKeyIdentifier, false, derOctetString(ski)));
  const aki = selfSigned ? ski : req.issuer.certificate!.subjectKeyIdentifier ?? keyIdentifier(issuerSpki);
  exts.push(extension(PkiOid.authorityKeyIdentifier, false, derSequence(derContext(0, aki, false))));
  if (req.crlDistributionPoints?.length && req.profile !== 'root') exts.push(extension(PkiOid.crlDistributionPoints, false, crlDpValue(req.crlDistributionPoints)));
  if (req.organizationCode) exts.push(extension(PkiOid.gmOrganizationCode, false, identityValue(req.organizationCode)));
  if (req.identifyCode) exts.push(extension(PkiOid.gmIdentifyCode, false, identityValue(req.identifyCode)));
  for (const x of req.extraExtensions ?? []) exts.push(extension(x.oid, x.critical ?? false, x.value));

  const algId = signatureAlgorithmIdentifier(req.issuer.signer.algorithm);
  const tbs = derSequence(
    derContext(0, derInteger(2)),
    derInteger(serial),
    algId,
    issuerName,
    derSequence(derTime(notBefore), derTime(notAfter)),
    subject.der,
    spki,
    derContext(3, derSequence(...exts)),
  );
  const signature = await req.issuer.signer.sign(tbs);
  return parseCertificate(derSequence(tbs, algId, derBitString(signature)));
}

function bytesSame(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

