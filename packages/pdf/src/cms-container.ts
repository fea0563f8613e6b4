/**
 * PAdES CMS containers (ETSI EN 319 142-1, SubFilter ETSI.CAdES.detached): a detached SignedData over the ByteRange
 * digest with signingCertificateV2 and without the signingTime attribute (the time is /M, or the signature timestamp
 * for B-T). RSA/ECDSA sign SHA-256; SM2 signs SM3 (GB/T 35275 algorithms in RFC 5652 structure).
 */
import { readTlv, children, digestAlgorithmByOid, type DigestAlgorithm } from '@yinzhang/gm/portable';
import type { Signer } from '@yinzhang/gm';
import {
  addCmsUnsignedAttribute, cmsSignatureValue, parseCertificate, parseCrl, signCms, validateCertificate, verifyCms,
  verifyTimestampToken, PkiOid, type Certificate, type Crl,
} from '@yinzhang/pki/portable';
import { looksLikeSes } from '@yinzhang/ses';
import { message, type Message, type SignerSummary } from '@yinzhang/report';
import type { SignatureContainer } from './sign.js';
import type { ContainerVerification, ContainerVerifier } from './verify.js';

export const CMS_FILTER = 'Adobe.PPKLite';
export const CMS_SUBFILTER = 'ETSI.CAdES.detached';

export interface CmsContainerOptions {
  signer: Signer;
  certificate: Uint8Array;
  chain?: Uint8Array[];
  /** Fetches an RFC 3161 token for a SHA-256 digest of the signature value (B-T). */
  timestamp?: (digest: Uint8Array) => Promise<Uint8Array>;
}

export function cmsContainer(o: CmsContainerOptions): SignatureContainer {
  const cert = parseCertificate(o.certificate);
  const chain = (o.chain ?? []).map((c) => parseCertificate(c));
  const alg: DigestAlgorithm = o.signer.algorithm.keyType === 'sm2' ? 'sm3' : 'sha256';
  return {
    filter: CMS_FILTER,
    subFilter: CMS_SUBFILTER,
    estimatedSize: o.certificate.length + chain.reduce((a, c) => a + c.der.length, 0) + 2048 + (o.timestamp ? 12_288 : 0),
    async produce(covered) {
      let cms = await signCms({
        digest: covered.digest(alg),
        signer: o.signer,
        certificate: cert,
        certificates: chain,
        detached: true,
        signedAttributes: { signingTime: false, signingCertificateV2: true },
      });
      if (o.timestamp) {
        const { digest } = await import('@yinzhang/gm/portable');
        const token = await o.timestamp(digest('sha256', cmsSignatureValue(cms)));
        cms = addCmsUnsignedAttribute(cms, PkiOid.timeStampToken, token);
      }
      return cms;
    },
  };
}

/** The SignedData's digestAlgorithms, read without verifying anything (so the ByteRange is hashed only once). */
function declaredDigests(der: Uint8Array): DigestAlgorithm[] {
  try {
    const ci = children(readTlv(der, 0));
    const sd = children(children(ci[1]!)[0]!);
    const algs = children(sd[1]!).map((a) => {
      const oid = children(a)[0]!;
      return digestAlgorithmByOid(oidText(oid.value));
    });
    return algs.length ? [...new Set(algs)] : ['sha256'];
  } catch {
    return ['sha256', 'sm3'];
  }
}

function oidText(v: Uint8Array): string {
  const out: number[] = [];
  let n = 0;
  v.forEach((b, i) => {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (out.length === 0 && i >= 0) out.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else out.push(n);
      n = 0;
    }
  });
  return out.join('.');
}

const ALG_NAMES: Record<string, string> = {
  '1.2.156.10197.1.501': 'SM2-with-SM3',
  '1.2.156.10197.1.301.1': 'SM2-with-SM3',
  '1.2.840.113549.1.1.1': 'RSA-SHA256',
  '1.2.840.113549.1.1.11': 'RSA-SHA256',
  '1.2.840.10045.4.3.2': 'ECDSA-P256-SHA256',
};

export function signerSummary(c: Certificate, sigAlgOid: string): SignerSummary {
  return {
    subject: c.subject.toString(),
    issuer: c.issuer.toString(),
    serial: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    algorithm: ALG_NAMES[sigAlgOid] ?? sigAlgOid,
  };
}

export function cmsVerifier(): ContainerVerifier {
  return {
    accepts: (der, subFilter) => !looksLikeSes(der) && (subFilter !== 'ETSI.RFC3161'),
    digestAlgorithms: declaredDigests,
    async verify(der, ctx): Promise<ContainerVerification> {
      const messages: Message[] = [];
      const checks: ContainerVerification['checks'] = {};
      const alg = declaredDigests(der)[0]!;
      const res = await verifyCms(der, { digest: ctx.digests.get(alg)! });
      checks.format = 'passed';
      checks.integrity = res.digestMatches === true ? 'passed' : 'failed';
      if (checks.integrity === 'failed') messages.push(message('INTEGRITY_FAILED', 'CMS messageDigest ≠ ByteRange digest'));
      const cert = res.certificate;
      checks.signatureValue = !cert ? 'unknown' : res.signatureValid ? 'passed' : 'failed';
      if (checks.signatureValue === 'failed') messages.push(message('SIGNATURE_VALUE_INVALID'));
      const attrs = res.signedAttributes;
      const subFilter = ctx.sigDict.get('SubFilter');
      const pades = subFilter !== undefined && (subFilter as { name?: string }).name === 'ETSI.CAdES.detached';
      if (pades && cert && !attrs?.signingCertificateV2) {
        checks.format = 'failed';
        messages.push(message('FORMAT_INVALID', 'PAdES signature without the signingCertificateV2 attribute'));
      }
      // Signing time: the timestamp proves it; otherwise it is claimed (signed attribute, else /M).
      let signingTime: Date | undefined = attrs?.signingTime;
      let source: 'claimed' | 'timestamp' = 'claimed';
      const anchors = ctx.trustAnchors.map((c) => parseCertificate(c));
      const dss = ctx.dss;
      const intermediates = [...res.certificates, ...dss.certs.map((c) => parseCertificate(c))];
      const crls: Crl[] = [];
      for (const c of [...ctx.crls, ...dss.crls]) {
        try {
          crls.push(parseCrl(c));
        } catch {
          messages.push(message('REVOCATION_UNKNOWN', 'an unreadable CRL was ignored'));
        }
      }
      checks.timestamp = 'not-applicable';
      if (res.timestampToken) {
        const ts = await verifyTimestampToken(res.timestampToken, {
          data: res.signatureValue,
          ...(anchors.length ? { trustAnchors: anchors } : {}),
          crls,
        });
        if (ts.valid && ts.genTime) {
          checks.timestamp = 'passed';
          signingTime = ts.genTime;
          source = 'timestamp';
        } else {
          checks.timestamp = 'failed';
          messages.push(message('TIMESTAMP_INVALID', ts.problems.join('; ')));
        }
      }
      const when = signingTime ?? ctx.claimedTime ?? ctx.validationTime;
      if (!signingTime && !ctx.claimedTime) messages.push(message('SIGNING_TIME_CLAIMED'));
      else if (source === 'claimed') messages.push(message('SIGNING_TIME_CLAIMED'));
      let revokedAt: string | undefined;
      const hints: ContainerVerification['hints'] = {};
      if (cert) {
        if (when < cert.notBefore) {
          checks.certificateValidity = 'failed';
          hints.certificateValidity = 'NOT_YET_VALID';
          messages.push(message('CERT_NOT_YET_VALID'));
        } else if (when > cert.notAfter) {
          checks.certificateValidity = 'failed';
          messages.push(message('CERT_EXPIRED'));
        } else checks.certificateValidity = 'passed';
        if (anchors.length === 0) {
          checks.certificateChain = 'unknown';
          messages.push(message('NO_TRUST_ANCHOR'));
          checks.revocation = 'unknown';
        } else {
          const v = await validateCertificate({ cert, trustAnchors: anchors, intermediates, crls, at: when, purpose: 'signer' });
          const chainReasons = v.reasons.filter((r) => !['EXPIRED', 'NOT_YET_VALID', 'REVOKED'].includes(r.code));
          checks.certificateChain = v.chainStatus === 'passed' && chainReasons.length === 0 ? 'passed' : 'failed';
          if (checks.certificateChain === 'failed') messages.push(message('CHAIN_INVALID', chainReasons.map((r) => r.message).join('; ') || 'no path to a trust anchor'));
          checks.revocation = v.revocation.status === 'good' ? 'passed' : v.revocation.status === 'revoked' ? 'failed' : 'unknown';
          if (v.revocation.revokedAt) revokedAt = v.revocation.revokedAt.toISOString();
          if (checks.revocation === 'failed') messages.push(message('CERT_REVOKED'));
          else if (checks.revocation === 'unknown') messages.push(message('REVOCATION_UNKNOWN'));
        }
      } else {
        checks.certificateValidity = 'unknown';
        checks.certificateChain = 'unknown';
        messages.push(message('FORMAT_INVALID', 'the signer certificate is not in the CMS'));
      }
      return {
        kind: 'sign',
        structure: pades ? 'PAdES' : 'CMS',
        checks,
        signingTime: signingTime ? signingTime.toISOString() : ctx.claimedTime ? ctx.claimedTime.toISOString() : null,
        signingTimeSource: source,
        ...(cert ? { signer: signerSummary(cert, res.signatureAlgorithmOid) } : {}),
        ...(revokedAt ? { revokedAt } : {}),
        messages,
        hints,
      };
    },
  };
}
