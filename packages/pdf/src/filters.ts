/** Stream filters needed to read xref/object streams and page content (FlateDecode with predictors, ASCIIHex, ASCII85). */
import { unzlibSync, inflateSync } from 'fflate';
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { PdfDict, PdfName, type PdfObject } from './objects.js';
import { malformed } from './lexer.js';

/** Decoded streams larger than this are refused (bounded memory). */
export const MAX_DECODED = 256 * 1024 * 1024;

function flate(data: Uint8Array): Uint8Array {
  try {
    return unzlibSync(data);
  } catch {
    try {
      // Some writers omit or corrupt the zlib header/checksum; the raw deflate data is still usable.
      return inflateSync(data.subarray(2));
    } catch {
      throw malformed('corrupt FlateDecode stream');
    }
  }
}

export function pngUnpredict(data: Uint8Array, colors: number, bpc: number, columns: number): Uint8Array {
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const line = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      const x = line[i]!;
      let v: number;
      switch (type) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw malformed(`bad PNG predictor row type ${type}`);
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}

function asciiHex(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let hi = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      out.push((hi << 4) | v);
      hi = -1;
    }
  }
  if (hi >= 0) out.push(hi << 4);
  return Uint8Array.from(out);
}

function ascii85(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  const group: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break;
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    if (c < 0x21 || c > 0x75) continue;
    group.push(c - 33);
    if (group.length === 5) {
      const v = group.reduce((acc, d) => acc * 85 + d, 0);
      out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
      group.length = 0;
    }
  }
  if (group.length > 1) {
    const n = group.length;
    while (group.length < 5) group.push(84);
    const v = group.reduce((acc, d) => acc * 85 + d, 0);
    const bytes = [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    out.push(...bytes.slice(0, n - 1));
  }
  return Uint8Array.from(out);
}

/** Decodes `raw` by the stream dictionary's /Filter and /DecodeParms (already resolved to direct objects). */
export function decodeStream(dict: PdfDict, raw: Uint8Array, resolve: (o: PdfObject | undefined) => PdfObject | undefined): Uint8Array {
  const f = resolve(dict.get('Filter'));
  const filters = f === undefined || f === null ? [] : Array.isArray(f) ? f.map((x) => resolve(x)) : [f];
  const p = resolve(dict.get('DecodeParms'));
  const params = Array.isArray(p) ? p.map((x) => resolve(x)) : [p];
  let data = raw;
  filters.forEach((filter, i) => {
    if (!(filter instanceof PdfName)) throw malformed('stream /Filter is not a name');
    const parm = params[i];
    switch (filter.name) {
      case 'FlateDecode':
      case 'Fl': {
        data = flate(data);
        if (parm instanceof PdfDict) {
          const pred = num(resolve(parm.get('Predictor')), 1);
          if (pred >= 10) data = pngUnpredict(data, num(resolve(parm.get('Colors')), 1), num(resolve(parm.get('BitsPerComponent')), 8), num(resolve(parm.get('Columns')), 1));
          else if (pred === 2) throw new YzError(ErrorCode.PDF_UNSUPPORTED, 'TIFF predictor is not supported');
        }
        break;
      }
      case 'ASCIIHexDecode':
      case 'AHx':
        data = asciiHex(data);
        break;
      case 'ASCII85Decode':
      case 'A85':
        data = ascii85(data);
        break;
      default:
        throw new YzError(ErrorCode.PDF_UNSUPPORTED, `stream filter ${filter.name} is not supported`, { filter: filter.name });
    }
    if (data.length > MAX_DECODED) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `decoded stream larger than ${MAX_DECODED} bytes`);
  });
  return data;
}

function num(o: PdfObject | undefined, dflt: number): number {
  return typeof o === 'number' ? o : dflt;
}
