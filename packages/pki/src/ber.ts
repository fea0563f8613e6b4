/**
 * A BER reader for the containers that arrive in BER rather than DER (PKCS#12 from Java/Bouncy Castle, some CMS):
 * indefinite lengths and constructed OCTET STRINGs. Produces a tree; `octets()` joins constructed string segments.
 * Depth and node counts are bounded.
 */
import { ErrorCode, YzError, concatBytes } from '@yinzhang/gm/portable';
import { decodeOid } from '@yinzhang/gm/der';

export interface BerNode {
  tag: number;
  cls: number;
  num: number;
  constructed: boolean;
  /** Primitive contents (empty for constructed). */
  value: Uint8Array;
  children: BerNode[];
  /** The encoded node as received. */
  bytes: Uint8Array;
}

const MAX_DEPTH = 48;
const MAX_NODES = 200_000;

export function readBer(buf: Uint8Array, code: string = ErrorCode.DER_MALFORMED): BerNode {
  let nodes = 0;
  const fail = (why: string, at: number): never => {
    throw new YzError(code, `malformed BER at offset ${at}: ${why}`, { offset: at });
  };
  const read = (p: number, end: number, depth: number): [BerNode, number] => {
    if (depth > MAX_DEPTH) fail('nesting too deep', p);
    if (++nodes > MAX_NODES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${MAX_NODES} BER elements`);
    const start = p;
    if (p >= end) fail('no data', p);
    const tag = buf[p++]!;
    const cls = tag >> 6;
    const constructed = (tag & 0x20) !== 0;
    let num = tag & 0x1f;
    if (num === 0x1f) {
      num = 0;
      for (let i = 0; ; i++) {
        if (p >= end || i >= 4) fail('bad tag', p);
        const b = buf[p++]!;
        num = num * 128 + (b & 0x7f);
        if (!(b & 0x80)) break;
      }
    }
    if (p >= end) fail('truncated length', p);
    let len = buf[p++]!;
    const node: BerNode = { tag, cls, num, constructed, value: new Uint8Array(0), children: [], bytes: new Uint8Array(0) };
    if (len === 0x80) {
      if (!constructed) fail('indefinite length on a primitive', start);
      for (;;) {
        if (p + 2 <= end && buf[p] === 0 && buf[p + 1] === 0) {
          p += 2;
          break;
        }
        if (p >= end) fail('missing end-of-contents', start);
        const [c, q] = read(p, end, depth + 1);
        node.children.push(c);
        p = q;
      }
    } else {
      if (len > 0x80) {
        const n = len & 0x7f;
        if (n > 4 || p + n > end) fail('bad length', p);
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
      }
      if (p + len > end) fail(`length ${len} runs past the end`, start);
      if (constructed) {
        let q = p;
        while (q < p + len) {
          const [c, r] = read(q, p + len, depth + 1);
          node.children.push(c);
          q = r;
        }
      } else node.value = buf.subarray(p, p + len);
      p += len;
    }
    node.bytes = buf.subarray(start, p);
    return [node, p];
  };
  const [root, end] = read(0, buf.length, 0);
  if (end !== buf.length) {
    // Some writers pad after the final end-of-contents; tolerate zero padding only.
    if (buf.subarray(end).some((b) => b !== 0)) fail(`trailing ${buf.length - end} bytes`, end);
  }
  return root;
}

/** Contents of an OCTET STRING (or any string type), joining BER constructed segments. */
export function octets(n: BerNode): Uint8Array {
  if (!n.constructed) return n.value;
  return concatBytes(...n.children.map(octets));
}

export function berOid(n: BerNode | undefined, code: string): string {
  if (!n || n.tag !== 0x06) throw new YzError(code, 'expected OBJECT IDENTIFIER');
  return decodeOid(n.value);
}

export function berInt(n: BerNode | undefined, code: string): number {
  if (!n || n.tag !== 0x02 || n.value.length === 0 || n.value.length > 6) throw new YzError(code, 'expected a small INTEGER');
  let v = 0;
  for (const b of n.value) v = v * 256 + b;
  return v;
}
