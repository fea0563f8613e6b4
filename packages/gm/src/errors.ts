/**
 * The one error class of yinzhang, with a stable code per failure. Every package throws YzError; the CLI maps it
 * to exit code 2 and a zh-CN/English message, the API to an RFC 9457 problem. Codes are documented in docs/errors.md;
 * never rename one (scripts and integrations match on them), only add.
 */
export const ErrorCode = {
  // generic input
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  UNSUPPORTED: 'UNSUPPORTED',
  // encodings
  PEM_MALFORMED: 'PEM_MALFORMED',
  DER_MALFORMED: 'DER_MALFORMED',
  // keys
  KEY_MALFORMED: 'KEY_MALFORMED',
  KEY_WRONG_CURVE: 'KEY_WRONG_CURVE',
  KEY_WRONG_LENGTH: 'KEY_WRONG_LENGTH',
  KEY_UNSUPPORTED: 'KEY_UNSUPPORTED',
  POINT_NOT_ON_CURVE: 'POINT_NOT_ON_CURVE',
  // signatures
  SIGNATURE_MALFORMED: 'SIGNATURE_MALFORMED',
  SIGNATURE_OUT_OF_RANGE: 'SIGNATURE_OUT_OF_RANGE',
  ALGORITHM_UNSUPPORTED: 'ALGORITHM_UNSUPPORTED',
  ALGORITHM_KEY_MISMATCH: 'ALGORITHM_KEY_MISMATCH',
  // symmetric / encryption
  CIPHERTEXT_MALFORMED: 'CIPHERTEXT_MALFORMED',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  // files
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  // pki (X.509, CRL, PKCS#12, CMS, RFC 3161, CA store)
  CERT_MALFORMED: 'CERT_MALFORMED',
  NAME_MALFORMED: 'NAME_MALFORMED',
  CRL_MALFORMED: 'CRL_MALFORMED',
  PKCS12_MALFORMED: 'PKCS12_MALFORMED',
  PKCS12_BAD_PASSWORD: 'PKCS12_BAD_PASSWORD',
  CMS_MALFORMED: 'CMS_MALFORMED',
  TIMESTAMP_MALFORMED: 'TIMESTAMP_MALFORMED',
  CA_NOT_INITIALISED: 'CA_NOT_INITIALISED',
  CA_EXISTS: 'CA_EXISTS',
  CERT_NOT_FOUND: 'CERT_NOT_FOUND',
  // pdf (PAdES signing and verification)
  PDF_MALFORMED: 'PDF_MALFORMED',
  PDF_XREF_BROKEN: 'PDF_XREF_BROKEN',
  PDF_ENCRYPTED: 'PDF_ENCRYPTED',
  PDF_UNSUPPORTED: 'PDF_UNSUPPORTED',
  PDF_PAGE_OUT_OF_RANGE: 'PDF_PAGE_OUT_OF_RANGE',
  PDF_KEYWORD_NOT_FOUND: 'PDF_KEYWORD_NOT_FOUND',
  PDF_SIGNATURE_TOO_LARGE: 'PDF_SIGNATURE_TOO_LARGE',
  // ses (GB/T 38540 / GM/T 0031 seals and seal signatures)
  SES_MALFORMED: 'SES_MALFORMED',
  SES_VERSION_UNSUPPORTED: 'SES_VERSION_UNSUPPORTED',
  // ofd (OFD package, signing, verification)
  OFD_NOT_ZIP: 'OFD_NOT_ZIP',
  OFD_ZIP_MALFORMED: 'OFD_ZIP_MALFORMED',
  OFD_UNSAFE_PATH: 'OFD_UNSAFE_PATH',
  OFD_MISSING_PART: 'OFD_MISSING_PART',
  OFD_XML_MALFORMED: 'OFD_XML_MALFORMED',
  OFD_XML_FORBIDDEN: 'OFD_XML_FORBIDDEN',
  OFD_MALFORMED: 'OFD_MALFORMED',
  OFD_SIGNATURES_LOCKED: 'OFD_SIGNATURES_LOCKED',
  OFD_PAGE_OUT_OF_RANGE: 'OFD_PAGE_OUT_OF_RANGE',
  OFD_KEYWORD_NOT_FOUND: 'OFD_KEYWORD_NOT_FOUND',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class YzError extends Error {
  override readonly name = 'YzError';
  readonly code: string;
  /** Extra, non-secret facts for logs and problem responses (never key material). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode | (string & {}), message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isYzError(e: unknown, code?: string): e is YzError {
  return e instanceof YzError && (code === undefined || e.code === code);
}
