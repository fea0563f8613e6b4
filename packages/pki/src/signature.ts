/** Signature checks over bytes as received (certificates, CRLs), through the gm crypto provider (browser-safe). */
import { ErrorCode, YzError, getCryptoProvider, signatureAlgorithmByOid, type SignatureAlgorithm } from '@yinzhang/gm/portable';
import type { Certificate } from './certificate.js';

const EMPTY_ID = new Uint8Array(0);

/**
 * Verifies `signature` over `data` with the key in `spki`, algorithm named by OID. A malformed or out-of-range
 * signature is simply invalid (false); an unknown algorithm or a broken key throws YzError.
 * SM2 uses `sm2Id`, default 1234567812345678 (GM/T 0009), as Chinese CAs do for certificates and CRLs.
 */
export async function verifyWithSpki(algorithmOid: string, spki: Uint8Array, data: Uint8Array, signature: Uint8Array, sm2Id?: Uint8Array): Promise<boolean> {
  const algorithm: SignatureAlgorithm = signatureAlgorithmByOid(algorithmOid);
  try {
    return await getCryptoProvider().verify({ algorithm, spki, data, signature, ...(sm2Id ? { sm2Id } : {}) });
  } catch (e) {
    if (e instanceof YzError && (e.code === ErrorCode.SIGNATURE_MALFORMED || e.code === ErrorCode.SIGNATURE_OUT_OF_RANGE)) return false;
    throw e;
  }
}

/**
 * Certificate and CRL signatures: SM2 with the default ID first; then with an empty ID, which is what OpenSSL 3.0
 * uses when no distinguishing ID is configured (`openssl ca -gencrl`, `openssl req -x509` without -sigopt distid).
 * Accepting both keeps the check a proof of the issuer's key while reading what openssl writes.
 */
export async function verifyIssuedObject(algorithmOid: string, issuerSpki: Uint8Array, tbs: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (await verifyWithSpki(algorithmOid, issuerSpki, tbs, signature)) return true;
  if (signatureAlgorithmByOid(algorithmOid).keyType !== 'sm2') return false;
  return verifyWithSpki(algorithmOid, issuerSpki, tbs, signature, EMPTY_ID);
}

/** True when `issuer`'s key signed `cert`'s TBSCertificate. */
export function verifyCertificateSignature(cert: Certificate, issuer: Certificate): Promise<boolean> {
  return verifyIssuedObject(cert.signatureAlgorithmOid, issuer.spki, cert.tbs, cert.signatureValue);
}
