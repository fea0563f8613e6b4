/**
 * PDF signing and verification throughput (docs/s) for 100 KB and 10 MB documents, and the peak RSS of verifying a
 * 1 GB PDF (generated in a temp dir, signed by appending, verified in a child process, deleted). Reference: the time
 * `sha256sum` needs to read the same 1 GB file, measured in the same run.
 * Set PDF_BENCH_BIG_MB to change the big file size (default 1024).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner, generateKeyPair } from '@yinzhang/gm';
import { issueCertificate } from '@yinzhang/pki';
import { FileSource, nodeHashFactory, signPdfDocument, verifyPdfDocument } from '../src/node.js';
import { signPdfAppend } from '../src/index.js';
import { cmsContainer } from '../src/cms-container.js';
import { makePdf, writeBigPdf } from '../test/helpers.js';

if (process.argv[2] === '--verify-child') {
  const src = new FileSource(process.argv[3]!);
  const t0 = performance.now();
  const rep = await verifyPdfDocument(src, { hashFactory: nodeHashFactory });
  const ms = performance.now() - t0;
  src.close();
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, indication: rep.indication, integrity: rep.signatures[0]?.checks.integrity }));
  process.exit(0);
}

const key = generateKeyPair('p256');
const signer = createSigner(key);
const root = await issueCertificate({ profile: 'root', subject: 'CN=Bench Root', issuer: { signer }, days: 30 });
const leafKey = generateKeyPair('p256');
const leaf = await issueCertificate({ profile: 'signer', subject: 'CN=Bench Signer', publicKey: leafKey.publicKey, issuer: { signer, certificate: root }, days: 10 });
const leafSigner = createSigner(leafKey);

async function rate(label: string, fn: () => Promise<unknown>, minMs = 1500): Promise<void> {
  await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || n < 3) {
    await fn();
    n++;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(40)} ${(n / s).toFixed(1).padStart(8)} docs/s`);
}

for (const [label, pad] of [['100 KB', 90_000], ['10 MB', 10_000_000]] as const) {
  const pdf = await makePdf({ pages: 3, padBytes: pad });
  const signed = (await signPdfDocument(pdf, { signer: leafSigner, certificate: leaf.der, placement: { kind: 'page', page: 1, xMm: 20, yMm: 20 } })).bytes;
  console.log(`# ${label} PDF: ${(pdf.length / 1e6).toFixed(2)} MB`);
  await rate(`sign ECDSA P-256 (${label})`, () => signPdfDocument(pdf, { signer: leafSigner, certificate: leaf.der, placement: { kind: 'page', page: 1, xMm: 20, yMm: 20 } }));
  await rate(`verify (${label}, in memory)`, () => verifyPdfDocument(signed, { trustAnchors: [root.der], hashFactory: nodeHashFactory }));
}

// 1 GB: a page plus one huge stream object written in chunks, signed by appending, verified in a child.
const bigMb = Number(process.env.PDF_BENCH_BIG_MB ?? 1024);
const dir = mkdtempSync(join(tmpdir(), 'yz-pdf-bench-'));
try {
  const path = join(dir, 'big.pdf');
  writeBigPdf(path, bigMb);
  const src = new FileSource(path);
  const t0 = performance.now();
  const r = await signPdfAppend(src, { container: cmsContainer({ signer: leafSigner, certificate: leaf.der }), hashFactory: nodeHashFactory });
  src.close();
  appendFileSync(path, r.appended);
  console.log(`# ${bigMb} MB PDF`);
  console.log(`sign by appending (${bigMb} MB)`.padEnd(40), `${((performance.now() - t0) / 1000).toFixed(2)} s`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--verify-child', path], { encoding: 'utf8' });
  const res = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; maxRssMb: number; indication: string; integrity: string };
  const t1 = performance.now();
  spawnSync('sha256sum', [path]);
  const refMs = performance.now() - t1;
  console.log(`verify (${bigMb} MB, streamed)`.padEnd(40), `${(res.ms / 1000).toFixed(2)} s, peak RSS ${res.maxRssMb.toFixed(0)} MB, integrity ${res.integrity}`);
  console.log(`reference: sha256sum of the same file`.padEnd(40), `${(refMs / 1000).toFixed(2)} s (verify/sha256sum = ${(res.ms / refMs).toFixed(2)}; verify also computes SM3 of the whole file)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
