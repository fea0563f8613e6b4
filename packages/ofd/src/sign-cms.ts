/**
 * Type="Sign" signatures (GB/T 35275 SignedData, detached, over the exact Signature.xml bytes).
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import type { Signer } from '@yinzhang/gm';
import type { CheckName, Checks, Message, SignerSummary } from '@yinzhang/report';

export interface CmsVerification {
  checks: Checks;
  messages: Message[];
  hints: Partial<Record<CheckName, string>>;
  signingTime: string | null;
  signingTimeSource: 'claimed' | 'timestamp';
  signer?: SignerSummary;
  signerCert?: Uint8Array;
}

export async function verifySignCms(_signedData: Uint8Array, _content: Uint8Array, _opts: { trustAnchors?: readonly Uint8Array[]; at?: Date }): Promise<CmsVerification> {
  throw new YzError(ErrorCode.UNSUPPORTED, 'CMS verification is not available yet');
}

export interface CmsSignOptions {
  signer: Signer;
  certificate: Uint8Array;
  chain: Uint8Array[];
  signingTime: Date;
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
}

export async function signCmsForOfd(_content: Uint8Array, _o: CmsSignOptions): Promise<Uint8Array> {
  throw new YzError(ErrorCode.UNSUPPORTED, 'CMS signing is not available yet');
}
