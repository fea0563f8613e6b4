/**
 * One call to sign or verify a PDF with yinzhang's credentials: picks the container (GB/T 38540 SES_Signature with
 * --seal, else CMS), the seal picture, the placement and default size. Signing-side (Node); verification-side entry
 * points stay portable.
 */
import { digest, type Signer } from '@yinzhang/gm';
import { createTimestampRequest, parseCertificate, requestTimestamp, verifyTimestampToken } from '@yinzhang/pki';
import { cmsContainer, cmsVerifier } from './cms-container.js';
import { addDss } from './dss.js';
import { docTimestampContainer, docTimestampVerifier } from './doc-timestamp.js';
import { nodeHashFactory } from './node-hash.js';
import { signPdf, type Placement, type SignPdfResult } from './sign.js';
import { sesContainer, sealPicture, sesVerifier } from './ses-container.js';
import { imageKind } from './image.js';
import { verifyPdf, type ContainerVerifier } from './verify.js';
import type { ByteSource } from './source.js';
import type { HashFactory } from './byte-range.js';
import type { VerificationReport } from '@yinzhang/report';

export interface SignPdfDocumentOptions {
  signer: Signer;
  /** DER X.509 of the signer. */
  certificate: Uint8Array;
  /** DER of further certificates to embed (the issuing chain). */
  chain?: Uint8Array[];
  /** DER SESeal: seal the PDF with a GB/T 38540 SES_Signature. */
  seal?: Uint8Array;
  placement?: Placement;
  sizeMm?: { width: number; height: number };
  /** Seal picture for plain signatures (PNG/JPEG). */
  picture?: Uint8Array;
  reason?: string;
  mode?: 'continue' | 'lock';
  /** RFC 3161 TSA for a signature timestamp (B-T). */
  tsaUrl?: string;
  /**
   * B-LT: after signing, add a /DSS with the signer's certificate, the chain and these CRLs (DER). With `fetchCrls`,
   * CRLs are also downloaded from the certificates' CRL distribution points (failures are skipped).
   */
  dss?: { crls?: Uint8Array[]; fetchCrls?: boolean };
  signingTime?: Date;
}

/** RFC 3161 client for B-T: a token over a SHA-256 digest from the TSA at `url`. */
export function tsaClient(url: string): (digest: Uint8Array) => Promise<Uint8Array> {
  return (digest) => requestTimestamp(url, createTimestampRequest({ digest, hashAlgorithm: 'sha256' }));
}

/** SES_Signature.timeStamp: a token over the signature value (GB/T 38540 §7.2), hashed with SHA-256 for the TSA. */
function sesTimestamp(url: string): (signatureValue: Uint8Array) => Promise<Uint8Array> {
  const client = tsaClient(url);
  return (sig) => client(digest('sha256', sig));
}

export async function signPdfDocument(pdf: Uint8Array, o: SignPdfDocumentOptions): Promise<SignPdfResult> {
  const cn = parseCertificate(o.certificate).subject.rdns.find((a) => a.oid === '2.5.4.3')?.value;
  if (o.seal) {
    const pic = sealPicture(o.seal);
    const drawable = imageKind(pic.data) !== 'unknown';
    return signPdf(pdf, {
      hashFactory: nodeHashFactory,
      container: sesContainer({ seal: o.seal, signer: o.signer, certificate: o.certificate, propertyInfo: 'PDF', ...(o.signingTime ? { signingTime: o.signingTime } : {}), ...(o.tsaUrl ? { timestamp: sesTimestamp(o.tsaUrl) } : {}) }),
      ...(o.placement ? { placement: o.placement } : {}),
      sizeMm: o.sizeMm ?? { width: pic.widthMm > 0 ? pic.widthMm : 40, height: pic.heightMm > 0 ? pic.heightMm : 40 },
      ...(drawable ? { picture: pic.data } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.mode ? { mode: o.mode } : {}),
      ...(o.signingTime ? { signingTime: o.signingTime } : {}),
      ...(typeof cn === 'string' ? { signerName: cn } : {}),
    });
  }
  const r = await signPdf(pdf, {
    hashFactory: nodeHashFactory,
    container: cmsContainer({ signer: o.signer, certificate: o.certificate, ...(o.chain ? { chain: o.chain } : {}), ...(o.tsaUrl ? { timestamp: tsaClient(o.tsaUrl) } : {}) }),
    ...(o.placement ? { placement: o.placement } : {}),
    ...(o.sizeMm ? { sizeMm: o.sizeMm } : {}),
    ...(o.picture ? { picture: o.picture } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.signingTime ? { signingTime: o.signingTime } : {}),
    ...(typeof cn === 'string' ? { signerName: cn } : {}),
  });
  // With a TSA the signature is meant to last: B-T is extended to B-LT with whatever revocation data is reachable.
  const dss = o.dss ?? (o.tsaUrl ? { fetchCrls: true } : undefined);
  if (!dss) return r;
  const certs = [o.certificate, ...(o.chain ?? [])];
  const crls = [...(dss.crls ?? []), ...(dss.fetchCrls ? await fetchCrls(certs) : [])];
  return { ...r, bytes: addDss(r.bytes, { certs, crls }) };
}

const MAX_CRL_FETCH = 8 * 1024 * 1024;

async function fetchCrls(certs: Uint8Array[]): Promise<Uint8Array[]> {
  const urls = new Set(certs.flatMap((c) => parseCertificate(c).crlDistributionPoints ?? []).filter((u) => /^https?:\/\//.test(u)));
  const out: Uint8Array[] = [];
  for (const url of urls) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const b = new Uint8Array(await res.arrayBuffer());
      if (res.ok && b.length < MAX_CRL_FETCH) out.push(b);
    } catch {
      // unreachable distribution point: the DSS simply lacks that CRL
    }
  }
  return out;
}

/** Adds a document timestamp (PAdES B-LTA) from the TSA at `tsaUrl` as a new revision. */
export async function timestampPdfDocument(pdf: Uint8Array, tsaUrl: string): Promise<SignPdfResult> {
  return signPdf(pdf, { hashFactory: nodeHashFactory, container: docTimestampContainer(tsaClient(tsaUrl)) });
}

export interface VerifyPdfDocumentOptions {
  name?: string;
  at?: Date;
  trustAnchors?: Uint8Array[];
  crls?: Uint8Array[];
  hashFactory?: HashFactory;
}

export function defaultVerifiers(): ContainerVerifier[] {
  return [
    docTimestampVerifier(),
    sesVerifier({
      verifyTimestamp: async (token, signatureValue) => {
        const r = await verifyTimestampToken(token, { data: signatureValue });
        return r.valid ? r.genTime : undefined;
      },
    }),
    cmsVerifier(),
  ];
}

export function verifyPdfDocument(input: ByteSource | Uint8Array, o: VerifyPdfDocumentOptions = {}): Promise<VerificationReport> {
  return verifyPdf(input, { hashFactory: nodeHashFactory, ...o, verifiers: defaultVerifiers() });
}
