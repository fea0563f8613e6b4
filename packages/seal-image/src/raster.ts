/** Decoding impression pictures (PNG, JPEG) to RGBA, with explicit size limits, and encoding RGBA back to PNG. */
import { YzError } from '@yinzhang/gm/errors';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface Rgba {
  width: number;
  height: number;
  /** width × height × 4 bytes, not premultiplied. */
  data: Uint8Array;
}

export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 40_000_000;

function checkDims(width: number, height: number): void {
  if (!(width > 0 && height > 0)) throw new YzError('IMAGE_MALFORMED', 'image has no pixels');
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new YzError('IMAGE_TOO_LARGE', `image is ${width}×${height}; at most ${MAX_IMAGE_PIXELS / 1e6} megapixels`, { width, height });
  }
}

export function decodeImage(bytes: Uint8Array): Rgba {
  if (bytes.length > MAX_IMAGE_BYTES) throw new YzError('IMAGE_TOO_LARGE', `image file over ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
  const isPng = bytes.length > 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  try {
    if (isPng) {
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      checkDims(dv.getUint32(16), dv.getUint32(20));
      const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
    }
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
      checkDims(img.width, img.height);
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    if (e instanceof YzError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/maxResolutionInMP|maxMemoryUsage/i.test(msg)) throw new YzError('IMAGE_TOO_LARGE', msg, undefined, { cause: e });
    throw new YzError('IMAGE_MALFORMED', `cannot decode ${isPng ? 'PNG' : 'JPEG'}: ${msg}`, undefined, { cause: e });
  }
  throw new YzError('IMAGE_MALFORMED', 'not a PNG or JPEG image');
}

export function encodePng(img: Rgba): Uint8Array {
  const buf = PNG.sync.write({ width: img.width, height: img.height, data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength) });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
