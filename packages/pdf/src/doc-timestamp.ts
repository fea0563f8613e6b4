/**
 * Document timestamps (ISO 32000-2 §12.8.5, ETSI EN 319 142-1 PAdES B-LTA): a /DocTimeStamp dictionary whose
 * /Contents is an RFC 3161 TimeStampToken over the ByteRange digest.
 */
import type { DigestAlgorithm } from '@yinzhang/gm/portable';
import { parseCertificate, verifyTimestampToken, type TimestampVerifyResult } from '@yinzhang/pki/portable';
import { message, type Message } from '@yinzhang/report';
import type { SignatureContainer } from './sign.js';
import type { ContainerVerification, ContainerVerifier } from './verify.js';
import { signerSummary } from './cms-container.js';

export const DOC_TS_SUBFILTER = 'ETSI.RFC3161';

/** `timestamp` gets the SHA-256 digest of the ByteRange bytes and returns a token (e.g. tsaClient(url)). */
export function docTimestampContainer(timestamp: (digest: Uint8Array) => Promise<Uint8Array>): SignatureContainer {
  return {
    type: 'DocTimeStamp',
    filter: 'Adobe.PPKLite',
    subFilter: DOC_TS_SUBFILTER,
    estimatedSize: 16_384,
    produce: (covered) => timestamp(covered.digest('sha256')),
  };
}

export function docTimestampVerifier(): ContainerVerifier {
  return {
    accepts: (_der, subFilter) => subFilter === DOC_TS_SUBFILTER,
    digestAlgorithms: (): DigestAlgorithm[] => ['sha256', 'sm3'],
    async verify(der, ctx): Promise<ContainerVerification> {
      const anchors = ctx.trustAnchors.map((c) => parseCertificate(c));
      const intermediates = ctx.dss.certs.map((c) => parseCertificate(c));
      let res: TimestampVerifyResult | undefined;
      for (const alg of ['sha256', 'sm3'] as const) {
        res = await verifyTimestampToken(der, { digest: ctx.digests.get(alg)!, intermediates, ...(anchors.length ? { trustAnchors: anchors } : {}) });
        if (!res.problems.some((p) => p.includes('imprint'))) break;
      }
      const r = res!;
      const messages: Message[] = [];
      const imprintOk = !r.problems.some((p) => p.includes('imprint'));
      const checks: ContainerVerification['checks'] = {
        format: 'passed',
        integrity: imprintOk ? 'passed' : 'failed',
        signatureValue: r.cms?.signatureValid ? 'passed' : 'failed',
        timestamp: r.valid ? 'passed' : 'failed',
        certificateValidity: r.tsaCertificate && r.genTime && r.genTime >= r.tsaCertificate.notBefore && r.genTime <= r.tsaCertificate.notAfter ? 'passed' : 'failed',
        certificateChain: r.certificateValidation ? (r.certificateValidation.chainStatus === 'passed' ? 'passed' : 'failed') : 'unknown',
        revocation: r.certificateValidation ? (r.certificateValidation.revocation.status === 'good' ? 'passed' : r.certificateValidation.revocation.status === 'revoked' ? 'failed' : 'unknown') : 'unknown',
      };
      if (!imprintOk) messages.push(message('INTEGRITY_FAILED', 'document timestamp imprint'));
      if (!r.valid) messages.push(message('TIMESTAMP_INVALID', r.problems.join('; ')));
      if (!anchors.length) messages.push(message('NO_TRUST_ANCHOR'));
      return {
        kind: 'sign',
        structure: 'PAdES',
        checks,
        signingTime: r.genTime ? r.genTime.toISOString() : null,
        signingTimeSource: 'timestamp',
        ...(r.tsaCertificate ? { signer: signerSummary(r.tsaCertificate, r.cms?.signatureAlgorithmOid ?? '') } : {}),
        messages,
      };
    },
  };
}
