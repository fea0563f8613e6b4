/** Streaming hashes from node:crypto (OpenSSL, SM3 included), for ByteRange digests with bounded memory. */
import { createHash } from 'node:crypto';
import type { HashFactory } from './byte-range.js';

export const nodeHashFactory: HashFactory = (alg) => {
  const h = createHash(alg);
  return {
    update: (d) => void h.update(d),
    digest: () => new Uint8Array(h.digest()),
  };
};
