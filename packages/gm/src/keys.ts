/**
 * Key import/export and generation for every algorithm the platform signs with: SM2 (our own code, so the SM2 ID is
 * ours to set) and RSA / ECDSA P-256 (Node KeyObjects).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ErrorCode, YzError } from './errors.js';
import { Oid } from './algorithms.js';
import { Tag, children, expectTag, readOid, readSingle } from './der.js';
import { pemDecode, pemEncode } from './pem.js';
import { Sm2PrivateKey, Sm2PublicKey, looksLikePem, sm2PrivateKeyFromEcPrivateKey, sm2PrivateKeyFromPkcs8, sm2PublicKeyFromSpki } from './sm2/keys.js';

export type KeyAlgorithm = 'sm2' | 'p256' | 'rsa';

export class NodePublicKey {
  readonly type: 'rsa-public' | 'p256-public';
  readonly keyObject: KeyObject;
  readonly spki: Uint8Array;

  constructor(keyObject: KeyObject) {
    const t = classify(keyObject);
    this.type = t === 'rsa' ? 'rsa-public' : 'p256-public';
    this.keyObject = keyObject;
    this.spki = new Uint8Array(keyObject.export({ format: 'der', type: 'spki' }));
  }

  toPem(): string {
    return pemEncode('PUBLIC KEY', this.spki);
  }
}

export class NodePrivateKey {
  readonly type: 'rsa-private' | 'p256-private';
  readonly keyObject: KeyObject;
  readonly publicKey: NodePublicKey;

  constructor(keyObject: KeyObject) {
    const t = classify(keyObject);
    this.type = t === 'rsa' ? 'rsa-private' : 'p256-private';
    this.keyObject = keyObject;
    this.publicKey = new NodePublicKey(createPublicKey(keyObject));
  }

  toPkcs8Der(): Uint8Array {
    return new Uint8Array(this.keyObject.export({ format: 'der', type: 'pkcs8' }));
  }

  toPem(): string {
    return pemEncode('PRIVATE KEY', this.toPkcs8Der());
  }

  toJSON(): unknown {
    return { type: this.type, key: '[redacted]' };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `NodePrivateKey(${this.type}) { [redacted] }`;
  }
}

export type PrivateKey = Sm2PrivateKey | NodePrivateKey;
export type PublicKey = Sm2PublicKey | NodePublicKey;

function classify(k: KeyObject): 'rsa' | 'p256' {
  if (k.asymmetricKeyType === 'rsa' || k.asymmetricKeyType === 'rsa-pss') return 'rsa';
  if (k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'p256';
  if (k.asymmetricKeyType === 'ec') {
    throw new YzError(ErrorCode.KEY_WRONG_CURVE, `unsupported EC curve ${k.asymmetricKeyDetails?.namedCurve ?? '?'}`);
  }
  throw new YzError(ErrorCode.KEY_UNSUPPORTED, `unsupported key type ${k.asymmetricKeyType ?? '?'}`);
}

export function keyAlgorithmOf(key: PrivateKey | PublicKey): KeyAlgorithm {
  switch (key.type) {
    case 'sm2-private':
    case 'sm2-public':
      return 'sm2';
    case 'rsa-private':
    case 'rsa-public':
      return 'rsa';
    default:
      return 'p256';
  }
}

/** What an AlgorithmIdentifier in SPKI/PKCS#8 says: SM2 is handled by our code, everything else by Node. */
function isSm2Algorithm(alg: ReturnType<typeof readSingle>): boolean {
  const parts = children(alg, 4);
  const oid = readOid(expectTag(parts[0], Tag.OID, 'algorithm'));
  if (oid === Oid.sm2Curve) return true;
  return oid === Oid.ecPublicKey && parts[1]?.tag === Tag.OID && readOid(parts[1]) === Oid.sm2Curve;
}

function structural<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof YzError && e.code !== ErrorCode.DER_MALFORMED) throw e;
    throw new YzError(ErrorCode.KEY_MALFORMED, `malformed ${what}`, undefined, { cause: e });
  }
}

function nodeKey<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof YzError) throw e;
    throw new YzError(ErrorCode.KEY_MALFORMED, `malformed or unsupported ${what}`, undefined, { cause: e });
  }
}

/** PKCS#8 / EC / RSA private key, PEM or DER. Encrypted PEM keys are not read here (see pki for PKCS#12). */
export function importPrivateKey(input: string | Uint8Array): PrivateKey {
  if (typeof input === 'string' || looksLikePem(input)) {
    const { label, der } = pemDecode(input, ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY', 'RSA PRIVATE KEY']);
    if (label === 'SM2 PRIVATE KEY') return sm2PrivateKeyFromEcPrivateKey(der);
    if (label === 'EC PRIVATE KEY') {
      const ecParams = structural('EC private key', () => children(readSingle(der), 8).find((p) => p.tag === 0xa0));
      const isSm2 = ecParams ? structural('EC private key', () => readOid(readSingle(ecParams.value))) === Oid.sm2Curve : false;
      if (isSm2) return sm2PrivateKeyFromEcPrivateKey(der);
      return nodeKey('EC private key', () => new NodePrivateKey(createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'sec1' })));
    }
    if (label === 'RSA PRIVATE KEY') {
      return nodeKey('RSA private key', () => new NodePrivateKey(createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' })));
    }
    return importPrivateKey(der);
  }
  const sm2 = structural('PKCS#8 private key', () => {
    const top = children(readSingle(input), 8);
    return isSm2Algorithm(expectTag(top[1], Tag.SEQUENCE, 'algorithm'));
  });
  if (sm2) return sm2PrivateKeyFromPkcs8(input);
  return nodeKey('PKCS#8 private key', () => new NodePrivateKey(createPrivateKey({ key: Buffer.from(input), format: 'der', type: 'pkcs8' })));
}

/** SPKI public key, PEM or DER. */
export function importPublicKey(input: string | Uint8Array): PublicKey {
  if (typeof input === 'string' || looksLikePem(input)) return importPublicKey(pemDecode(input, ['PUBLIC KEY']).der);
  const sm2 = structural('SubjectPublicKeyInfo', () => isSm2Algorithm(expectTag(children(readSingle(input), 3)[0], Tag.SEQUENCE, 'algorithm')));
  if (sm2) return sm2PublicKeyFromSpki(input);
  return nodeKey('public key', () => new NodePublicKey(createPublicKey({ key: Buffer.from(input), format: 'der', type: 'spki' })));
}

export function publicKeySpki(key: PublicKey): Uint8Array {
  return key.type === 'sm2-public' ? key.toSpkiDer() : key.spki;
}

export type KeygenAlgorithm = 'sm2' | 'p256' | 'rsa2048' | 'rsa3072';

export function generateKeyPair(alg: KeygenAlgorithm): PrivateKey {
  switch (alg) {
    case 'sm2':
      return Sm2PrivateKey.generate();
    case 'p256':
      return new NodePrivateKey(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    case 'rsa2048':
    case 'rsa3072':
      return new NodePrivateKey(generateKeyPairSync('rsa', { modulusLength: alg === 'rsa2048' ? 2048 : 3072 }).privateKey);
    default:
      throw new YzError(ErrorCode.ALGORITHM_UNSUPPORTED, `unknown key algorithm ${String(alg)}`);
  }
}

export { Sm2PrivateKey, Sm2PublicKey };
