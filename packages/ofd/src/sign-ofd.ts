/**
 * The signing entry points: an electronic-seal signature (Type="Seal", GB/T 38540 SES_Signature V4 by default, V1
 * for V1 seals or on request) or a plain digital signature (Type="Sign", GB/T 35275 detached SignedData).
 */
import { ErrorCode, YzError, type Signer } from '@yinzhang/gm';
import { createTimestampRequest, requestTimestamp } from '@yinzhang/pki';
import { buildSesSignature, parseSeal } from '@yinzhang/ses';
import type { OfdLimits } from './limits.js';
import { addSignature, type AddSignatureResult, type SignMode } from './sign.js';
import { signCmsForOfd } from './sign-cms.js';
import type { Placement } from './stamp.js';

export interface SignOfdCommon {
  signer: Signer;
  /** DER X.509 of the signer. */
  certificate: Uint8Array;
  /** Further certificates to embed (Type="Sign"). */
  chain?: Uint8Array[];
  mode?: SignMode;
  /** Default: a seal at the bottom right of the last page (Seal), nothing visible (Sign). */
  placement?: Placement;
  /** Size on the page in mm; default the seal picture's size (40×40 for Sign). */
  width?: number;
  height?: number;
  signingTime?: Date;
  /** Which document of a multi-document package to sign (DocBody, 0-based); default the first. */
  document?: number;
  /** Fetches an RFC 3161 token over the signature value. */
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
  limits?: Partial<OfdLimits>;
}

export interface SignOfdWithSealOptions extends SignOfdCommon {
  /** DER SESeal (.esl). */
  seal: Uint8Array;
  /** SES_Signature version; default follows the seal (V4 for V4/V5 seals, V1 for V1 seals). */
  version?: 1 | 4;
}

/** Adds an electronic-seal signature (Type="Seal"). */
export async function signOfdWithSeal(ofd: Uint8Array, o: SignOfdWithSealOptions): Promise<AddSignatureResult> {
  const seal = parseSeal(o.seal);
  const width = o.width ?? seal.picture.widthMm;
  const height = o.height ?? seal.picture.heightMm;
  if (!(width > 0 && height > 0)) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'seal size must be positive');
  return addSignature(ofd, {
    type: 'Seal',
    sealEsl: o.seal,
    placement: o.placement ?? { kind: 'default' },
    width,
    height,
    signatureMethod: o.signer.algorithm.oid,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.signingTime ? { signingTime: o.signingTime } : {}),
    ...(o.document !== undefined ? { document: o.document } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    produceSignedValue: (req) => buildSesSignature({
      seal: o.seal,
      dataHash: req.dataHash,
      propertyInfo: req.propertyInfo,
      signer: o.signer,
      certificate: o.certificate,
      timeInfo: req.signingTime,
      ...(o.version ? { version: o.version } : {}),
      ...(o.timestamp ? { timestamp: o.timestamp } : {}),
    }),
  });
}

/** Adds a plain digital signature (Type="Sign"): GB/T 35275 SignedData, detached, over Signature.xml. */
export async function signOfdWithCms(ofd: Uint8Array, o: SignOfdCommon): Promise<AddSignatureResult> {
  return addSignature(ofd, {
    type: 'Sign',
    placement: o.placement ?? { kind: 'none' },
    width: o.width ?? 40,
    height: o.height ?? 40,
    signatureMethod: o.signer.algorithm.oid,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.signingTime ? { signingTime: o.signingTime } : {}),
    ...(o.document !== undefined ? { document: o.document } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    produceSignedValue: (req) => signCmsForOfd(req.signatureXml, {
      signer: o.signer, certificate: o.certificate, chain: o.chain ?? [], signingTime: req.signingTime,
      ...(o.timestamp ? { timestamp: o.timestamp } : {}),
    }),
  });
}

/** An RFC 3161 client for `timestamp`: asks the TSA at `url` for a token over the signature value (SHA-256 imprint by default). */
export function tsaTimestamper(url: string, opts: { hashAlgorithm?: 'sha256' | 'sm3'; timeoutMs?: number } = {}): (signatureValue: Uint8Array) => Promise<Uint8Array> {
  return (signatureValue) => {
    const req = createTimestampRequest({ data: signatureValue, hashAlgorithm: opts.hashAlgorithm ?? 'sha256', certReq: true });
    return requestTimestamp(url, req, opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {});
  };
}
