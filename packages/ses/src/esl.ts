/**
 * `.esl` files: a DER SESeal. Some systems hand seals around as base64 text; that is accepted on import, and export
 * always writes DER.
 */
import { ErrorCode, YzError, fromBase64 } from '@yinzhang/gm/portable';
import { SesLimits } from './limits.js';
import type { ParsedSeal } from './model.js';
import { parseSeal } from './parse.js';

/** The DER SESeal in an `.esl` file's bytes (DER, or base64 text of it). */
export function eslToDer(bytes: Uint8Array): Uint8Array {
  if (bytes.length > SesLimits.maxSealBytes * 2) {
    throw new YzError(ErrorCode.LIMIT_EXCEEDED, `seal file of ${bytes.length} bytes exceeds the limit`, { size: bytes.length });
  }
  if (bytes[0] === 0x30) return bytes;
  const text = new TextDecoder().decode(bytes).replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  if (text.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    const der = fromBase64(text);
    if (der[0] === 0x30) return der;
  }
  throw new YzError(ErrorCode.SES_MALFORMED, 'not a seal file: neither DER nor base64 of a SESeal');
}

/** Imports an `.esl` file. */
export function importEsl(bytes: Uint8Array): ParsedSeal {
  return parseSeal(eslToDer(bytes));
}

/** The bytes of an `.esl` file for a seal: its DER exactly as built or received. */
export function exportEsl(seal: ParsedSeal | Uint8Array): Uint8Array {
  return seal instanceof Uint8Array ? parseSeal(seal).raw.seal : seal.raw.seal;
}
