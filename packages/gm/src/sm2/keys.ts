/**
 * SM2 key objects and their encodings: PKCS#8 / SPKI (PEM, DER) and raw (32-byte d, 65-byte 04‖x‖y).
 * The private scalar lives in a private field and is redacted from inspect/JSON so it cannot reach a log by accident.
 */
import { ErrorCode, YzError } from '../errors.js';
import { bigIntToBytes, bytesToBigInt, bytesEqual } from '../bytes.js';
import {
  Tag, children, derBitString, derContext, derInteger, derOctetString, derOid, derSequence, expectTag, readOid,
  readSingle, readSmallInteger,
} from '../der.js';
import { Oid } from '../algorithms.js';
import { pemDecode, pemEncode } from '../pem.js';
import { SM2_CURVE } from './curve.js';
import type { Point } from './curve.js';

export class Sm2PublicKey {
  readonly type = 'sm2-public' as const;
  /** Uncompressed point 04‖x‖y. */
  readonly raw: Uint8Array;
  /** @internal cached curve point */
  readonly point: Point;

  private constructor(raw: Uint8Array, point: Point) {
    this.raw = raw;
    this.point = point;
  }

  /** Accepts 65-byte uncompressed or 33-byte compressed points; checks the point is on the SM2 curve. */
  static fromRaw(bytes: Uint8Array): Sm2PublicKey {
    if (bytes.length !== 65 && bytes.length !== 33) {
      throw new YzError(ErrorCode.KEY_WRONG_LENGTH, `SM2 public key must be 65 (or 33 compressed) bytes, got ${bytes.length}`);
    }
    let point: Point;
    try {
      point = SM2_CURVE.Point.fromBytes(bytes);
      point.assertValidity();
    } catch (e) {
      throw new YzError(ErrorCode.POINT_NOT_ON_CURVE, 'SM2 public key is not a point on the SM2 curve', undefined, { cause: e });
    }
    return new Sm2PublicKey(point.toBytes(false), point);
  }

  static fromPoint(point: Point): Sm2PublicKey {
    return new Sm2PublicKey(point.toBytes(false), point);
  }

  toSpkiDer(): Uint8Array {
    return derSequence(derSequence(derOid(Oid.ecPublicKey), derOid(Oid.sm2Curve)), derBitString(this.raw));
  }

  toPem(): string {
    return pemEncode('PUBLIC KEY', this.toSpkiDer());
  }

  equals(other: Sm2PublicKey): boolean {
    return bytesEqual(this.raw, other.raw);
  }
}

export class Sm2PrivateKey {
  readonly type = 'sm2-private' as const;
  readonly publicKey: Sm2PublicKey;
  readonly #d: bigint;

  private constructor(d: bigint, publicKey: Sm2PublicKey) {
    this.#d = d;
    this.publicKey = publicKey;
  }

  /** d must satisfy 1 ≤ d ≤ n−2 (GB/T 32918.1 §6.1). */
  static fromScalar(d: bigint): Sm2PrivateKey {
    if (d < 1n || d > SM2_CURVE.n - 2n) throw new YzError(ErrorCode.KEY_MALFORMED, 'SM2 private key out of range [1, n-2]');
    return new Sm2PrivateKey(d, Sm2PublicKey.fromPoint(SM2_CURVE.Point.BASE.multiply(d)));
  }

  static fromRaw(bytes: Uint8Array): Sm2PrivateKey {
    if (bytes.length !== 32) throw new YzError(ErrorCode.KEY_WRONG_LENGTH, `SM2 private key must be 32 bytes, got ${bytes.length}`);
    return Sm2PrivateKey.fromScalar(bytesToBigInt(bytes));
  }

  static generate(): Sm2PrivateKey {
    // Rejection sampling for a uniform d in [1, n-2].
    for (;;) {
      const d = bytesToBigInt(crypto.getRandomValues(new Uint8Array(32)));
      if (d >= 1n && d <= SM2_CURVE.n - 2n) return Sm2PrivateKey.fromScalar(d);
    }
  }

  /** @internal the scalar, for the signing and decryption code of this package only. */
  scalar(): bigint {
    return this.#d;
  }

  toRaw(): Uint8Array {
    return bigIntToBytes(this.#d, 32);
  }

  /** PKCS#8 with the ECPrivateKey's public key, as OpenSSL writes it. */
  toPkcs8Der(): Uint8Array {
    const ecPrivateKey = derSequence(derInteger(1), derOctetString(this.toRaw()), derContext(1, derBitString(this.publicKey.raw)));
    return derSequence(derInteger(0), derSequence(derOid(Oid.ecPublicKey), derOid(Oid.sm2Curve)), derOctetString(ecPrivateKey));
  }

  toPem(): string {
    return pemEncode('PRIVATE KEY', this.toPkcs8Der());
  }

  toJSON(): unknown {
    return { type: this.type, publicKey: this.publicKey.raw.length, d: '[redacted]' };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Sm2PrivateKey { [redacted] }';
  }
}

/** Reads the curve from an AlgorithmIdentifier; SM2 may be named by ecPublicKey + SM2 curve, or by the SM2 OID alone. */
function checkSm2Algorithm(alg: ReturnType<typeof readSingle>): void {
  const parts = children(alg, 4);
  const algOid = readOid(expectTag(parts[0], Tag.OID, 'algorithm'));
  if (algOid === Oid.sm2Curve) return;
  if (algOid !== Oid.ecPublicKey) throw new YzError(ErrorCode.KEY_UNSUPPORTED, `not an EC key (algorithm ${algOid})`, { oid: algOid });
  const curve = parts[1] && parts[1].tag === Tag.OID ? readOid(parts[1]) : undefined;
  if (curve !== Oid.sm2Curve) throw new YzError(ErrorCode.KEY_WRONG_CURVE, `EC key is not on the SM2 curve (curve ${curve ?? 'explicit/absent'})`, { curve });
}

function wrapKeyError<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof YzError && e.code !== ErrorCode.DER_MALFORMED) throw e;
    throw new YzError(ErrorCode.KEY_MALFORMED, `malformed ${what}`, undefined, { cause: e });
  }
}

export function sm2PublicKeyFromSpki(der: Uint8Array): Sm2PublicKey {
  return wrapKeyError('SubjectPublicKeyInfo', () => {
    const [alg, bits] = children(readSingle(der), 3);
    checkSm2Algorithm(expectTag(alg, Tag.SEQUENCE, 'algorithm'));
    const bs = expectTag(bits, Tag.BIT_STRING, 'subjectPublicKey');
    if (bs.value[0] !== 0) throw new YzError(ErrorCode.KEY_MALFORMED, 'public key BIT STRING has unused bits');
    return Sm2PublicKey.fromRaw(bs.value.subarray(1));
  });
}

export function sm2PrivateKeyFromPkcs8(der: Uint8Array): Sm2PrivateKey {
  return wrapKeyError('PKCS#8 private key', () => {
    const top = children(readSingle(der), 8);
    readSmallInteger(expectTag(top[0], Tag.INTEGER, 'version'));
    checkSm2Algorithm(expectTag(top[1], Tag.SEQUENCE, 'algorithm'));
    return sm2PrivateKeyFromEcPrivateKey(expectTag(top[2], Tag.OCTET_STRING, 'privateKey').value);
  });
}

/** RFC 5915 ECPrivateKey (what `-----BEGIN EC PRIVATE KEY-----` holds). */
export function sm2PrivateKeyFromEcPrivateKey(der: Uint8Array): Sm2PrivateKey {
  return wrapKeyError('EC private key', () => {
    const parts = children(readSingle(der), 8);
    const d = expectTag(parts[1], Tag.OCTET_STRING, 'privateKey').value;
    for (const p of parts.slice(2)) {
      if (p.tag === 0xa0) {
        const curve = readOid(readSingle(p.value));
        if (curve !== Oid.sm2Curve) throw new YzError(ErrorCode.KEY_WRONG_CURVE, `EC key is not on the SM2 curve (curve ${curve})`);
      }
    }
    if (d.length > 32 || d.length === 0) throw new YzError(ErrorCode.KEY_WRONG_LENGTH, 'SM2 private key must be 32 bytes');
    const key = Sm2PrivateKey.fromScalar(bytesToBigInt(d));
    const pub = parts.find((p) => p.tag === 0xa1);
    if (pub) {
      const bs = expectTag(readSingle(pub.value), Tag.BIT_STRING, 'publicKey');
      if (!bytesEqual(Sm2PublicKey.fromRaw(bs.value.subarray(1)).raw, key.publicKey.raw)) {
        throw new YzError(ErrorCode.KEY_MALFORMED, 'public key in the EC private key does not match the private scalar');
      }
    }
    return key;
  });
}

/** PEM (PRIVATE KEY / EC PRIVATE KEY) or DER PKCS#8. */
export function importSm2PrivateKey(input: string | Uint8Array): Sm2PrivateKey {
  if (typeof input === 'string' || looksLikePem(input)) {
    // OpenSSL 3 labels SEC1 SM2 keys "SM2 PRIVATE KEY".
    const { label, der } = pemDecode(input, ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY']);
    return label === 'PRIVATE KEY' ? sm2PrivateKeyFromPkcs8(der) : sm2PrivateKeyFromEcPrivateKey(der);
  }
  return sm2PrivateKeyFromPkcs8(input);
}

/** PEM or DER SubjectPublicKeyInfo. */
export function importSm2PublicKey(input: string | Uint8Array): Sm2PublicKey {
  if (typeof input === 'string' || looksLikePem(input)) return sm2PublicKeyFromSpki(pemDecode(input, ['PUBLIC KEY']).der);
  return sm2PublicKeyFromSpki(input);
}

export function looksLikePem(b: Uint8Array): boolean {
  // "-----BEGIN", possibly after a UTF-8 BOM or whitespace
  const head = new TextDecoder().decode(b.subarray(0, 64));
  return head.trimStart().replace(/^\uFEFF/, '').startsWith('-----BEGIN');
}
