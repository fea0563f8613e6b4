/**
 * PKCS#10 certification requests (RFC 2986): building one with a gm Signer (the key may live in a keystore) and
 * parsing/verifying one, so a CA can certify keys it never sees. Browser-safe.
 */
import { ErrorCode, YzError, pemDecodeAll, pemEncode } from '@yinzhang/gm/portable';
import type { PublicKey, Signer } from '@yinzhang/gm';
import { Tag, children, derBitString, derContext, derInteger, derSequence, readOid, readSmallInteger, readTlv } from '@yinzhang/gm/der';
import { keyAlgorithmOfSpki, type CertKeyAlgorithm } from './certificate.js';
import { publicKeySpkiOf, signatureAlgorithmIdentifier } from './issue.js';
import { buildName, parseName, type Name } from './name.js';
import { verifyIssuedObject } from './signature.js';

export interface CertificationRequest {
  der: Uint8Array;
  /** CertificationRequestInfo as received (what was signed). */
  info: Uint8Array;
  subject: Name;
  spki: Uint8Array;
  keyAlgorithm: CertKeyAlgorithm;
  signatureAlgorithmOid: string;
  signatureValue: Uint8Array;
}

export const MAX_CSR_BYTES = 256 * 1024;

/** Builds a PKCS#10 request for `signer`'s key (proof of possession: signed with that key). */
export async function createCsr(opts: { subject: Name | string; signer: Signer }): Promise<Uint8Array> {
  const subject = typeof opts.subject === 'string' ? buildName(opts.subject) : opts.subject;
  const info = derSequence(derInteger(0), subject.der, publicKeySpkiOf(opts.signer.publicKey as PublicKey), derContext(0, new Uint8Array(0)));
  const alg = signatureAlgorithmIdentifier(opts.signer.algorithm);
  return derSequence(info, alg, derBitString(await opts.signer.sign(info)));
}

export function csrToPem(der: Uint8Array): string {
  return pemEncode('CERTIFICATE REQUEST', der);
}

/** Parses a PKCS#10 request (PEM "CERTIFICATE REQUEST" / "NEW CERTIFICATE REQUEST", or DER). */
export function parseCsr(input: Uint8Array | string): CertificationRequest {
  let der: Uint8Array;
  if (typeof input === 'string' || input[0] !== 0x30) {
    const b = pemDecodeAll(input, 10).find((x) => x.label === 'CERTIFICATE REQUEST' || x.label === 'NEW CERTIFICATE REQUEST');
    if (!b) throw new YzError(ErrorCode.PEM_MALFORMED, 'no CERTIFICATE REQUEST PEM block found');
    der = b.der;
  } else der = input;
  if (der.length > MAX_CSR_BYTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `certification request larger than ${MAX_CSR_BYTES} bytes`);
  try {
    const top = readTlv(der, 0);
    const [infoT, algT, sigT] = children(top, 3);
    if (!infoT || !algT || !sigT || sigT.tag !== Tag.BIT_STRING) throw new YzError(ErrorCode.DER_MALFORMED, 'CertificationRequest fields');
    const [ver, subj, spki] = children(infoT, 4);
    if (!ver || readSmallInteger(ver) !== 0 || !subj || !spki) throw new YzError(ErrorCode.DER_MALFORMED, 'CertificationRequestInfo fields');
    return {
      der: der.subarray(0, top.end),
      info: infoT.bytes,
      subject: parseName(subj),
      spki: spki.bytes,
      keyAlgorithm: keyAlgorithmOfSpki(spki),
      signatureAlgorithmOid: readOid(children(algT, 2)[0] ?? algT),
      signatureValue: sigT.value.subarray(1),
    };
  } catch (e) {
    if (e instanceof YzError && e.code === ErrorCode.LIMIT_EXCEEDED) throw e;
    throw new YzError(ErrorCode.CERT_MALFORMED, `malformed certification request${e instanceof Error ? `: ${e.message}` : ''}`, undefined, { cause: e });
  }
}

/** True when the request is signed by the key it carries (SM2: default ID, or OpenSSL 3.0's empty ID). */
export function verifyCsr(csr: CertificationRequest): Promise<boolean> {
  return verifyIssuedObject(csr.signatureAlgorithmOid, csr.spki, csr.info, csr.signatureValue);
}
