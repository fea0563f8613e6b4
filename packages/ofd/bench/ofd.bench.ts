/**
 * OFD sign and verify docs/s for a one-page invoice-sized OFD and a 100-page OFD, with peak memory, beside the
 * crypto floor measured in the same run: the SM2 operations and the SM3 over every protected byte that one
 * sign / verify cannot avoid. Ratio = docs/s ÷ floor rate; 1.0 would mean zip and XML handling cost nothing.
 */
import { Sm2PrivateKey, sm2Sign, sm2Verify, sm3 } from '@yinzhang/gm';
import { OfdPackage, createOfd, signOfdWithSeal, verifyOfd } from '../src/index.js';
import { testPki } from '../test/pki.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function rate(fn: () => Promise<unknown> | unknown, seconds = SECONDS): Promise<{ perSecond: number; peakRss: number }> {
  for (let i = 0; i < 3; i++) await fn();
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage.rss();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    await fn();
    n++;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    now = performance.now();
  }
  return { perSecond: (n * 1000) / (now - start), peakRss };
}

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (b: number) => `${fmt(b / 1024 / 1024, 0)} MB`;

const invoiceLines = [
  '电子发票（增值税专用发票）', '发票号码：99999951    开票日期：2026年11月24日',
  '购买方名称：科游迈利有限公司    统一社会信用代码：9150010807MGZHI002',
  '销售方名称：杭州融易算企业管理咨询有限公司    统一社会信用代码：91500106MA2CE71F65',
  ...Array.from({ length: 12 }, (_, i) => `*现代服务*咨询服务 ${i + 1}    1    100.00    6%    6.00`),
  '价税合计（大写）：叁佰壹拾捌元整    （小写）¥318.00', '备注：', '开票人：任盈盈    销售方（盖章）：',
];
const pageText = (p: number) => [`第 ${p} 页`, ...Array.from({ length: 40 }, (_, i) => `第 ${i + 1} 条  本合同项下的权利义务依照中华人民共和国有关法律法规执行，双方应诚实守信。`)].join('\n');

(globalThis as { gc?: () => void }).gc?.();
const baselineRss = process.memoryUsage.rss();
const pki = await testPki();
const s = pki.signers[0]!;
const docs = {
  'invoice, 1 page': createOfd({ pages: [invoiceLines.join('\n')] }),
  '100 pages': createOfd({ pages: Array.from({ length: 100 }, (_, i) => pageText(i + 1)) }),
};

// Crypto floor ingredients.
const key = Sm2PrivateKey.generate();
const msg = new Uint8Array(32).fill(7);
const sig = sm2Sign(key, msg);
const sm2SignRate = (await rate(() => sm2Sign(key, msg), 1)).perSecond;
const sm2VerifyRate = (await rate(() => sm2Verify(key.publicKey, msg, sig), 1)).perSecond;
const block = new Uint8Array(1 << 20);
const sm3Rate = (await rate(() => sm3(block), 1)).perSecond * (1 << 20); // bytes/s

const rows: string[][] = [['document', 'size', 'op', 'docs/s', 'crypto floor docs/s', 'ratio', 'peak RSS']];
for (const [name, ofd] of Object.entries(docs)) {
  const pkg = OfdPackage.open(ofd);
  let protectedBytes = 0;
  for (const e of pkg.zip.entries) protectedBytes += e.size;
  protectedBytes += pki.seals[0]!.length;
  const signOpts = { seal: pki.seals[0]!, signer: s.signer, certificate: s.cert.der, placement: { kind: 'keyword' as const, keyword: '盖章', first: true } };
  if (name !== 'invoice, 1 page') Object.assign(signOpts, { placement: { kind: 'at', page: 1, x: 150, y: 240 } });
  const signed = (await signOfdWithSeal(ofd, signOpts)).ofd;

  // Sign: one SM2 signature (the seal is made beforehand) + SM3 over every protected part and Signature.xml.
  const signFloor = 1 / (1 / sm2SignRate + protectedBytes / sm3Rate);
  const sr = await rate(() => signOfdWithSeal(ofd, signOpts));
  rows.push([name, `${fmt(ofd.length / 1024)} KiB`, 'sign', fmt(sr.perSecond), fmt(signFloor), fmt(sr.perSecond / signFloor, 2), mb(sr.peakRss)]);

  // Verify: SM2 verifications of the signature and of the seal maker's signature + SM3 over everything referenced.
  const verifyFloor = 1 / (2 / sm2VerifyRate + protectedBytes / sm3Rate);
  const vr = await rate(async () => {
    const r = await verifyOfd(signed);
    if (r.signatures[0]?.checks.integrity !== 'passed') throw new Error('benchmark document does not verify');
  });
  rows.push([name, `${fmt(signed.length / 1024)} KiB`, 'verify', fmt(vr.perSecond), fmt(verifyFloor), fmt(vr.perSecond / verifyFloor, 2), mb(vr.peakRss)]);
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
console.log(`(reference in this run: SM2 sign ${fmt(sm2SignRate, 0)}/s, SM2 verify ${fmt(sm2VerifyRate, 0)}/s, SM3 ${fmt(sm3Rate / 1e6)} MB/s; RSS after loading the modules ${mb(baselineRss)})`);
