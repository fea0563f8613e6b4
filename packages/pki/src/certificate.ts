/**
 * X.509 certificate parsing (RFC 5280) for SM2, RSA and ECDSA P-256 certificates. `der` and `tbs` are views of the
 * bytes received, so signatures are checked over what was signed, not over a re-encoding. No Node-only imports:
 * this module runs in a browser too.
 */
import { ErrorCode, YzError, Oid, digest, pemDecodeAll, pemEncode, toHex, fromBase64, type DigestAlgorithm } from '@yinzhang/gm/portable';
import { Tag, children, readOid, readSmallInteger, readTime, readTlv, type Tlv } from '@yinzhang/gm/der';
import {
  decodeAuthorityKeyIdentifier, decodeBasicConstraints, decodeCrlDistributionPoints, decodeExtKeyUsage, decodeIdentityString,
  decodeKeyUsage, decodeSubjectKeyIdentifier, parseExtensions,
  type AuthorityKeyIdentifier, type BasicConstraints, type Extension,
} from './extensions.js';
import { parseName, type Name } from './name.js';
import { PkiOid, type KeyUsageName } from './oids.js';

export type CertKeyAlgorithm = 'sm2' | 'rsa' | 'p256' | 'other';

export interface Certificate {
  der: Uint8Array;
  /** TBSCertificate exactly as received (what the issuer signed). */
  tbs: Uint8Array;
  /** 1, 2 or 3. */
  version: number;
  /** INTEGER content octets as received (may carry a leading 0x00). */
  serialNumber: Uint8Array;
  /** Lowercase hex without leading zero bytes, as `openssl x509 -serial` prints it (but lowercase). */
  serialHex: string;
  signatureAlgorithmOid: string;
  /** BIT STRING contents without the unused-bits byte. */
  signatureValue: Uint8Array;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  keyAlgorithm: CertKeyAlgorithm;
  extensions: Extension[];
  keyUsage?: KeyUsageName[];
  extKeyUsage?: string[];
  basicConstraints?: BasicConstraints;
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: AuthorityKeyIdentifier;
  crlDistributionPoints?: string[];
  /** GM/T 0015 IdentifyCode (personal ID number), when present. */
  identifyCode?: string;
  /** GM/T 0015 OrganizationCode (organisation code / USCC), when present. */
  organizationCode?: string;
  /** Extensions we recognise but could not decode (lenient parsing keeps the certificate usable). */
  extensionErrors: { oid: string; message: string }[];
}

/** Certificates larger than this are refused before parsing. */
export const MAX_CERTIFICATE_BYTES = 1024 * 1024;
/** Upper bound on certificates in one bundle. */
export const MAX_BUNDLE_CERTIFICATES = 10_000;

const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'];

export function keyAlgorithmOfSpki(spki: Tlv): CertKeyAlgorithm {
  const alg = children(spki, 2)[0];
  if (!alg || alg.tag !== Tag.SEQUENCE) throw new YzError(ErrorCode.DER_MALFORMED, 'SubjectPublicKeyInfo: no algorithm');
  const parts = children(alg, 2);
  const oid = readOid(parts[0] ?? alg);
  if (oid === Oid.rsaEncryption) return 'rsa';
  if (oid === Oid.sm2Curve) return 'sm2';
  if (oid === Oid.ecPublicKey && parts[1]?.tag === Tag.OID) {
    const curve = readOid(parts[1]);
    if (curve === Oid.sm2Curve) return 'sm2';
    if (curve === Oid.p256Curve) return 'p256';
  }
  return 'other';
}

function malformed(what: string, e?: unknown): YzError {
  if (e instanceof YzError && e.code === ErrorCode.LIMIT_EXCEEDED) return e;
  const why = e instanceof Error ? `: ${e.message}` : '';
  return new YzError(ErrorCode.CERT_MALFORMED, `malformed certificate (${what})${why}`, undefined, e ? { cause: e } : undefined);
}

/** Text (PEM, possibly after openssl's "Bag Attributes" lines) unless it starts like DER (a SEQUENCE). */
function decodeText(input: Uint8Array): string | undefined {
  if (input[0] === 0x30) return undefined;
  return new TextDecoder().decode(input);
}

/** DER of one certificate from PEM text, DER bytes or bare base64. */
function certificateDer(input: Uint8Array | string): Uint8Array {
  const text = typeof input === 'string' ? input : decodeText(input);
  if (text === undefined) return input as Uint8Array;
  if (!text.includes('-----BEGIN')) {
    const compact = text.replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return fromBase64(compact);
    throw malformed('neither PEM nor DER');
  }
  const blocks = pemDecodeAll(text, MAX_BUNDLE_CERTIFICATES).filter((b) => CERT_LABELS.includes(b.label));
  if (blocks.length === 0) throw new YzError(ErrorCode.PEM_MALFORMED, 'no CERTIFICATE PEM block found');
  return blocks[0]!.der;
}

/** Parses one certificate (PEM, DER or bare base64). Throws YzError CERT_MALFORMED for anything that is not one. */
export function parseCertificate(input: Uint8Array | string): Certificate {
  const der = certificateDer(input);
  if (der.length > MAX_CERTIFICATE_BYTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `certificate larger than ${MAX_CERTIFICATE_BYTES} bytes`);
  try {
    // A TRUSTED CERTIFICATE block carries openssl's trust data after the certificate: read the first TLV only.
    const top = readTlv(der, 0);
    if (top.tag !== Tag.SEQUENCE) throw malformed('not a SEQUENCE');
    return decodeCertificate(der.subarray(0, top.end), top);
  } catch (e) {
    if (e instanceof YzError && (e.code === ErrorCode.CERT_MALFORMED || e.code === ErrorCode.LIMIT_EXCEEDED)) throw e;
    throw malformed('structure', e);
  }
}

function decodeCertificate(der: Uint8Array, top: Tlv): Certificate {
  const [tbsT, algT, sigT] = children(top, 3);
  if (!tbsT || tbsT.tag !== Tag.SEQUENCE || !algT || !sigT || sigT.tag !== Tag.BIT_STRING) throw malformed('Certificate fields');
  // A signature is whole bytes: a non-zero unused-bits count would let a changed byte slip past the signature check.
  if (sigT.value.length < 2 || sigT.value[0] !== 0) throw malformed('signature BIT STRING with unused bits');
  const algOid = readOid(children(algT, 2)[0] ?? algT);
  const f = children(tbsT, 12);
  let i = 0;
  let version = 1;
  if (f[0]?.cls === 2 && f[0].num === 0) {
    version = readSmallInteger(children(f[0], 1)[0] ?? f[0]) + 1;
    i = 1;
  }
  const serialT = f[i++];
  const innerAlg = f[i++];
  const issuerT = f[i++];
  const validityT = f[i++];
  const subjectT = f[i++];
  const spkiT = f[i++];
  if (!serialT || serialT.tag !== Tag.INTEGER || serialT.value.length === 0) throw malformed('serialNumber');
  if (!innerAlg || innerAlg.tag !== Tag.SEQUENCE) throw malformed('signature');
  if (!issuerT || !validityT || !subjectT || !spkiT || spkiT.tag !== Tag.SEQUENCE) throw malformed('TBSCertificate fields');
  const [nb, na] = children(validityT, 2);
  if (!nb || !na) throw malformed('validity');
  let extensions: Extension[] = [];
  for (; i < f.length; i++) {
    const t = f[i]!;
    if (t.cls === 2 && t.num === 3) extensions = parseExtensions(children(t, 1)[0] ?? t);
  }
  let s = 0;
  while (s < serialT.value.length - 1 && serialT.value[s] === 0) s++;
  const cert: Certificate = {
    der,
    tbs: tbsT.bytes,
    version,
    serialNumber: serialT.value,
    serialHex: toHex(serialT.value.subarray(s)),
    signatureAlgorithmOid: algOid,
    signatureValue: sigT.value.subarray(1),
    issuer: parseName(issuerT),
    subject: parseName(subjectT),
    notBefore: readTime(nb),
    notAfter: readTime(na),
    spki: spkiT.bytes,
    keyAlgorithm: keyAlgorithmOfSpki(spkiT),
    extensions,
    extensionErrors: [],
  };
  for (const ext of extensions) decodeKnownExtension(cert, ext);
  return cert;
}

function decodeKnownExtension(cert: Certificate, ext: Extension): void {
  try {
    switch (ext.oid) {
      case PkiOid.keyUsage:
        cert.keyUsage = decodeKeyUsage(ext.value);
        break;
      case PkiOid.extKeyUsage:
        cert.extKeyUsage = decodeExtKeyUsage(ext.value);
        break;
      case PkiOid.basicConstraints:
        cert.basicConstraints = decodeBasicConstraints(ext.value);
        break;
      case PkiOid.subjectKeyIdentifier:
        cert.subjectKeyIdentifier = decodeSubjectKeyIdentifier(ext.value);
        break;
      case PkiOid.authorityKeyIdentifier:
        cert.authorityKeyIdentifier = decodeAuthorityKeyIdentifier(ext.value);
        break;
      case PkiOid.crlDistributionPoints:
        cert.crlDistributionPoints = decodeCrlDistributionPoints(ext.value);
        break;
      case PkiOid.gmIdentifyCode:
        cert.identifyCode = decodeIdentityString(ext.value);
        break;
      case PkiOid.gmOrganizationCode:
        cert.organizationCode = decodeIdentityString(ext.value);
        break;
    }
  } catch (e) {
    cert.extensionErrors.push({ oid: ext.oid, message: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * Every certificate in a PEM bundle (or a single DER certificate). Blocks with other labels are skipped; at most
 * `max` certificates (default 10 000) are read.
 */
export function parseCertificates(input: Uint8Array | string, max = MAX_BUNDLE_CERTIFICATES): Certificate[] {
  const text = typeof input === 'string' ? input : decodeText(input);
  if (text === undefined) return [parseCertificate(input)];
  const blocks = pemDecodeAll(text, Math.max(max, 1) * 4).filter((b) => CERT_LABELS.includes(b.label));
  if (blocks.length > max) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${max} certificates in the bundle`);
  if (blocks.length === 0) throw new YzError(ErrorCode.PEM_MALFORMED, 'no CERTIFICATE PEM block found');
  return blocks.map((b) => parseCertificate(b.der));
}

export function certificateToPem(cert: Certificate): string {
  return pemEncode('CERTIFICATE', cert.der);
}

/** Lowercase hex digest of the DER (sha256 by default, sm3 for GM contexts). */
export function certificateFingerprint(cert: Certificate, alg: DigestAlgorithm = 'sha256'): string {
  return toHex(digest(alg, cert.der));
}

export function isSelfIssued(cert: Certificate): boolean {
  return toHex(cert.issuer.der) === toHex(cert.subject.der);
}
