/**
 * Random access to the bytes of a PDF. Verification reads through this interface only, so a 1 GB file is never held
 * in memory: the parser reads small windows and the ByteRange digest streams fixed-size chunks.
 */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end of the source). */
  read(offset: number, length: number): Uint8Array;
}

export class MemorySource implements ByteSource {
  constructor(readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(Math.max(0, offset), Math.min(this.bytes.length, offset + length));
  }
}

export function asSource(input: ByteSource | Uint8Array): ByteSource {
  return input instanceof Uint8Array ? new MemorySource(input) : input;
}
