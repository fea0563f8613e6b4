/** Signature checks over bytes as received (certificates, CRLs), through the gm crypto provider (browser-safe). */
import { ErrorCode, YzError, getCryptoProvider, signatureAlgorithmByOid, type SignatureAlgorithm } from '@yinzhang/gm';
import type { Certificate } from './certificate.js';

/**
 * Verifies `signature` over `data` with the key in `spki`, algorithm named by OID. A malformed or out-of-range
 * signature is simply invalid (false); an unknown algorithm or a broken key throws YzError.
 * SM2 uses the default user ID 1234567812345678 (GM/T 0009), as every CA we know does for certificates and CRLs.
 */
export async function verifyWithSpki(algorithmOid: string, spki: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const algorithm: SignatureAlgorithm = signatureAlgorithmByOid(algorithmOid);
  try {
    return await getCryptoProvider().verify({ algorithm, spki, data, signature });
  } catch (e) {
    if (e instanceof YzError && (e.code === ErrorCode.SIGNATURE_MALFORMED || e.code === ErrorCode.SIGNATURE_OUT_OF_RANGE)) return false;
    throw e;
  }
}

/** True when `issuer`'s key signed `cert`'s TBSCertificate. */
export function verifyCertificateSignature(cert: Certificate, issuer: Certificate): Promise<boolean> {
  return verifyWithSpki(cert.signatureAlgorithmOid, issuer.spki, cert.tbs, cert.signatureValue);
}
