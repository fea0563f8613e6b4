/**
 * The browser-safe part of @yinzhang/pki: parsing, validation, CMS and time-stamp verification, and issuing through a
 * caller-supplied Signer. No Node-only import (a test bundles it for the browser); install a CryptoProvider with
 * setCryptoProvider from @yinzhang/gm/portable first. PKCS#12 import, the directory CA store and the TSA HTTP
 * server are Node-only and live in the main entry.
 */
export { PkiOid, KEY_USAGE_NAMES, type KeyUsageName } from './oids.js';
export { parseName, parseNameString, buildName, namesEqual, type Name, type NameAttribute } from './name.js';
export type { Extension, BasicConstraints, AuthorityKeyIdentifier } from './extensions.js';
export {
  parseCertificate, parseCertificates, certificateToPem, certificateFingerprint, isSelfIssued, keyAlgorithmOfSpki,
  MAX_CERTIFICATE_BYTES, MAX_BUNDLE_CERTIFICATES, type Certificate, type CertKeyAlgorithm,
} from './certificate.js';
export { verifyCertificateSignature, verifyWithSpki } from './signature.js';
export {
  issueCertificate, publicKeySpkiOf, randomSerial, keyIdentifier, encodeKeyUsage, signatureAlgorithmIdentifier, CERTIFICATE_PROFILES,
  type CertificateProfile, type CertificateRequest, type IssuerInfo,
} from './issue.js';
export {
  parseCrl, issueCrl, verifyCrlSignature, crlToPem, REVOCATION_REASONS, MAX_CRL_BYTES, MAX_CRL_ENTRIES,
  type Crl, type CrlRequest, type RevokedEntry, type RevocationReason,
} from './crl.js';
export {
  validateCertificate, type ValidationOptions, type ValidationResult, type ValidationReason, type ValidationCode, type CertificatePurpose,
} from './validate.js';
export {
  CertificateAuthority, DEFAULT_CA_SETTINGS, normaliseSerialHex,
  type CaStore, type CaSettings, type IssuedRecord, type RevocationRecord, type IssueOptions,
} from './ca.js';
export {
  signCms, verifyCms, cmsSignatureValue, addCmsUnsignedAttribute, MAX_CMS_BYTES,
  type SignCmsOptions, type VerifyCmsOptions, type CmsVerifyResult, type CmsSignerResult, type CmsSignedAttributes, type CmsOidStyle,
} from './cms.js';
export {
  createTimestampRequest, parseTimestampRequest, parseTimestampResponse, parseTstInfo, verifyTimestampToken, requestTimestamp, Tsa,
  DEFAULT_TSA_POLICY, MAX_TIMESTAMP_BYTES,
  type TimestampRequest, type TimestampResponse, type TstInfo, type TsaOptions, type TimestampVerifyOptions, type TimestampVerifyResult, type PkiStatus,
} from './tsp.js';
export { createCsr, parseCsr, verifyCsr, csrToPem, MAX_CSR_BYTES, type CertificationRequest } from './csr.js';
