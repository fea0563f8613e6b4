/**
 * The zip container of an OFD (GB/T 33190 §7.2). The container itself is parsed here rather than by a zip library
 * because signing must copy untouched entries byte for byte (their compressed data, CRC and sizes), which zip
 * libraries that decompress-and-recompress cannot do; (de)compression itself is fflate's. Every size, count and
 * ratio is checked against OfdLimits from the central directory *before* anything is inflated, and inflation writes
 * into a buffer of the declared size, so a lying or hostile archive cannot allocate more than the limits allow.
 * No Node-only import: verification runs in browsers too.
 */
import { deflateSync, inflateSync } from 'fflate';
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { type OfdLimits, resolveLimits } from './limits.js';

export interface ZipEntry {
  /** Name as stored (forward slashes, no leading slash). */
  name: string;
  isDirectory: boolean;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  dosTime: number;
  dosDate: number;
  /** The exact compressed bytes (a view into the input). */
  raw: Uint8Array;
  nameBytes: Uint8Array;
}

const SIG_EOCD = 0x06054b50;
const SIG_CD = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

function zipError(message: string, details?: Record<string, unknown>): YzError {
  return new YzError(ErrorCode.OFD_ZIP_MALFORMED, message, details);
}

/**
 * (De)compression and CRC: fflate and a table CRC everywhere (browsers included); the Node entry installs zlib's
 * native ones (several times faster) through setZipCodec. Both honour the same contract: inflateRaw never returns
 * more than `limit` bytes.
 */
export interface ZipCodec {
  /** Inflates raw deflate data, stopping after `limit` output bytes (a longer stream is reported by its length). */
  inflateRaw(data: Uint8Array, limit: number): Uint8Array;
  deflateRaw(data: Uint8Array, level: number): Uint8Array;
  crc32(data: Uint8Array): number;
}

let crcTables: Uint32Array[] | undefined;
/** CRC-32 (ISO 3309), slicing-by-4. */
function crc32Js(data: Uint8Array): number {
  if (!crcTables) {
    const t0 = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t0[n] = c >>> 0;
    }
    crcTables = [t0];
    for (let k = 1; k < 4; k++) {
      const prev = crcTables[k - 1]!;
      const t = new Uint32Array(256);
      for (let n = 0; n < 256; n++) t[n] = (t0[prev[n]! & 0xff]! ^ (prev[n]! >>> 8)) >>> 0;
      crcTables.push(t);
    }
  }
  const [t0, t1, t2, t3] = crcTables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = 0xffffffff;
  let i = 0;
  const n4 = data.length & ~3;
  for (; i < n4; i += 4) {
    c ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    c = t3[c & 0xff]! ^ t2[(c >>> 8) & 0xff]! ^ t1[(c >>> 16) & 0xff]! ^ t0[c >>> 24]!;
  }
  for (; i < data.length; i++) c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const portableZipCodec: ZipCodec = {
  // fflate never writes past the buffer it is given.
  inflateRaw: (data, limit) => inflateSync(data, { out: new Uint8Array(limit) }),
  deflateRaw: (data, level) => deflateSync(data, { level: Math.max(0, Math.min(9, level)) as 6 }),
  crc32: crc32Js,
};

let codec: ZipCodec = portableZipCodec;

export function setZipCodec(c: ZipCodec): void {
  codec = c;
}

export function crc32(data: Uint8Array): number {
  return codec.crc32(data);
}

/**
 * A zip name is safe when it stays inside the package: no absolute path, no drive letter, no `..` segment, no NUL.
 * Backslashes count as separators because some Windows tools write them and some extractors honour them.
 */
export function checkSafeName(name: string): void {
  const n = name.replace(/\\/g, '/');
  if (n.includes('\0') || n.startsWith('/') || /^[a-zA-Z]:/.test(n) || n.split('/').some((s) => s === '..')) {
    throw new YzError(ErrorCode.OFD_UNSAFE_PATH, `unsafe path in package: ${JSON.stringify(name)}`, { name });
  }
}

export class ZipArchive {
  readonly entries: ZipEntry[];
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLowerName = new Map<string, ZipEntry>();
  private readonly cache = new Map<string, Uint8Array>();
  private cachedBytes = 0;
  /** Inflated parts are kept for re-reads (several signatures reference the same pages) up to this many bytes. */
  static cacheBudget = 64 * 1024 * 1024;
  private readonly limits: OfdLimits;

  private constructor(entries: ZipEntry[], limits: OfdLimits) {
    this.entries = entries;
    this.limits = limits;
    for (const e of entries) {
      if (this.byName.has(e.name)) throw new YzError(ErrorCode.OFD_UNSAFE_PATH, `duplicate entry ${e.name}`, { name: e.name });
      this.byName.set(e.name, e);
      if (!this.byLowerName.has(e.name.toLowerCase())) this.byLowerName.set(e.name.toLowerCase(), e);
    }
  }

  static read(bytes: Uint8Array, partialLimits?: Partial<OfdLimits>): ZipArchive {
    const limits = resolveLimits(partialLimits);
    return new ZipArchive(parseCentralDirectory(bytes, limits), limits);
  }

  /** Exact name first; a case-insensitive match second (vendors disagree on the case of folder names). */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  has(name: string): boolean {
    const e = this.entry(name);
    return e !== undefined && !e.isDirectory;
  }

  /** Uncompressed bytes of an entry, CRC-checked; undefined when absent. */
  read(name: string): Uint8Array | undefined {
    const e = this.entry(name);
    if (!e || e.isDirectory) return undefined;
    const hit = this.cache.get(e.name);
    if (hit) return hit;
    const data = inflateEntry(e);
    if (this.cachedBytes + data.length <= ZipArchive.cacheBudget) {
      this.cache.set(e.name, data);
      this.cachedBytes += data.length;
    }
    return data;
  }

  get limitsInUse(): Readonly<OfdLimits> {
    return this.limits;
  }
}

function parseCentralDirectory(bytes: Uint8Array, limits: OfdLimits): ZipEntry[] {
  if (bytes.length < 22) throw new YzError(ErrorCode.OFD_NOT_ZIP, 'not a zip archive (too short)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (dv.getUint32(i, true) === SIG_EOCD && i + 22 + dv.getUint16(i + 20, true) <= bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const isLocal = bytes.length >= 4 && dv.getUint32(0, true) === SIG_LOCAL;
    if (isLocal) throw zipError('zip archive is truncated (no end of central directory)');
    throw new YzError(ErrorCode.OFD_NOT_ZIP, 'not a zip archive');
  }
  if (eocd >= 20 && dv.getUint32(eocd - 20, true) === SIG_ZIP64_LOCATOR) {
    throw new YzError(ErrorCode.UNSUPPORTED, 'zip64 archives are not supported');
  }
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (count > limits.maxEntries) {
    throw new YzError(ErrorCode.LIMIT_EXCEEDED, `zip has ${count} entries (limit ${limits.maxEntries})`, { count, limit: limits.maxEntries });
  }
  if (cdOffset + cdSize > eocd) throw zipError('central directory lies outside the archive');
  const entries: ZipEntry[] = [];
  const dec = new TextDecoder('utf-8');
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || dv.getUint32(p, true) !== SIG_CD) throw zipError(`central directory entry ${i} is malformed`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const dosTime = dv.getUint16(p + 12, true);
    const dosDate = dv.getUint16(p + 14, true);
    const crc = dv.getUint32(p + 16, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const localOffset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > eocd) throw zipError(`central directory entry ${i} is truncated`);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = dec.decode(nameBytes);
    p += 46 + nameLen + extraLen + commentLen;
    checkSafeName(name);
    const isDirectory = name.endsWith('/');
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      throw new YzError(ErrorCode.UNSUPPORTED, 'zip64 entries are not supported', { name });
    }
    if (flags & 1) throw zipError(`entry ${name} is encrypted`, { name });
    if (method !== 0 && method !== 8) throw zipError(`entry ${name} uses unsupported compression method ${method}`, { name, method });
    if (size > limits.maxEntryBytes) {
      throw new YzError(ErrorCode.LIMIT_EXCEEDED, `entry ${name} is ${size} bytes uncompressed (limit ${limits.maxEntryBytes})`, { name, size });
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new YzError(ErrorCode.LIMIT_EXCEEDED, `package is over ${limits.maxTotalBytes} bytes uncompressed`, { limit: limits.maxTotalBytes });
    }
    if (size > limits.ratioMinBytes && size > compressedSize * limits.maxCompressionRatio) {
      throw new YzError(ErrorCode.LIMIT_EXCEEDED, `entry ${name} compresses ${Math.round(size / Math.max(1, compressedSize))}:1 (limit ${limits.maxCompressionRatio}:1): zip bomb?`, { name });
    }
    if (method === 0 && size !== compressedSize) throw zipError(`stored entry ${name} has inconsistent sizes`, { name });
    if (localOffset + 30 > bytes.length || dv.getUint32(localOffset, true) !== SIG_LOCAL) {
      throw zipError(`local header of ${name} is missing`, { name });
    }
    const dataStart = localOffset + 30 + dv.getUint16(localOffset + 26, true) + dv.getUint16(localOffset + 28, true);
    if (dataStart + compressedSize > bytes.length) throw zipError(`data of ${name} is truncated`, { name });
    entries.push({
      name, isDirectory, method, flags, crc, compressedSize, size, dosTime, dosDate,
      raw: bytes.subarray(dataStart, dataStart + compressedSize), nameBytes,
    });
  }
  return entries;
}

function inflateEntry(e: ZipEntry): Uint8Array {
  let data: Uint8Array;
  if (e.method === 0) {
    data = e.raw;
  } else {
    // One spare byte reveals a stream longer than declared.
    let out: Uint8Array;
    try {
      out = codec.inflateRaw(e.raw, e.size + 1);
    } catch (err) {
      throw zipError(`entry ${e.name} cannot be inflated: ${(err as Error).message}`, { name: e.name });
    }
    if (out.length !== e.size) throw zipError(`entry ${e.name} inflates to a size other than declared`, { name: e.name });
    data = out;
  }
  if (crc32(data) !== e.crc) throw zipError(`CRC mismatch in ${e.name}`, { name: e.name });
  return data;
}

/** One entry of an archive to write: either new content (level 0 = stored), or an entry copied with its exact compressed bytes. */
export type ZipOutputEntry = { name: string; data: Uint8Array; level?: number } | { name: string; copy: ZipEntry };

function dosNow(): { time: number; date: number } {
  const d = new Date();
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** Writes a zip: copied entries keep method, CRC, sizes, time and compressed bytes; new entries are deflated. */
export function writeZip(items: ZipOutputEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const now = dosNow();
  interface Prepared { nameBytes: Uint8Array; flags: number; method: number; time: number; date: number; crc: number; csize: number; size: number; raw: Uint8Array }
  const prepared: Prepared[] = items.map((it) => {
    if ('copy' in it) {
      const e = it.copy;
      // Bit 3 (data descriptor) is cleared: we write the sizes in the local header and no descriptor.
      return { nameBytes: e.nameBytes, flags: e.flags & ~0x0008, method: e.method, time: e.dosTime, date: e.dosDate, crc: e.crc, csize: e.compressedSize, size: e.size, raw: e.raw };
    }
    const nameBytes = enc.encode(it.name);
    const utf8Flag = /[^\x20-\x7e]/.test(it.name) ? 0x0800 : 0;
    const level = it.level ?? 6;
    const deflated = it.data.length > 0 && level > 0 ? codec.deflateRaw(it.data, level) : it.data;
    const stored = level === 0 || deflated.length >= it.data.length;
    return {
      nameBytes, flags: utf8Flag, method: stored ? 0 : 8, time: now.time, date: now.date, crc: crc32(it.data),
      csize: stored ? it.data.length : deflated.length, size: it.data.length, raw: stored ? it.data : deflated,
    };
  });
  let localSize = 0;
  let cdSize = 0;
  for (const p of prepared) {
    localSize += 30 + p.nameBytes.length + p.raw.length;
    cdSize += 46 + p.nameBytes.length;
  }
  if (prepared.length > 0xffff || localSize + cdSize > 0xffffffff) throw new YzError(ErrorCode.UNSUPPORTED, 'output would need zip64');
  const out = new Uint8Array(localSize + cdSize + 22);
  const dv = new DataView(out.buffer);
  const offsets: number[] = [];
  let o = 0;
  for (const p of prepared) {
    offsets.push(o);
    dv.setUint32(o, SIG_LOCAL, true);
    dv.setUint16(o + 4, 20, true);
    dv.setUint16(o + 6, p.flags, true);
    dv.setUint16(o + 8, p.method, true);
    dv.setUint16(o + 10, p.time, true);
    dv.setUint16(o + 12, p.date, true);
    dv.setUint32(o + 14, p.crc, true);
    dv.setUint32(o + 18, p.csize, true);
    dv.setUint32(o + 22, p.size, true);
    dv.setUint16(o + 26, p.nameBytes.length, true);
    dv.setUint16(o + 28, 0, true);
    out.set(p.nameBytes, o + 30);
    out.set(p.raw, o + 30 + p.nameBytes.length);
    o += 30 + p.nameBytes.length + p.raw.length;
  }
  const cdStart = o;
  prepared.forEach((p, i) => {
    dv.setUint32(o, SIG_CD, true);
    dv.setUint16(o + 4, 20, true);
    dv.setUint16(o + 6, 20, true);
    dv.setUint16(o + 8, p.flags, true);
    dv.setUint16(o + 10, p.method, true);
    dv.setUint16(o + 12, p.time, true);
    dv.setUint16(o + 14, p.date, true);
    dv.setUint32(o + 16, p.crc, true);
    dv.setUint32(o + 20, p.csize, true);
    dv.setUint32(o + 24, p.size, true);
    dv.setUint16(o + 28, p.nameBytes.length, true);
    dv.setUint32(o + 42, offsets[i]!, true);
    out.set(p.nameBytes, o + 46);
    o += 46 + p.nameBytes.length;
  });
  dv.setUint32(o, SIG_EOCD, true);
  dv.setUint16(o + 8, prepared.length, true);
  dv.setUint16(o + 10, prepared.length, true);
  dv.setUint32(o + 12, o - cdStart, true);
  dv.setUint32(o + 16, cdStart, true);
  return out;
}
