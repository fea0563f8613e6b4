/** SM4 (GB/T 32907) in ECB, CBC and CTR through Node's OpenSSL, plus an encrypt-then-MAC box for data at rest. */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode, YzError } from './errors.js';
import { concatBytes, utf8 } from './bytes.js';
import { hmacSm3 } from './hash.js';

function checkKey(key: Uint8Array): void {
  if (key.length !== 16) throw new YzError(ErrorCode.KEY_WRONG_LENGTH, `SM4 key must be 16 bytes, got ${key.length}`);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 16) throw new YzError(ErrorCode.INVALID_ARGUMENT, `SM4 IV/counter must be 16 bytes, got ${iv.length}`);
}

function run(mode: 'sm4-ecb' | 'sm4-cbc' | 'sm4-ctr', encrypt: boolean, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, padding: boolean): Uint8Array {
  checkKey(key);
  if (iv) checkIv(iv);
  if (!padding && mode !== 'sm4-ctr' && data.length % 16 !== 0) {
    throw new YzError(ErrorCode.INVALID_ARGUMENT, 'without padding, SM4 ECB/CBC data must be a multiple of 16 bytes');
  }
  const c = encrypt ? createCipheriv(mode, key, iv) : createDecipheriv(mode, key, iv);
  c.setAutoPadding(padding);
  try {
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
  } catch (e) {
    throw new YzError(ErrorCode.DECRYPTION_FAILED, 'SM4 decryption failed (bad padding or wrong key)', undefined, { cause: e });
  }
}

export interface Sm4Options {
  /** PKCS#7 padding; default true for ECB/CBC. */
  padding?: boolean;
}

export const sm4EcbEncrypt = (key: Uint8Array, data: Uint8Array, o: Sm4Options = {}): Uint8Array => run('sm4-ecb', true, key, null, data, o.padding ?? true);
export const sm4EcbDecrypt = (key: Uint8Array, data: Uint8Array, o: Sm4Options = {}): Uint8Array => run('sm4-ecb', false, key, null, data, o.padding ?? true);
export const sm4CbcEncrypt = (key: Uint8Array, iv: Uint8Array, data: Uint8Array, o: Sm4Options = {}): Uint8Array => run('sm4-cbc', true, key, iv, data, o.padding ?? true);
export const sm4CbcDecrypt = (key: Uint8Array, iv: Uint8Array, data: Uint8Array, o: Sm4Options = {}): Uint8Array => run('sm4-cbc', false, key, iv, data, o.padding ?? true);
/** CTR is its own inverse. */
export const sm4Ctr = (key: Uint8Array, counter: Uint8Array, data: Uint8Array): Uint8Array => run('sm4-ctr', true, key, counter, data, false);

// ---------------------------------------------------------------- encrypt-then-MAC box

const BOX_VERSION = 1;
const IV_LEN = 16;
const TAG_LEN = 32;

function boxKeys(masterKey: Uint8Array): { enc: Uint8Array; mac: Uint8Array } {
  if (masterKey.length !== 32) throw new YzError(ErrorCode.KEY_WRONG_LENGTH, `box master key must be 32 bytes, got ${masterKey.length}`);
  // Separate keys for encryption and MAC, derived so that one stored secret suffices.
  return { enc: hmacSm3(masterKey, utf8('yinzhang/box/sm4-ctr')).subarray(0, 16), mac: hmacSm3(masterKey, utf8('yinzhang/box/hmac-sm3')) };
}

function macInput(iv: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, aad.length);
  return concatBytes(Uint8Array.of(BOX_VERSION), iv, len, aad, ct);
}

/**
 * SM4-CTR + HMAC-SM3 encrypt-then-MAC (OpenSSL 3.0 has no SM4-GCM). Layout: version(1) ‖ iv(16) ‖ ct ‖ tag(32).
 * `aad` binds the ciphertext to its context (e.g. a key id) without being stored in it.
 */
export function boxSeal(masterKey: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = new Uint8Array(0)): Uint8Array {
  const { enc, mac } = boxKeys(masterKey);
  const iv = new Uint8Array(randomBytes(IV_LEN));
  const ct = sm4Ctr(enc, iv, plaintext);
  return concatBytes(Uint8Array.of(BOX_VERSION), iv, ct, hmacSm3(mac, macInput(iv, aad, ct)));
}

export function boxOpen(masterKey: Uint8Array, box: Uint8Array, aad: Uint8Array = new Uint8Array(0)): Uint8Array {
  const { enc, mac } = boxKeys(masterKey);
  if (box.length < 1 + IV_LEN + TAG_LEN || box[0] !== BOX_VERSION) {
    throw new YzError(ErrorCode.CIPHERTEXT_MALFORMED, 'not a yinzhang encrypted box');
  }
  const iv = box.subarray(1, 1 + IV_LEN);
  const ct = box.subarray(1 + IV_LEN, box.length - TAG_LEN);
  const tag = box.subarray(box.length - TAG_LEN);
  if (!timingSafeEqual(hmacSm3(mac, macInput(iv, aad, ct)), tag)) {
    throw new YzError(ErrorCode.AUTHENTICATION_FAILED, 'encrypted box failed authentication (tampered, or wrong key)');
  }
  return sm4Ctr(enc, iv, ct);
}
