/**
 * One Signer/Verifier interface over SM2 (with user ID), RSA PKCS#1 v1.5, RSA-PSS and ECDSA P-256, algorithms named
 * by OID. Signing is async so that HSM-backed keystores can implement the same interface.
 */
import { sign as nodeSign, constants } from 'node:crypto';
import { ErrorCode, YzError } from './errors.js';
import { SignatureAlgorithms, signatureAlgorithmByOid, type SignatureAlgorithm, type SignatureAlgorithmName } from './algorithms.js';
import { keyAlgorithmOf, publicKeySpki, type PrivateKey, type PublicKey } from './keys.js';
import { sm2Sign, normaliseId } from './sm2/sign.js';
import type { SignatureEncoding } from './sm2/signature-encoding.js';
import { getCryptoProvider } from './provider.js';
import { encodeSignature, decodeSignature } from './sm2/signature-encoding.js';

export interface Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly publicKey: PublicKey;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface Verifier {
  readonly algorithm: SignatureAlgorithm;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export interface SignerOptions {
  /** Name or OID; default: SM2-with-SM3 for SM2 keys, RSA-SHA256 for RSA, ECDSA-P256-SHA256 for P-256. */
  algorithm?: SignatureAlgorithmName | string;
  /** SM2 user ID, default "1234567812345678". */
  sm2Id?: Uint8Array | string;
  /** SM2/ECDSA output encoding; default DER. */
  encoding?: SignatureEncoding;
}

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export function resolveAlgorithm(key: PrivateKey | PublicKey, requested?: string): SignatureAlgorithm {
  const keyAlg = keyAlgorithmOf(key);
  let alg: SignatureAlgorithm;
  if (!requested) {
    alg = keyAlg === 'sm2' ? SignatureAlgorithms['SM2-with-SM3'] : keyAlg === 'rsa' ? SignatureAlgorithms['RSA-SHA256'] : SignatureAlgorithms['ECDSA-P256-SHA256'];
  } else {
    alg = (SignatureAlgorithms as Record<string, SignatureAlgorithm>)[requested] ?? signatureAlgorithmByOid(requested);
  }
  if (alg.keyType !== keyAlg) {
    throw new YzError(ErrorCode.ALGORITHM_KEY_MISMATCH, `${alg.name} cannot be used with a ${keyAlg} key`);
  }
  return alg;
}

export function createSigner(key: PrivateKey, opts: SignerOptions = {}): Signer {
  const algorithm = resolveAlgorithm(key, opts.algorithm);
  const encoding = opts.encoding ?? 'der';
  if (key.type === 'sm2-private') {
    const id = normaliseId(opts.sm2Id);
    return { algorithm, publicKey: key.publicKey, sign: async (data) => sm2Sign(key, data, { id, encoding }) };
  }
  const pss = algorithm.name === 'RSA-PSS-SHA256';
  return {
    algorithm,
    publicKey: key.publicKey,
    sign: async (data) => {
      const sig = nodeSign('sha256', data, {
        key: key.keyObject,
        ...(pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {}),
        ...(algorithm.keyType === 'p256' ? { dsaEncoding: encoding === 'raw' ? 'ieee-p1363' : 'der' } : {}),
      });
      return new Uint8Array(sig);
    },
  };
}

export function createVerifier(key: PublicKey, opts: { algorithm?: SignatureAlgorithmName | string; sm2Id?: Uint8Array | string } = {}): Verifier {
  const algorithm = resolveAlgorithm(key, opts.algorithm);
  const spki = publicKeySpki(key);
  const sm2Id = key.type === 'sm2-public' ? normaliseId(opts.sm2Id) : undefined;
  return {
    algorithm,
    verify: (data, signature) => getCryptoProvider().verify({ algorithm, spki, data, signature, ...(sm2Id ? { sm2Id } : {}) }),
  };
}

/** ECDSA P-256 signatures: DER or raw r‖s in, DER out, with range checks like SM2's. */
export function normaliseEcdsaP256Signature(sig: Uint8Array): Uint8Array {
  return encodeSignature(decodeSignature(sig, P256_N), 'der');
}
