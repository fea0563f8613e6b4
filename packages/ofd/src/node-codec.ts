/** zlib's native inflate/deflate/CRC for Node (installed by the Node entry, index.ts). */
import { crc32 as zlibCrc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ZipCodec } from './zip.js';

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length);

export const nodeZipCodec: ZipCodec = {
  inflateRaw(data, limit) {
    try {
      return u8(inflateRawSync(data, { maxOutputLength: limit }));
    } catch (e) {
      // Output above the limit: report "longer than declared" the way the portable codec does (limit bytes back).
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return new Uint8Array(limit);
      throw e;
    }
  },
  deflateRaw: (data, level) => u8(deflateRawSync(data, { level })),
  crc32: (data) => zlibCrc32(data) >>> 0,
};
