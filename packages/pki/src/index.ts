/**
 * @yinzhang/pki — X.509 for SM2 and RSA/ECDSA P-256, PKCS#12 import, an internal CA with CRLs, path validation,
 * CMS SignedData (RFC 5652 and GB/T 35275) and RFC 3161 timestamps.
 * Parsing and verification modules import no Node-only module; issuing, the CA directory store and the TSA server do.
 */
export { PkiOid, KEY_USAGE_NAMES, type KeyUsageName } from './oids.js';
export { parseName, parseNameString, buildName, namesEqual, type Name, type NameAttribute } from './name.js';
export type { Extension, BasicConstraints, AuthorityKeyIdentifier } from './extensions.js';
export {
  parseCertificate, parseCertificates, certificateToPem, certificateFingerprint, isSelfIssued, keyAlgorithmOfSpki,
  MAX_CERTIFICATE_BYTES, MAX_BUNDLE_CERTIFICATES, type Certificate, type CertKeyAlgorithm,
} from './certificate.js';
export { verifyCertificateSignature, verifyWithSpki } from './signature.js';
export { parsePkcs12, pkcs12Kdf, MAX_PKCS12_BYTES, type Pkcs12Contents } from './pkcs12.js';
