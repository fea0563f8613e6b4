/**
 * ByteRange digests (§12.8.1): the signed bytes are the two ranges around /Contents. Hashing reads fixed-size chunks
 * through the ByteSource so memory stays bounded whatever the file size. The incremental hash comes from a factory
 * because the gm crypto provider only offers one-shot digests; the Node entry passes node:crypto's streaming hashes.
 */
import { digest, type DigestAlgorithm } from '@yinzhang/gm/portable';
import type { ByteSource } from './source.js';

export interface IncrementalHash {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

export type HashFactory = (alg: DigestAlgorithm) => IncrementalHash;

/** Portable fallback: collects the data and hashes it once through the crypto provider (memory grows with input). */
export const bufferingHashFactory: HashFactory = (alg) => {
  const parts: Uint8Array[] = [];
  let total = 0;
  return {
    update(d) {
      parts.push(d.slice());
      total += d.length;
    },
    digest() {
      const all = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      return digest(alg, all);
    },
  };
};

export const CHUNK = 1 << 20;

/** Feeds the ranges [start, length]... of the source into one or more hashes. */
export function hashRanges(source: ByteSource, ranges: [number, number][], hashes: IncrementalHash[]): void {
  for (const [start, len] of ranges) {
    for (let p = start; p < start + len; p += CHUNK) {
      const chunk = source.read(p, Math.min(CHUNK, start + len - p));
      for (const h of hashes) h.update(chunk);
    }
  }
}

export function byteRangePairs(br: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < br.length; i += 2) out.push([br[i]!, br[i + 1]!]);
  return out;
}

export interface HashJob {
  ranges: [number, number][];
  hashes: IncrementalHash[];
}

/**
 * One sequential pass over the source feeding every job the parts of each chunk that fall in its ranges, so the
 * file digests (report file info) and all signatures' ByteRange digests cost a single read of the file.
 */
export function runHashJobs(source: ByteSource, jobs: HashJob[]): void {
  const end = Math.max(0, ...jobs.flatMap((j) => j.ranges.map(([s, l]) => s + l)));
  for (let p = 0; p < end; p += CHUNK) {
    const chunk = source.read(p, Math.min(CHUNK, end - p));
    const cEnd = p + chunk.length;
    for (const job of jobs) {
      for (const [s, l] of job.ranges) {
        const a = Math.max(s, p), b = Math.min(s + l, cEnd);
        if (a < b) for (const h of job.hashes) h.update(chunk.subarray(a - p, b - p));
      }
    }
    if (chunk.length === 0) break;
  }
}
