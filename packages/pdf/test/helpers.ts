/** Test fixtures made at test time: keys and certificates (pki), seal pictures, seals (ses), PDFs (pdf-lib). */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createSigner, generateKeyPair, type KeygenAlgorithm, type PrivateKey } from '@yinzhang/gm';
import { issueCertificate, type Certificate } from '@yinzhang/pki';
import { buildSeal } from '@yinzhang/ses';

export interface Party {
  key: PrivateKey;
  cert: Certificate;
}

export interface TestPki {
  root: Party;
  issue(cn: string, alg?: KeygenAlgorithm, profile?: 'signer' | 'seal-maker' | 'tsa'): Promise<Party>;
}

export async function makePki(alg: KeygenAlgorithm): Promise<TestPki> {
  const rootKey = generateKeyPair(alg);
  const rootSigner = createSigner(rootKey);
  const rootCert = await issueCertificate({ profile: 'root', subject: 'CN=PDF Test Root,O=yinzhang,C=CN', issuer: { signer: rootSigner }, days: 365 });
  return {
    root: { key: rootKey, cert: rootCert },
    async issue(cn, a = alg, profile = 'signer') {
      const key = generateKeyPair(a);
      const cert = await issueCertificate({ profile, subject: `CN=${cn},O=yinzhang,C=CN`, publicKey: key.publicKey, issuer: { signer: rootSigner, certificate: rootCert }, days: 30 });
      return { key, cert };
    },
  };
}

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A red ring on a transparent background, as an RGBA PNG. */
export function sealPng(size = 120, topHalfOnly = false): Uint8Array {
  const rows: number[] = [];
  const r = size / 2;
  for (let y = 0; y < size; y++) {
    rows.push(0);
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - r + 0.5, y - r + 0.5);
      const on = topHalfOnly ? y < r : (d < r - 1 && d > r - 8) || (Math.abs(x - r) < 12 && Math.abs(y - r) < 12);
      rows.push(220, 20, 30, on ? 255 : 0);
    }
  }
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, size);
  dv.setUint32(4, size);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', ihdr), chunk('IDAT', zlibSync(Uint8Array.from(rows))), chunk('IEND', new Uint8Array(0))];
  const total = parts.reduce((a, p) => a + p.length, 0);
  const png = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    png.set(p, o);
    o += p.length;
  }
  return png;
}

export async function makeSeal(maker: Party, signers: Party[], opts: { validEnd?: Date } = {}): Promise<Uint8Array> {
  return buildSeal({
    vid: 'yinzhang-test',
    esID: '1100000000001',
    type: 1,
    name: 'PDF Test Seal',
    signerCertificates: signers.map((s) => s.cert.der),
    validStart: new Date(Date.now() - 86_400_000),
    validEnd: opts.validEnd ?? new Date(Date.now() + 30 * 86_400_000),
    picture: { type: 'PNG', data: sealPng(), widthMm: 40, heightMm: 40 },
    maker: { signer: createSigner(maker.key), certificate: maker.cert.der },
  });
}

/** A multi-page PDF with text, made by pdf-lib. */
export async function makePdf(opts: { pages?: number; objectStreams?: boolean; text?: string; padBytes?: number } = {}): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.setProducer('pdf-lib');
  const font = await d.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (opts.pages ?? 2); i++) {
    const p = d.addPage([595.28, 841.89]);
    p.drawText(`Page ${i + 1}. ${opts.text ?? 'This contract is agreed by Party A and Party B.'}`, { x: 60, y: 760, size: 14, font });
    p.drawText('Signature of Party A:', { x: 60, y: 200, size: 12, font });
  }
  if (opts.padBytes) {
    // incompressible filler so the file reaches a given size
    const filler = new Uint8Array(opts.padBytes);
    let s = 1;
    for (let i = 0; i < filler.length; i++) filler[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
    await d.attach(filler, 'filler.bin', { mimeType: 'application/octet-stream' });
  }
  return d.save({ useObjectStreams: opts.objectStreams ?? false });
}

export function tempDir(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'yz-pdf-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes an unsigned PDF of about `mb` MiB to `path` without holding it in memory: one page and one huge stream. */
export function writeBigPdf(path: string, mb: number): void {
  const fd = openSync(path, 'w');
  let pos = 0;
  const offsets: number[] = [];
  const w = (s: string | Uint8Array): void => {
    const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    writeSync(fd, b);
    pos += b.length;
  };
  w('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  offsets[1] = pos; w('1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n');
  offsets[2] = pos; w('2 0 obj\n<</Type /Pages /Kids [3 0 R] /Count 1>>\nendobj\n');
  offsets[3] = pos; w('3 0 obj\n<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R>>\nendobj\n');
  const content = 'BT /F1 12 Tf 72 720 Td (big) Tj ET\n';
  offsets[4] = pos; w(`4 0 obj\n<</Length ${content.length}>>\nstream\n${content}\nendstream\nendobj\n`);
  const len = mb * 1024 * 1024;
  offsets[5] = pos; w(`5 0 obj\n<</Length ${len}>>\nstream\n`);
  const chunk = new Uint8Array(16 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  for (let left = len; left > 0; left -= chunk.length) w(chunk.subarray(0, Math.min(chunk.length, left)));
  w('\nendstream\nendobj\n');
  const xref = pos;
  w(`xref\n0 6\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<</Size 6 /Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`);
  closeSync(fd);
}
