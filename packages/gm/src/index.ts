/**
 * @yinzhang/gm — SM2/SM3/SM4 and RSA/ECDSA for yinzhang.
 * Importing this entry installs the Node crypto provider unless another one was set first.
 */
import { nodeCryptoProvider } from './node-provider.js';
import { setCryptoProvider } from './provider.js';
import { setSm2Backend } from './sm2/backend.js';
import { loadNativeSm2 } from './sm2/native.js';

setCryptoProvider(nodeCryptoProvider);
setSm2Backend(loadNativeSm2());

export { ErrorCode, YzError, isYzError } from './errors.js';
export * from './bytes.js';
export { pemEncode, pemDecode, pemDecodeAll, type PemBlock } from './pem.js';
export * from './algorithms.js';
export { setCryptoProvider, getCryptoProvider, type CryptoProvider, type VerifyRequest } from './provider.js';
export { nodeCryptoProvider } from './node-provider.js';
export { digest, sm3, hmac, hmacSm3 } from './hash.js';
export * from './sm4.js';
export { SM2_CURVE, DEFAULT_SM2_ID } from './sm2/curve.js';
export { Sm2PrivateKey, Sm2PublicKey, importSm2PrivateKey, importSm2PublicKey } from './sm2/keys.js';
export { sm2Sign, sm2Verify, sm2SignDigest, sm2VerifyDigest, sm2ComputeE, sm2Backend, type Sm2SignOptions } from './sm2/sign.js';
export { computeZRaw as sm2ComputeZ } from './sm2/z.js';
export { encodeSignature, decodeSignature, toDerSignature, type SignatureEncoding, type RS } from './sm2/signature-encoding.js';
export { sm2Encrypt, sm2Decrypt, type Sm2CipherFormat } from './sm2/encrypt.js';
export {
  NodePrivateKey, NodePublicKey, importPrivateKey, importPublicKey, publicKeySpki, generateKeyPair, keyAlgorithmOf,
  type PrivateKey, type PublicKey, type KeyAlgorithm, type KeygenAlgorithm,
} from './keys.js';
export { createSigner, createVerifier, resolveAlgorithm, type Signer, type Verifier, type SignerOptions } from './signer.js';
