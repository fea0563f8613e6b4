/**
 * SM3 Merkle tree in the style of RFC 9162 §2.1: leaf hash = SM3(0x00 ‖ entry), node hash = SM3(0x01 ‖ left ‖ right),
 * split at the largest power of two smaller than n. The "frontier" (roots of the perfect subtrees, left to right)
 * lets the log append in O(log n) and still give the RFC 9162 root.
 */
import { concatBytes, sm3 } from '@yinzhang/gm';

export const leafHash = (entry: Uint8Array): Uint8Array => sm3(concatBytes(Uint8Array.of(0), entry));
export const nodeHash = (l: Uint8Array, r: Uint8Array): Uint8Array => sm3(concatBytes(Uint8Array.of(1), l, r));
export const EMPTY_ROOT = (): Uint8Array => sm3(new Uint8Array(0));

/** Frontier: perfect-subtree roots with their heights, largest first. */
export interface FrontierNode { h: number; hash: Uint8Array }

export function frontierAppend(frontier: FrontierNode[], leaf: Uint8Array): FrontierNode[] {
  const out = frontier.slice();
  let node: FrontierNode = { h: 0, hash: leaf };
  while (out.length > 0 && out[out.length - 1]!.h === node.h) {
    const left = out.pop()!;
    node = { h: node.h + 1, hash: nodeHash(left.hash, node.hash) };
  }
  out.push(node);
  return out;
}

export function frontierRoot(frontier: FrontierNode[]): Uint8Array {
  if (frontier.length === 0) return EMPTY_ROOT();
  let r = frontier[frontier.length - 1]!.hash;
  for (let i = frontier.length - 2; i >= 0; i--) r = nodeHash(frontier[i]!.hash, r);
  return r;
}

const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH(D[n]) over leaf hashes. */
export function rootOf(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1. */
export function inclusionProof(m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  if (m < k) return [...inclusionProof(m, leaves.slice(0, k)), rootOf(leaves.slice(k))];
  return [...inclusionProof(m - k, leaves.slice(k)), rootOf(leaves.slice(0, k))];
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1. */
export function consistencyProof(m: number, leaves: Uint8Array[]): Uint8Array[] {
  const sub = (mm: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
    if (mm === d.length) return b ? [] : [rootOf(d)];
    const k = split(d.length);
    if (mm <= k) return [...sub(mm, d.slice(0, k), b), rootOf(d.slice(k))];
    return [...sub(mm - k, d.slice(k), false), rootOf(d.slice(0, k))];
  };
  if (m <= 0 || m >= leaves.length) return [];
  return sub(m, leaves, true);
}
