/**
 * RC2 decryption (RFC 2268), CBC mode. Only needed to open legacy PKCS#12 files (pbeWithSHAAnd40BitRC2-CBC, as
 * Java keytool and Bouncy Castle write the certificate bag); Node's OpenSSL 3 keeps RC2 in the unloaded legacy
 * provider, so it is implemented here. Decryption only: we never write RC2.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';

const PITABLE = Uint8Array.from(
  ('d978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
    '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
    '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b2555973' +
    '12d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad')
    .match(/../g)!
    .map((h) => parseInt(h, 16)),
);

function expandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  const T = key.length;
  if (T < 1 || T > 128) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'RC2 key must be 1..128 bytes');
  const L = new Uint8Array(128);
  L.set(key);
  for (let i = T; i < 128; i++) L[i] = PITABLE[(L[i - 1]! + L[i - T]!) & 0xff]!;
  const T8 = Math.ceil(effectiveBits / 8);
  const TM = 0xff >> (8 * T8 - effectiveBits);
  L[128 - T8] = PITABLE[L[128 - T8]! & TM]!;
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1]! ^ L[i + T8]!]!;
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i]! | (L[2 * i + 1]! << 8);
  return K;
}

const ROT = [1, 2, 3, 5];

function decryptBlock(K: Uint16Array, block: Uint8Array, out: Uint8Array): void {
  const R = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) R[i] = block[2 * i]! | (block[2 * i + 1]! << 8);
  let j = 63;
  const mix = () => {
    for (let i = 3; i >= 0; i--) {
      const s = ROT[i]!;
      let r = R[i]!;
      r = ((r >>> s) | (r << (16 - s))) & 0xffff;
      r = (r - K[j--]! - (R[(i + 3) & 3]! & R[(i + 2) & 3]!) - (~R[(i + 3) & 3]! & R[(i + 1) & 3]!)) & 0xffff;
      R[i] = r;
    }
  };
  const mash = () => {
    for (let i = 3; i >= 0; i--) R[i] = (R[i]! - K[R[(i + 3) & 3]! & 63]!) & 0xffff;
  };
  for (let n = 0; n < 5; n++) mix();
  mash();
  for (let n = 0; n < 6; n++) mix();
  mash();
  for (let n = 0; n < 5; n++) mix();
  for (let i = 0; i < 4; i++) {
    out[2 * i] = R[i]! & 0xff;
    out[2 * i + 1] = R[i]! >> 8;
  }
}

/** RC2 ECB decryption of one 8-byte block (for tests against RFC 2268 vectors). */
export function rc2DecryptBlock(key: Uint8Array, effectiveBits: number, block: Uint8Array): Uint8Array {
  const out = new Uint8Array(8);
  decryptBlock(expandKey(key, effectiveBits), block, out);
  return out;
}

/** RC2-CBC decryption; the PKCS#7 padding is left for the caller to check. */
export function rc2CbcDecrypt(key: Uint8Array, effectiveBits: number, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== 8 || data.length % 8 !== 0 || data.length === 0) throw new YzError(ErrorCode.CIPHERTEXT_MALFORMED, 'RC2-CBC: bad IV or data length');
  const K = expandKey(key, effectiveBits);
  const out = new Uint8Array(data.length);
  const tmp = new Uint8Array(8);
  let prev = iv;
  for (let off = 0; off < data.length; off += 8) {
    const block = data.subarray(off, off + 8);
    decryptBlock(K, block, tmp);
    for (let i = 0; i < 8; i++) out[off + i] = tmp[i]! ^ prev[i]!;
    prev = block;
  }
  return out;
}
