/** SM3 (GB/T 32905) and friends, computed by the current crypto provider (native OpenSSL under Node). */
import type { DigestAlgorithm } from './algorithms.js';
import { getCryptoProvider } from './provider.js';
import { concatBytes } from './bytes.js';

export function digest(algorithm: DigestAlgorithm, data: Uint8Array): Uint8Array {
  return getCryptoProvider().digest(algorithm, data);
}

export function sm3(data: Uint8Array): Uint8Array {
  return getCryptoProvider().digest('sm3', data);
}

const BLOCK = 64;

/** HMAC (RFC 2104) over any provider digest; HMAC-SM3 is GB/T 15852.2 with SM3. */
export function hmac(algorithm: DigestAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  const native = getCryptoProvider().hmac;
  if (native) return native(algorithm, key, data);
  const block = algorithm === 'sha384' || algorithm === 'sha512' ? 128 : BLOCK;
  let k = key.length > block ? digest(algorithm, key) : key;
  const padded = new Uint8Array(block);
  padded.set(k);
  k = padded;
  const ipad = k.map((b) => b ^ 0x36);
  const opad = k.map((b) => b ^ 0x5c);
  return digest(algorithm, concatBytes(opad, digest(algorithm, concatBytes(ipad, data))));
}

export const hmacSm3 = (key: Uint8Array, data: Uint8Array): Uint8Array => hmac('sm3', key, data);
