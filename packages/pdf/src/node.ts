/**
 * Node-only helpers: a file-backed ByteSource (bounded memory for huge PDFs) and streaming hashes from node:crypto
 * (OpenSSL, including SM3). Kept out of the portable entry.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ErrorCode, YzError } from '@yinzhang/gm';
import type { ByteSource } from './source.js';

export class FileSource implements ByteSource {
  private fd: number;
  readonly size: number;
  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
      this.size = fstatSync(this.fd).size;
    } catch (e) {
      throw new YzError(ErrorCode.FILE_UNREADABLE, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { path });
    }
  }
  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, offset);
    const len = Math.max(0, Math.min(length, this.size - start));
    const buf = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, buf, got, len - got, start + got);
      if (n <= 0) break;
      got += n;
    }
    return got === len ? buf : buf.subarray(0, got);
  }
  close(): void {
    closeSync(this.fd);
  }
}

export { nodeHashFactory } from './node-hash.js';

export { signPdfDocument, verifyPdfDocument, timestampPdfDocument, defaultVerifiers, tsaClient, type SignPdfDocumentOptions, type VerifyPdfDocumentOptions } from './api.js';
