/** The Node crypto provider: OpenSSL digests, SM2 through our Z(ID) code (+ native addon), RSA/ECDSA through Node. */
import { createHash, createHmac, createPublicKey, verify as nodeVerify, constants, type KeyObject } from 'node:crypto';
import { ErrorCode, YzError } from './errors.js';
import { toHex } from './bytes.js';
import type { CryptoProvider, VerifyRequest } from './provider.js';
import type { DigestAlgorithm } from './algorithms.js';
import { sm2PublicKeyFromSpki, type Sm2PublicKey } from './sm2/keys.js';
import { sm2Verify } from './sm2/sign.js';
import { normaliseEcdsaP256Signature } from './signer.js';

// Verifiers see the same few certificates again and again; parsing and native key set-up are worth caching.
const MAX_CACHE = 512;
const sm2Keys = new Map<string, Sm2PublicKey>();
const nodeKeys = new Map<string, KeyObject>();

function cached<T>(m: Map<string, T>, spki: Uint8Array, make: () => T): T {
  const k = toHex(spki);
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    if (m.size >= MAX_CACHE) m.delete(m.keys().next().value!);
    m.set(k, v);
  }
  return v;
}

export const nodeCryptoProvider: CryptoProvider = {
  name: 'node',
  digest(algorithm: DigestAlgorithm, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash(algorithm).update(data).digest());
  },
  hmac(algorithm: DigestAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac(algorithm, key).update(data).digest());
  },
  async verify(req: VerifyRequest): Promise<boolean> {
    const { algorithm } = req;
    if (algorithm.keyType === 'sm2') {
      const key = cached(sm2Keys, req.spki, () => sm2PublicKeyFromSpki(req.spki));
      return sm2Verify(key, req.data, req.signature, req.sm2Id ? { id: req.sm2Id } : {});
    }
    const key = cached(nodeKeys, req.spki, () => {
      try {
        return createPublicKey({ key: Buffer.from(req.spki), format: 'der', type: 'spki' });
      } catch (e) {
        throw new YzError(ErrorCode.KEY_MALFORMED, 'malformed public key', undefined, { cause: e });
      }
    });
    const isRsa = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
    if ((algorithm.keyType === 'rsa') !== isRsa) {
      throw new YzError(ErrorCode.ALGORITHM_KEY_MISMATCH, `${algorithm.name} does not match a ${key.asymmetricKeyType} key`);
    }
    const signature = algorithm.keyType === 'p256' ? normaliseEcdsaP256Signature(req.signature) : req.signature;
    return nodeVerify(algorithm.digest, req.data, {
      key,
      ...(algorithm.name === 'RSA-PSS-SHA256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO } : {}),
    }, signature);
  },
};
