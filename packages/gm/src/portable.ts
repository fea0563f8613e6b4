/**
 * The portable part of @yinzhang/gm: everything the verification path needs, with no Node-only import, so that a
 * browser build can use it with its own CryptoProvider (setCryptoProvider) — e.g. WebCrypto + a JS SM3.
 * A test bundles this entry for the browser platform to keep it that way.
 */
export { ErrorCode, YzError, isYzError } from './errors.js';
export * from './bytes.js';
export * from './der.js';
export { pemEncode, pemDecode, pemDecodeAll, type PemBlock } from './pem.js';
export * from './algorithms.js';
export { setCryptoProvider, getCryptoProvider, type CryptoProvider, type VerifyRequest } from './provider.js';
export { digest, sm3, hmac, hmacSm3 } from './hash.js';
export { SM2_CURVE, DEFAULT_SM2_ID } from './sm2/curve.js';
export { Sm2PublicKey, importSm2PublicKey, sm2PublicKeyFromSpki } from './sm2/keys.js';
export { sm2Verify, sm2VerifyDigest, sm2ComputeE } from './sm2/sign.js';
export { encodeSignature, decodeSignature, toDerSignature, type SignatureEncoding, type RS } from './sm2/signature-encoding.js';
