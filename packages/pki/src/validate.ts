/**
 * Certification path building and validation (RFC 5280 §6, simplified to what seals need): path from the target
 * through intermediates to a trust anchor, validity at a given time, signatures (SM2 with the default ID), basic
 * constraints and path length, key usage / EKU per purpose, unknown critical extensions, and CRLs (signature,
 * freshness, reason). The result lists every reason with a stable code, not a boolean. Browser-safe.
 */
import { isYzError, toHex } from '@yinzhang/gm/portable';
import type { Certificate } from './certificate.js';
import { verifyCrlSignature, type Crl, type RevocationReason } from './crl.js';
import { namesEqual } from './name.js';
import { PkiOid } from './oids.js';
import { verifyCertificateSignature } from './signature.js';

export type CertificatePurpose = 'any' | 'signer' | 'seal-maker' | 'tsa' | 'ca';

/** Stable reason codes (the first three match the verification report's sub-indications). */
export type ValidationCode =
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'REVOKED'
  | 'CERT_SIGNATURE_INVALID'
  | 'ALGORITHM_UNSUPPORTED'
  | 'CHAIN_LOOP'
  | 'CHAIN_TOO_LONG'
  | 'NOT_A_CA'
  | 'PATH_LENGTH_EXCEEDED'
  | 'ISSUER_KEY_USAGE'
  | 'KEY_USAGE'
  | 'EXT_KEY_USAGE'
  | 'UNKNOWN_CRITICAL_EXTENSION'
  | 'CRL_SIGNATURE_INVALID'
  | 'CRL_ISSUER_KEY_USAGE'
  | 'CRL_EXPIRED'
  | 'CRL_NOT_YET_VALID'
  | 'REVOCATION_UNKNOWN'
  | 'REVOKED_AFTER_VALIDATION_TIME'
  | 'TRUST_ANCHOR_CONSTRAINTS';

export interface ValidationReason {
  code: ValidationCode;
  message: string;
  /** The certificate the reason is about, when there is one. */
  certificate?: Certificate;
}

export interface ValidationResult {
  /** True when `reasons` is empty. Warnings do not make a certificate invalid. */
  valid: boolean;
  reasons: ValidationReason[];
  /** Non-fatal findings (REVOCATION_UNKNOWN without requireRevocation, REVOKED_AFTER_VALIDATION_TIME, TRUST_ANCHOR_CONSTRAINTS). */
  warnings: ValidationReason[];
  /** Target first, trust anchor last; the best path found (may be partial when no anchor was reached). */
  chain: Certificate[];
  /** Convenience for reports: did the chain reach an anchor with good signatures. */
  chainStatus: 'passed' | 'failed';
  /** Revocation of the target: 'good' only when a fresh, correctly signed CRL covered every certificate in the chain. */
  revocation: { status: 'good' | 'revoked' | 'unknown'; revokedAt?: Date; reason?: RevocationReason };
  validationTime: Date;
}

export interface ValidationOptions {
  cert: Certificate;
  intermediates?: Certificate[];
  trustAnchors: Certificate[];
  crls?: Crl[];
  /** Validation time, default now. */
  at?: Date;
  purpose?: CertificatePurpose;
  /** Make a missing CRL a reason instead of a warning. */
  requireRevocation?: boolean;
  /** Longest chain considered (certificates incl. anchor), default 10. */
  maxDepth?: number;
}

const KNOWN_EXTENSIONS = new Set<string>([
  PkiOid.keyUsage, PkiOid.extKeyUsage, PkiOid.basicConstraints, PkiOid.subjectKeyIdentifier, PkiOid.authorityKeyIdentifier,
  PkiOid.crlDistributionPoints, PkiOid.subjectAltName, PkiOid.certificatePolicies, PkiOid.gmIdentifyCode, PkiOid.gmOrganizationCode,
]);

const MAX_CANDIDATES_TRIED = 1000;
const fp = (c: Certificate): string => toHex(c.der);

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Could `issuer` have issued `cert`? Name match, and key identifiers agree when both are present. */
function mayHaveIssued(issuer: Certificate, cert: Certificate): boolean {
  if (!namesEqual(issuer.subject, cert.issuer)) return false;
  const aki = cert.authorityKeyIdentifier?.keyIdentifier;
  const ski = issuer.subjectKeyIdentifier;
  return !(aki && ski && !bytesEq(aki, ski));
}

interface PathSearch {
  path: Certificate[] | undefined;
  /** Longest partial path, for reporting. */
  partial: Certificate[];
  loop: boolean;
  tooLong: boolean;
  badSignature: { cert: Certificate; issuer: Certificate } | undefined;
  unsupported: { cert: Certificate; message: string } | undefined;
}

async function buildPath(target: Certificate, pool: Certificate[], anchors: Certificate[], maxDepth: number): Promise<PathSearch> {
  const s: PathSearch = { path: undefined, partial: [target], loop: false, tooLong: false, badSignature: undefined, unsupported: undefined };
  const anchorSet = new Set(anchors.map(fp));
  let tried = 0;
  const sigCache = new Map<string, boolean>();
  const signedBy = async (cert: Certificate, issuer: Certificate): Promise<boolean> => {
    const key = fp(cert) + ':' + fp(issuer);
    let ok = sigCache.get(key);
    if (ok === undefined) {
      try {
        ok = await verifyCertificateSignature(cert, issuer);
      } catch (e) {
        ok = false;
        if (isYzError(e)) s.unsupported ??= { cert, message: e.message };
        else throw e;
      }
      sigCache.set(key, ok);
    }
    return ok;
  };
  const walk = async (path: Certificate[]): Promise<Certificate[] | undefined> => {
    const cur = path[path.length - 1]!;
    if (path.length > s.partial.length) s.partial = [...path];
    if (anchorSet.has(fp(cur))) return path;
    if (path.length >= maxDepth) {
      s.tooLong = true;
      return undefined;
    }
    const candidates = [...anchors, ...pool].filter((c) => mayHaveIssued(c, cur));
    // Anchors first so that a direct path wins over a longer one through a cross-certificate.
    for (const cand of candidates) {
      if (++tried > MAX_CANDIDATES_TRIED) return undefined;
      if (path.some((p) => fp(p) === fp(cand))) {
        // A self-signed certificate naming itself is not a loop, just the end of a non-anchored path.
        if (!(fp(cand) === fp(cur) && path.length > 0)) s.loop = true;
        continue;
      }
      if (!(await signedBy(cur, cand))) {
        s.badSignature ??= { cert: cur, issuer: cand };
        continue;
      }
      const found = await walk([...path, cand]);
      if (found) return found;
    }
    return undefined;
  };
  s.path = await walk([target]);
  return s;
}

function purposeReasons(cert: Certificate, purpose: CertificatePurpose, out: ValidationReason[]): void {
  const ku = cert.keyUsage;
  const eku = cert.extKeyUsage;
  const needSigning = () => {
    if (ku && !ku.includes('digitalSignature') && !ku.includes('nonRepudiation')) {
      out.push({ code: 'KEY_USAGE', message: `key usage (${ku.join(', ')}) allows neither digitalSignature nor nonRepudiation`, certificate: cert });
    }
  };
  switch (purpose) {
    case 'any':
      return;
    case 'ca':
      if (!cert.basicConstraints?.ca) out.push({ code: 'NOT_A_CA', message: 'not a CA certificate (basicConstraints cA is not true)', certificate: cert });
      return;
    case 'signer':
    case 'seal-maker':
      needSigning();
      return;
    case 'tsa': {
      needSigning();
      const ext = cert.extensions.find((x) => x.oid === PkiOid.extKeyUsage);
      // RFC 3161 §2.3: exactly one EKU, id-kp-timeStamping, critical.
      if (!eku || eku.length !== 1 || eku[0] !== PkiOid.ekuTimeStamping || !ext?.critical) {
        out.push({ code: 'EXT_KEY_USAGE', message: 'a TSA certificate needs exactly the critical extended key usage timeStamping', certificate: cert });
      }
      return;
    }
  }
}

/** Validates `cert` for `purpose` at `at`. Never throws for bad certificates or CRLs; every problem is a reason. */
export async function validateCertificate(opts: ValidationOptions): Promise<ValidationResult> {
  const at = opts.at ?? new Date();
  const reasons: ValidationReason[] = [];
  const warnings: ValidationReason[] = [];
  const search = await buildPath(opts.cert, opts.intermediates ?? [], opts.trustAnchors, Math.max(1, opts.maxDepth ?? 10));
  const chain = search.path ?? search.partial;
  if (!search.path) {
    if (search.loop) reasons.push({ code: 'CHAIN_LOOP', message: 'the certificates given issue each other in a loop', certificate: opts.cert });
    if (search.tooLong) reasons.push({ code: 'CHAIN_TOO_LONG', message: `no trust anchor within ${opts.maxDepth ?? 10} certificates` });
    if (search.unsupported) reasons.push({ code: 'ALGORITHM_UNSUPPORTED', message: search.unsupported.message, certificate: search.unsupported.cert });
    if (search.badSignature) {
      reasons.push({
        code: 'CERT_SIGNATURE_INVALID',
        message: `signature of "${search.badSignature.cert.subject}" does not verify with the key of "${search.badSignature.issuer.subject}"`,
        certificate: search.badSignature.cert,
      });
    }
    reasons.push({ code: 'NO_CERTIFICATE_CHAIN_FOUND', message: 'no path from the certificate to a trust anchor', certificate: opts.cert });
  }

  // Validity, constraints and extensions along whatever path we have.
  chain.forEach((c, i) => {
    if (at < c.notBefore) reasons.push({ code: 'NOT_YET_VALID', message: `"${c.subject}" is not valid before ${c.notBefore.toISOString()}`, certificate: c });
    if (at > c.notAfter) reasons.push({ code: 'EXPIRED', message: `"${c.subject}" expired at ${c.notAfter.toISOString()}`, certificate: c });
    for (const x of c.extensions) {
      if (x.critical && !KNOWN_EXTENSIONS.has(x.oid)) reasons.push({ code: 'UNKNOWN_CRITICAL_EXTENSION', message: `unsupported critical extension ${x.oid}`, certificate: c });
    }
    if (i === 0) return;
    const isAnchor = search.path !== undefined && i === chain.length - 1;
    // RFC 5280 6.1.1 (d): a trust anchor is trusted by configuration, its own extensions are not path constraints.
    // Real test PKIs (the ofdrw ROOT) have roots without keyCertSign, so for anchors this is a warning only.
    const target = isAnchor ? warnings : reasons;
    if (!c.basicConstraints?.ca && !(isAnchor && c.version < 3)) {
      target.push({ code: isAnchor ? 'TRUST_ANCHOR_CONSTRAINTS' : 'NOT_A_CA', message: `"${c.subject}" issues certificates but is not a CA (basicConstraints)`, certificate: c });
    }
    if (c.keyUsage && !c.keyUsage.includes('keyCertSign')) {
      target.push({ code: isAnchor ? 'TRUST_ANCHOR_CONSTRAINTS' : 'ISSUER_KEY_USAGE', message: `"${c.subject}" key usage lacks keyCertSign`, certificate: c });
    }
    const pathLen = c.basicConstraints?.pathLen;
    if (pathLen !== undefined) {
      // Intermediate CA certificates below this one, not counting self-issued ones (RFC 5280 6.1.4 (l)).
      const below = chain.slice(1, i).filter((x) => !namesEqual(x.subject, x.issuer)).length;
      if (below > pathLen) reasons.push({ code: 'PATH_LENGTH_EXCEEDED', message: `"${c.subject}" allows ${pathLen} CA certificates below it, found ${below}`, certificate: c });
    }
  });
  purposeReasons(opts.cert, opts.purpose ?? 'any', reasons);

  const revocation = await checkRevocation(chain, search.path !== undefined, opts.crls ?? [], at, reasons, warnings, opts.requireRevocation ?? false);
  return {
    valid: reasons.length === 0,
    reasons,
    warnings,
    chain,
    chainStatus: search.path && !reasons.some((r) => r.code === 'CERT_SIGNATURE_INVALID') ? 'passed' : 'failed',
    revocation,
    validationTime: at,
  };
}

async function checkRevocation(
  chain: Certificate[], anchored: boolean, crls: Crl[], at: Date, reasons: ValidationReason[], warnings: ValidationReason[], required: boolean,
): Promise<ValidationResult['revocation']> {
  let status: 'good' | 'revoked' | 'unknown' = 'good';
  const result: ValidationResult['revocation'] = { status };
  // Every certificate but the anchor; a lone self-signed target has nothing to check against.
  const checked = chain.slice(0, -1);
  if (checked.length === 0) return { status: chain.length === 1 && anchored ? 'good' : 'unknown' };
  for (let i = 0; i < checked.length; i++) {
    const cert = checked[i]!;
    const issuer = chain[i + 1]!;
    let covered = false;
    for (const crl of crls) {
      if (!namesEqual(crl.issuer, issuer.subject)) continue;
      const aki = crl.authorityKeyIdentifier?.keyIdentifier;
      if (aki && issuer.subjectKeyIdentifier && !bytesEq(aki, issuer.subjectKeyIdentifier)) continue;
      const sigOk = await verifyCrlSignature(crl, issuer).catch(() => false);
      if (!sigOk) {
        reasons.push({ code: 'CRL_SIGNATURE_INVALID', message: `the CRL from "${crl.issuer}" is not signed by "${issuer.subject}"`, certificate: cert });
        continue;
      }
      if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) {
        reasons.push({ code: 'CRL_ISSUER_KEY_USAGE', message: `"${issuer.subject}" may not sign CRLs (key usage lacks cRLSign)`, certificate: issuer });
        continue;
      }
      if (crl.thisUpdate > at) {
        reasons.push({ code: 'CRL_NOT_YET_VALID', message: `the CRL from "${crl.issuer}" was issued after the validation time (${crl.thisUpdate.toISOString()})`, certificate: cert });
        continue;
      }
      if (crl.nextUpdate && crl.nextUpdate < at) {
        reasons.push({ code: 'CRL_EXPIRED', message: `the CRL from "${crl.issuer}" is stale (next update was ${crl.nextUpdate.toISOString()})`, certificate: cert });
        continue;
      }
      covered = true;
      const entry = crl.revoked.get(cert.serialHex);
      if (entry && entry.reason !== 'removeFromCRL') {
        if (entry.revocationDate <= at) {
          reasons.push({
            code: 'REVOKED',
            message: `"${cert.subject}" (serial ${cert.serialHex}) was revoked at ${entry.revocationDate.toISOString()}${entry.reason ? ` (${entry.reason})` : ''}`,
            certificate: cert,
          });
          if (i === 0) {
            status = 'revoked';
            result.revokedAt = entry.revocationDate;
            if (entry.reason) result.reason = entry.reason;
          } else status = 'revoked';
        } else {
          warnings.push({ code: 'REVOKED_AFTER_VALIDATION_TIME', message: `"${cert.subject}" was revoked later, at ${entry.revocationDate.toISOString()}`, certificate: cert });
          if (i === 0) {
            result.revokedAt = entry.revocationDate;
            if (entry.reason) result.reason = entry.reason;
          }
        }
      }
      break;
    }
    if (!covered) {
      if (status === 'good') status = 'unknown';
      (required ? reasons : warnings).push({ code: 'REVOCATION_UNKNOWN', message: `no usable CRL for "${cert.subject}" from "${issuer.subject}"`, certificate: cert });
    }
  }
  if (!anchored && status === 'good') status = 'unknown';
  result.status = status;
  return result;
}
