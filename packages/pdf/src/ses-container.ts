/**
 * GB/T 38540 seal signatures in PDF. There is no ISO/ETSI profile for this; Chinese vendors all follow the same
 * convention (docs in packages/pdf/README.md): a standard signature dictionary and ByteRange (ISO 32000-1 §12.8)
 * whose /Contents holds the DER SES_Signature instead of a CMS, with TBS_Sign.dataHash = SM3 over the ByteRange bytes.
 * Verifiers recognise the container by its content (an SES_Signature SEQUENCE, not a CMS ContentInfo), because
 * vendors label it with various /SubFilter names, some even with adbe.pkcs7.detached.
 */
import { bytesEqual, type DigestAlgorithm } from '@yinzhang/gm/portable';
import type { Signer } from '@yinzhang/gm';
import { buildSesSignature, looksLikeSes, parseSeal, parseSesSignature, verifySesSignature } from '@yinzhang/ses';
import type { SignatureContainer } from './sign.js';
import type { ContainerVerification, ContainerVerifier } from './verify.js';

export const SES_FILTER = 'Adobe.PPKLite';
export const SES_SUBFILTER = 'GB.T38540.SES';

export interface SesContainerOptions {
  /** DER SESeal. */
  seal: Uint8Array;
  signer: Signer;
  /** DER X.509 of the signer (must be in the seal's certList). */
  certificate: Uint8Array;
  /** TBS_Sign.propertyInfo (free text, ASCII); signPdfDocument writes "PDF". */
  propertyInfo: string;
  signingTime?: Date;
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
}

export function sesContainer(o: SesContainerOptions): SignatureContainer {
  return {
    filter: SES_FILTER,
    subFilter: SES_SUBFILTER,
    // seal + signer certificate + signature, plus room for a timestamp token
    estimatedSize: o.seal.length + o.certificate.length + 1024 + (o.timestamp ? 8192 : 0),
    async produce(covered) {
      return buildSesSignature({
        seal: o.seal,
        dataHash: covered.digest('sm3'),
        propertyInfo: o.propertyInfo.replace(/[^\x20-\x7e]/g, '_'),
        signer: o.signer,
        certificate: o.certificate,
        ...(o.signingTime ? { timeInfo: o.signingTime } : {}),
        ...(o.timestamp ? { timestamp: o.timestamp } : {}),
      });
    },
  };
}

/** The seal picture to draw for a seal (PNG/JPEG; other picture types have no PDF rendering here). */
export function sealPicture(seal: Uint8Array): { data: Uint8Array; type: string; widthMm: number; heightMm: number } {
  const p = parseSeal(seal).picture;
  return { data: p.data, type: p.type, widthMm: p.widthMm, heightMm: p.heightMm };
}

export interface SesVerifierOptions {
  verifyTimestamp?: (token: Uint8Array, signatureValue: Uint8Array) => Promise<Date | undefined>;
}

export function sesVerifier(o: SesVerifierOptions = {}): ContainerVerifier {
  return {
    accepts: (der) => looksLikeSes(der),
    // SM3 is the convention; SHA-256 is also computed because some RSA-seal vendors hash with it.
    digestAlgorithms: (): DigestAlgorithm[] => ['sm3', 'sha256'],
    async verify(der, ctx): Promise<ContainerVerification> {
      let expected = ctx.digests.get('sm3')!;
      try {
        const parsed = parseSesSignature(der);
        const sha = ctx.digests.get('sha256');
        if (sha && bytesEqual(parsed.tbs.dataHash, sha)) expected = sha;
      } catch {
        // verifySesSignature reports the format failure
      }
      const v = await verifySesSignature(der, {
        expectedDataHash: expected,
        at: ctx.validationTime,
        trustAnchors: ctx.trustAnchors,
        ...(o.verifyTimestamp ? { verifyTimestamp: o.verifyTimestamp } : {}),
      });
      const checks = { ...v.checks };
      // coverage of the PDF is decided by the PDF verifier, not by the seal module
      delete (checks as Partial<typeof checks>).coverage;
      return {
        kind: 'seal',
        structure: v.structure,
        checks,
        signingTime: v.signingTime,
        signingTimeSource: v.signingTimeSource,
        ...(v.signer ? { signer: v.signer } : {}),
        ...(v.seal ? { seal: v.seal } : {}),
        messages: v.messages,
        hints: v.hints,
      };
    },
  };
}
