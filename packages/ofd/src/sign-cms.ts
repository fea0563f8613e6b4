/**
 * Type="Sign" signatures (GB/T 33190 §18.2.3): a GB/T 35275 SignedData, detached, over the exact Signature.xml bytes,
 * with PKCS#9 signed attributes (contentType, messageDigest = SM3(Signature.xml), signingTime). Verification maps the
 * CMS result onto the report checks; the seal checks do not apply.
 */
import { bytesEqual } from '@yinzhang/gm/portable';
import type { Signer } from '@yinzhang/gm';
import {
  PkiOid, addCmsUnsignedAttribute, cmsSignatureValue, parseCertificate, signCms, validateCertificate, verifyCms, verifyTimestampToken,
  type Certificate,
} from '@yinzhang/pki/portable';
import { emptyChecks, message, type CheckName, type Checks, type Message, type SignerSummary } from '@yinzhang/report';

export interface CmsVerification {
  checks: Checks;
  messages: Message[];
  hints: Partial<Record<CheckName, string>>;
  signingTime: string | null;
  signingTimeSource: 'claimed' | 'timestamp';
  signer?: SignerSummary;
  signerCert?: Uint8Array;
}

const ALG_NAMES: Record<string, string> = {
  '1.2.156.10197.1.501': 'SM2-with-SM3',
  '1.2.156.10197.1.301.1': 'SM2-with-SM3',
  '1.2.840.113549.1.1.11': 'RSA-SHA256',
  '1.2.840.113549.1.1.10': 'RSA-PSS-SHA256',
  '1.2.840.10045.4.3.2': 'ECDSA-P256-SHA256',
};

function summary(c: Certificate, algOid: string): SignerSummary {
  return {
    subject: c.subject.toString(), issuer: c.issuer.toString(), serial: c.serialHex,
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), algorithm: ALG_NAMES[algOid] ?? algOid,
  };
}

export async function verifySignCms(
  signedData: Uint8Array,
  content: Uint8Array,
  opts: {
    trustAnchors?: readonly Uint8Array[];
    intermediates?: readonly Uint8Array[];
    at?: Date;
    verifyTimestamp?: (token: Uint8Array, signatureValue: Uint8Array) => Promise<Date | undefined>;
  },
): Promise<CmsVerification> {
  const r = await verifyCms(signedData, { detachedContent: content });
  const checks = emptyChecks();
  const messages: Message[] = [];
  const hints: Partial<Record<CheckName, string>> = {};
  checks.format = 'passed';
  checks.integrity = r.digestMatches === true ? 'passed' : r.digestMatches === false ? 'failed' : 'unknown';
  if (r.digestMatches === false) {
    const m = message('INTEGRITY_FAILED');
    messages.push({ code: m.code, zh: `${m.zh}（messageDigest 与 Signature.xml 的杂凑值不符）`, en: `${m.en} (messageDigest ≠ digest of Signature.xml)` });
  }
  checks.signatureValue = r.signatureValid ? 'passed' : 'failed';
  if (!r.signatureValid) messages.push(message('SIGNATURE_VALUE_INVALID', r.problems.join('; ') || undefined));

  let signingTime = r.signedAttributes?.signingTime;
  let source: 'claimed' | 'timestamp' = 'claimed';
  if (r.timestampToken) {
    const check = opts.verifyTimestamp ?? (async (token: Uint8Array, sv: Uint8Array) => {
      const ts = await verifyTimestampToken(token, { data: sv });
      return ts.valid ? ts.genTime : undefined;
    });
    const genTime = await check(r.timestampToken, r.signatureValue).catch(() => undefined);
    if (genTime) {
      checks.timestamp = 'passed';
      signingTime = genTime;
      source = 'timestamp';
    } else {
      checks.timestamp = 'failed';
      messages.push(message('TIMESTAMP_INVALID'));
    }
  }
  if (source === 'claimed') messages.push(message('SIGNING_TIME_CLAIMED'));
  const at = signingTime ?? opts.at ?? new Date();

  const cert = r.certificate;
  if (!cert) {
    checks.signatureValue = 'failed';
    checks.certificateValidity = 'unknown';
    messages.push(message('SIGNATURE_VALUE_INVALID', 'signer certificate not found in the SignedData'));
    return { checks, messages, hints, signingTime: signingTime?.toISOString() ?? null, signingTimeSource: source };
  }
  if (at < cert.notBefore) {
    checks.certificateValidity = 'failed';
    hints.certificateValidity = 'NOT_YET_VALID';
    messages.push(message('CERT_NOT_YET_VALID', `${at.toISOString()} < ${cert.notBefore.toISOString()}`));
  } else if (at > cert.notAfter) {
    checks.certificateValidity = 'failed';
    messages.push(message('CERT_EXPIRED', `${at.toISOString()} > ${cert.notAfter.toISOString()}`));
  } else checks.certificateValidity = 'passed';

  if (!opts.trustAnchors || opts.trustAnchors.length === 0) {
    checks.certificateChain = 'unknown';
    messages.push(message('NO_TRUST_ANCHOR'));
  } else {
    const anchors = opts.trustAnchors.map((d) => parseCertificate(d));
    const intermediates = [...r.certificates.filter((c) => !bytesEqual(c.der, cert.der)), ...(opts.intermediates ?? []).map((d) => parseCertificate(d))];
    const v = await validateCertificate({ cert, trustAnchors: anchors, intermediates, at });
    checks.certificateChain = v.chainStatus;
    if (v.chainStatus === 'failed') messages.push(message('CHAIN_INVALID', v.reasons.map((x) => x.message || x.code).join('; ')));
  }
  return {
    checks, messages, hints,
    signingTime: signingTime?.toISOString() ?? null,
    signingTimeSource: source,
    signer: summary(cert, r.signatureAlgorithmOid),
    signerCert: cert.der,
  };
}

export interface CmsSignOptions {
  signer: Signer;
  certificate: Uint8Array;
  chain: Uint8Array[];
  signingTime: Date;
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
}

/** GB/T 35275 detached SignedData over Signature.xml (RFC 5652 OIDs for non-SM2 keys). */
export async function signCmsForOfd(content: Uint8Array, o: CmsSignOptions): Promise<Uint8Array> {
  let der = await signCms({
    data: content,
    signer: o.signer,
    certificate: parseCertificate(o.certificate),
    certificates: o.chain.map((c) => parseCertificate(c)),
    detached: true,
    signedAttributes: { signingTime: o.signingTime },
    oidStyle: o.signer.algorithm.keyType === 'sm2' ? 'gbt35275' : 'rfc5652',
  });
  if (o.timestamp) der = addCmsUnsignedAttribute(der, PkiOid.timeStampToken, await o.timestamp(cmsSignatureValue(der)));
  return der;
}
