/**
 * Turns a seal picture (PNG or JPEG, as found in GB/T 38540 SES_ESPictrueInfo or produced by seal-image) into PDF
 * image XObjects: JPEG is embedded as DCTDecode, PNG is unfiltered and split into colour + /SMask so the seal keeps its
 * transparent background on the page.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { PdfDict, PdfStream, PdfString, name, type PdfObject } from './objects.js';
import { pngUnpredict } from './filters.js';

export interface PdfImage {
  width: number;
  height: number;
  /** The colour image; `smask` (if any) must be written as an object and referenced from /SMask. */
  image: PdfStream;
  smask?: PdfStream;
}

const MAX_PIXELS = 40_000_000;

function bad(why: string): YzError {
  return new YzError(ErrorCode.UNSUPPORTED, `seal picture: ${why}`);
}

export function imageKind(b: Uint8Array): 'png' | 'jpeg' | 'unknown' {
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8) return 'jpeg';
  return 'unknown';
}

function stream(entries: Record<string, PdfObject>, data: Uint8Array): PdfStream {
  const d = new PdfDict();
  for (const [k, v] of Object.entries(entries)) d.set(k, v);
  return new PdfStream(d, -1, data.length, data);
}

function jpeg(b: Uint8Array): PdfImage {
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) throw bad('corrupt JPEG');
    const marker = b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (b[p + 5]! << 8) | b[p + 6]!;
      const width = (b[p + 7]! << 8) | b[p + 8]!;
      const comps = b[p + 9]!;
      const cs = comps === 1 ? 'DeviceGray' : comps === 4 ? 'DeviceCMYK' : 'DeviceRGB';
      const image = stream({ Type: name('XObject'), Subtype: name('Image'), Width: width, Height: height, ColorSpace: name(cs), BitsPerComponent: 8, Filter: name('DCTDecode') }, b);
      return { width, height, image };
    }
    p += 2 + len;
  }
  throw bad('JPEG without a frame header');
}

function png(b: Uint8Array): PdfImage {
  let p = 8;
  let width = 0, height = 0, depth = 0, ctype = 0, interlace = 0;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (p + 8 <= b.length) {
    const len = ((b[p]! << 24) >>> 0) + (b[p + 1]! << 16) + (b[p + 2]! << 8) + b[p + 3]!;
    const type = String.fromCharCode(b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    if (p + 12 + len > b.length) throw bad('truncated PNG');
    const data = b.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      width = ((data[0]! << 24) >>> 0) + (data[1]! << 16) + (data[2]! << 8) + data[3]!;
      height = ((data[4]! << 24) >>> 0) + (data[5]! << 16) + (data[6]! << 8) + data[7]!;
      depth = data[8]!;
      ctype = data[9]!;
      interlace = data[12]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    p += 12 + len;
  }
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) throw bad('PNG size is zero or too large');
  if (interlace !== 0) throw bad('interlaced PNG is not supported');
  if (depth !== 8) throw bad(`PNG bit depth ${depth} is not supported (8 only)`);
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[ctype];
  if (!channels) throw bad(`PNG colour type ${ctype}`);
  const total = idat.reduce((a, x) => a + x.length, 0);
  const z = new Uint8Array(total);
  let o = 0;
  for (const x of idat) {
    z.set(x, o);
    o += x.length;
  }
  let raw: Uint8Array;
  try {
    raw = pngUnpredict(unzlibSync(z), channels, 8, width);
  } catch {
    throw bad('corrupt PNG image data');
  }
  if (raw.length < width * height * channels) throw bad('PNG image data is short');
  const colorChannels = ctype === 0 || ctype === 4 ? 1 : ctype === 3 ? 1 : 3;
  const color = new Uint8Array(width * height * colorChannels);
  let alpha: Uint8Array | undefined;
  if (ctype === 4 || ctype === 6) alpha = new Uint8Array(width * height);
  if (ctype === 3 && trns) alpha = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    if (ctype === 6) {
      color[i * 3] = raw[s]!;
      color[i * 3 + 1] = raw[s + 1]!;
      color[i * 3 + 2] = raw[s + 2]!;
      alpha![i] = raw[s + 3]!;
    } else if (ctype === 4) {
      color[i] = raw[s]!;
      alpha![i] = raw[s + 1]!;
    } else {
      for (let c = 0; c < channels; c++) color[i * channels + c] = raw[s + c]!;
      if (ctype === 3 && alpha) alpha[i] = trns![raw[s]!] ?? 255;
    }
  }
  let colorSpace: PdfObject = name(colorChannels === 1 ? 'DeviceGray' : 'DeviceRGB');
  if (ctype === 3) {
    if (!palette) throw bad('palette PNG without PLTE');
    colorSpace = [name('Indexed'), name('DeviceRGB'), palette.length / 3 - 1, hexString(palette)];
  }
  const image = stream({ Type: name('XObject'), Subtype: name('Image'), Width: width, Height: height, ColorSpace: colorSpace, BitsPerComponent: 8, Filter: name('FlateDecode') }, zlibSync(color, { level: 6 }));
  const smask = alpha ? stream({ Type: name('XObject'), Subtype: name('Image'), Width: width, Height: height, ColorSpace: name('DeviceGray'), BitsPerComponent: 8, Filter: name('FlateDecode') }, zlibSync(alpha, { level: 6 })) : undefined;
  return smask ? { width, height, image, smask } : { width, height, image };
}

function hexString(b: Uint8Array): PdfString {
  return new PdfString(b, true);
}

export function pdfImage(picture: Uint8Array): PdfImage {
  const kind = imageKind(picture);
  if (kind === 'png') return png(picture);
  if (kind === 'jpeg') return jpeg(picture);
  throw bad('only PNG and JPEG pictures can be placed in a PDF');
}
