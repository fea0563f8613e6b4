/**
 * Certificate revocation lists (RFC 5280 §5): parsing (browser-safe, bytes kept as received) and issuing v2 CRLs
 * with CRL number, authority key identifier and per-entry reason codes.
 */
import { ErrorCode, YzError, fromHex, pemDecodeAll, pemEncode, toHex } from '@yinzhang/gm/portable';
import type { Signer } from '@yinzhang/gm';
import {
  Tag, children, derBitString, derContext, derInteger, derOctetString, derOid, derSequence, derTime, derTlv, readOid,
  readSmallInteger, readTime, readTlv, readUnsignedInteger, type Tlv,
} from '@yinzhang/gm/der';
import type { Certificate } from './certificate.js';
import { decodeAuthorityKeyIdentifier, parseExtensions, type AuthorityKeyIdentifier, type Extension } from './extensions.js';
import { keyIdentifier, signatureAlgorithmIdentifier } from './issue.js';
import { parseName, type Name } from './name.js';
import { PkiOid } from './oids.js';
import { verifyIssuedObject } from './signature.js';

export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type RevocationReason = keyof typeof REVOCATION_REASONS;

const REASON_BY_CODE = new Map<number, RevocationReason>(Object.entries(REVOCATION_REASONS).map(([k, v]) => [v, k as RevocationReason]));

export interface RevokedEntry {
  /** Lowercase hex without leading zero bytes (same form as Certificate.serialHex). */
  serialHex: string;
  revocationDate: Date;
  reason?: RevocationReason;
}

export interface Crl {
  der: Uint8Array;
  /** TBSCertList as received. */
  tbs: Uint8Array;
  version: number;
  signatureAlgorithmOid: string;
  signatureValue: Uint8Array;
  issuer: Name;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  authorityKeyIdentifier?: AuthorityKeyIdentifier;
  extensions: Extension[];
  /** Entries by serialHex. */
  revoked: Map<string, RevokedEntry>;
}

export const MAX_CRL_BYTES = 64 * 1024 * 1024;
export const MAX_CRL_ENTRIES = 1_000_000;

function bad(msg: string, cause?: unknown): YzError {
  if (cause instanceof YzError && cause.code === ErrorCode.LIMIT_EXCEEDED) return cause;
  return new YzError(ErrorCode.CRL_MALFORMED, `malformed CRL: ${msg}${cause instanceof Error ? ` (${cause.message})` : ''}`, undefined, cause ? { cause } : undefined);
}

const normHex = (v: Uint8Array): string => {
  let s = 0;
  while (s < v.length - 1 && v[s] === 0) s++;
  return toHex(v.subarray(s));
};

/** Parses a CRL from PEM ("X509 CRL") or DER. */
export function parseCrl(input: Uint8Array | string): Crl {
  let der: Uint8Array;
  if (typeof input === 'string' || input[0] !== 0x30) {
    const b = pemDecodeAll(input, 100).find((x) => x.label === 'X509 CRL');
    if (!b) throw new YzError(ErrorCode.PEM_MALFORMED, 'no X509 CRL PEM block found');
    der = b.der;
  } else der = input;
  if (der.length > MAX_CRL_BYTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `CRL larger than ${MAX_CRL_BYTES} bytes`);
  try {
    const top = readTlv(der, 0);
    if (top.tag !== Tag.SEQUENCE || top.end !== der.length) throw bad('not a single SEQUENCE');
    return decodeCrl(der, top);
  } catch (e) {
    if (e instanceof YzError && (e.code === ErrorCode.CRL_MALFORMED || e.code === ErrorCode.LIMIT_EXCEEDED)) throw e;
    throw bad('structure', e);
  }
}

function decodeCrl(der: Uint8Array, top: Tlv): Crl {
  const [tbsT, algT, sigT] = children(top, 3);
  if (!tbsT || tbsT.tag !== Tag.SEQUENCE || !algT || !sigT || sigT.tag !== Tag.BIT_STRING) throw bad('CertificateList fields');
  // A signature is whole bytes: a non-zero unused-bits count would let a changed byte slip past the signature check.
  if (sigT.value.length < 2 || sigT.value[0] !== 0) throw bad('signature BIT STRING with unused bits');
  const f = children(tbsT, 8);
  let i = 0;
  let version = 1;
  if (f[0]?.tag === Tag.INTEGER) {
    version = readSmallInteger(f[0]) + 1;
    i++;
  }
  i++; // inner signature algorithm
  const issuerT = f[i++];
  if (!issuerT) throw bad('no issuer');
  const thisUpdate = readTime(f[i++] ?? issuerT);
  let nextUpdate: Date | undefined;
  if (f[i]?.tag === Tag.UTC_TIME || f[i]?.tag === Tag.GENERALIZED_TIME) nextUpdate = readTime(f[i++]!);
  const revoked = new Map<string, RevokedEntry>();
  if (f[i]?.tag === Tag.SEQUENCE) {
    for (const entry of children(f[i++]!, MAX_CRL_ENTRIES)) {
      const [serialT, dateT, extT] = children(entry, 3);
      if (!serialT || serialT.tag !== Tag.INTEGER || !dateT) throw bad('revoked entry');
      const e: RevokedEntry = { serialHex: normHex(serialT.value), revocationDate: readTime(dateT) };
      if (extT) {
        for (const x of parseExtensions(extT)) {
          if (x.oid === PkiOid.crlReason) {
            const r = readTlv(x.value, 0);
            const reason = REASON_BY_CODE.get(r.value[0] ?? 0);
            if (reason) e.reason = reason;
          }
        }
      }
      revoked.set(e.serialHex, e);
    }
  }
  let extensions: Extension[] = [];
  const extT = f[i];
  if (extT && extT.cls === 2 && extT.num === 0) extensions = parseExtensions(children(extT, 1)[0] ?? extT);
  const crl: Crl = {
    der,
    tbs: tbsT.bytes,
    version,
    signatureAlgorithmOid: readOid(children(algT, 2)[0] ?? algT),
    signatureValue: sigT.value.subarray(1),
    issuer: parseName(issuerT),
    thisUpdate,
    extensions,
    revoked,
  };
  if (nextUpdate) crl.nextUpdate = nextUpdate;
  for (const x of extensions) {
    if (x.oid === PkiOid.crlNumber) crl.crlNumber = readUnsignedInteger(readTlv(x.value, 0));
    if (x.oid === PkiOid.authorityKeyIdentifier) crl.authorityKeyIdentifier = decodeAuthorityKeyIdentifier(x.value);
  }
  return crl;
}

/** True when `issuer`'s key signed the CRL (SM2: default ID, or the empty ID OpenSSL 3.0 uses for CRLs). */
export function verifyCrlSignature(crl: Crl, issuer: Certificate): Promise<boolean> {
  return verifyIssuedObject(crl.signatureAlgorithmOid, issuer.spki, crl.tbs, crl.signatureValue);
}

export function crlToPem(crl: Crl | Uint8Array): string {
  return pemEncode('X509 CRL', crl instanceof Uint8Array ? crl : crl.der);
}

export interface CrlRequest {
  issuer: { certificate: Certificate; signer: Signer };
  thisUpdate?: Date;
  nextUpdate: Date;
  crlNumber: bigint | number;
  revoked: { serialHex: string; revocationDate: Date; reason?: RevocationReason }[];
}

/** Builds and signs a v2 CRL. */
export async function issueCrl(req: CrlRequest): Promise<Crl> {
  const thisUpdate = req.thisUpdate ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  if (req.nextUpdate <= thisUpdate) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'nextUpdate must be after thisUpdate');
  const algId = signatureAlgorithmIdentifier(req.issuer.signer.algorithm);
  const entries = req.revoked.map((r) => {
    const fields = [derInteger(fromHex(r.serialHex.length % 2 ? '0' + r.serialHex : r.serialHex)), derTime(r.revocationDate)];
    if (r.reason && r.reason !== 'unspecified') {
      const code = REVOCATION_REASONS[r.reason];
      if (code === undefined) throw new YzError(ErrorCode.INVALID_ARGUMENT, `unknown revocation reason ${r.reason}`);
      fields.push(derSequence(derSequence(derOid(PkiOid.crlReason), derOctetString(derTlv(0x0a, Uint8Array.of(code))))));
    }
    return derSequence(...fields);
  });
  const aki = req.issuer.certificate.subjectKeyIdentifier ?? keyIdentifier(req.issuer.certificate.spki);
  const exts = derSequence(
    derSequence(derOid(PkiOid.authorityKeyIdentifier), derOctetString(derSequence(derContext(0, aki, false)))),
    derSequence(derOid(PkiOid.crlNumber), derOctetString(derInteger(BigInt(req.crlNumber)))),
  );
  const tbs = derSequence(
    derInteger(1),
    algId,
    req.issuer.certificate.subject.der,
    derTime(thisUpdate),
    derTime(req.nextUpdate),
    ...(entries.length ? [derSequence(...entries)] : []),
    derContext(0, exts),
  );
  const signature = await req.issuer.signer.sign(tbs);
  return parseCrl(derSequence(tbs, algId, derBitString(signature)));
}
