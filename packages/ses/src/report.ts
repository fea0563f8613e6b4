/**
 * A bare seal file (`.esl`: an SESeal, or a lone SES_Signature) verified into the shared report with format "seal",
 * so that `yinzhang verify SEAL.esl` answers like it does for OFD and PDF (verification-report.md).
 */
import { fileInfo, overallIndication, type VerificationReport } from '@yinzhang/report';
import { eslToDer } from './esl.js';
import { parseSeal, parseSesSignature } from './parse.js';
import { toSignatureReport, verifySeal, verifySesSignature, type SealVerifyOptions } from './verify.js';

export interface SealFileVerifyOptions extends SealVerifyOptions {
  name: string;
}

/** Throws SES_MALFORMED (exit 2 in the CLI) when the bytes are neither a seal nor a seal signature. */
export async function verifySealFile(bytes: Uint8Array, opts: SealFileVerifyOptions): Promise<VerificationReport> {
  const der = eslToDer(bytes);
  let isSeal = true;
  try {
    parseSeal(der);
  } catch (sealError) {
    try {
      parseSesSignature(der);
      isSeal = false;
    } catch {
      throw sealError;
    }
  }
  const { name, ...verifyOpts } = opts;
  const verification = isSeal ? await verifySeal(der, verifyOpts) : await verifySesSignature(der, verifyOpts);
  const signature = toSignatureReport(isSeal ? 'seal' : 'signature', verification);
  return {
    format: 'seal',
    file: fileInfo(name, bytes),
    validationTime: (opts.at ?? new Date()).toISOString(),
    indication: overallIndication([signature]),
    signatures: [signature],
  };
}
