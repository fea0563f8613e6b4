/** PEM (RFC 7468) encode/decode with typed errors. */
import { ErrorCode, YzError } from './errors.js';
import { fromBase64, toBase64 } from './bytes.js';

export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = toBase64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** All PEM blocks in the text (at most `max`, default 10 000). */
export function pemDecodeAll(input: string | Uint8Array, max = 10_000): PemBlock[] {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    if (out.length >= max) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${max} PEM blocks`);
    // Skip RFC 1421 headers such as Proc-Type, which only appear in legacy encrypted keys.
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '');
    let der: Uint8Array;
    try {
      der = fromBase64(body);
    } catch (e) {
      throw new YzError(ErrorCode.PEM_MALFORMED, `PEM block "${m[1]}" is not valid base64`, undefined, { cause: e });
    }
    if (der.length === 0) throw new YzError(ErrorCode.PEM_MALFORMED, `PEM block "${m[1]}" is empty`);
    out.push({ label: m[1]!, der });
  }
  return out;
}

/** The first PEM block whose label is one of `labels`. */
export function pemDecode(input: string | Uint8Array, labels: string[]): PemBlock {
  const blocks = pemDecodeAll(input);
  if (blocks.length === 0) throw new YzError(ErrorCode.PEM_MALFORMED, 'no PEM block found');
  const b = blocks.find((x) => labels.includes(x.label));
  if (!b) {
    throw new YzError(ErrorCode.PEM_MALFORMED, `expected PEM ${labels.join(' or ')}, found ${blocks.map((x) => x.label).join(', ')}`);
  }
  return b;
}
