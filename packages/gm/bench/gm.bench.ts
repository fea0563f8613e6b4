/**
 * SM2 sign/verify ops/s and SM3/SM4 MB/s, each beside `openssl speed` measured in the same run, as a ratio.
 * Goal (issue 2): SM2 sign ≥ 0.9, SM2 verify ≥ 0.9, SM3 ≥ 0.9 of OpenSSL on one core.
 */
import { spawnSync } from 'node:child_process';
import { SM2_CURVE, Sm2PrivateKey, decodeSignature, sm2ComputeE, sm2Sign, sm2Verify, sm3, sm4CbcEncrypt, sm2Backend } from '@yinzhang/gm';
import { signDigestJs, verifyDigestJs } from '../src/sm2/sign-js.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function rate(fn: () => void, seconds = SECONDS): number {
  for (let i = 0; i < 50; i++) fn(); // warm-up
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

function openssl(args: string[]): string {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

function opensslSm2(): { sign: number; verify: number } {
  const out = openssl(['speed', '-seconds', String(SECONDS), 'sm2']);
  const m = /SM2 \(CurveSM2\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`cannot parse openssl speed sm2:\n${out}`);
  return { sign: Number(m[1]), verify: Number(m[2]) };
}

/** MB/s (10^6 bytes) of an EVP algorithm on 16 KiB blocks. */
function opensslThroughput(alg: string): number {
  const out = openssl(['speed', '-seconds', String(SECONDS), '-bytes', '16384', '-evp', alg]);
  const line = out.split('\n').reverse().find((l) => l.trim().toLowerCase().startsWith(alg));
  const m = line && /([\d.]+)k\s*$/.exec(line.trim());
  if (!m) throw new Error(`cannot parse openssl speed ${alg}:\n${out}`);
  return Number(m[1]) / 1000;
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: string[][] = [];
function row(name: string, ours: number, theirs: number, unit: string, goal?: number) {
  const ratio = ours / theirs;
  rows.push([name, `${fmt(ours, unit === 'MB/s' ? 1 : 0)} ${unit}`, `${fmt(theirs, unit === 'MB/s' ? 1 : 0)} ${unit}`, ratio.toFixed(2), goal ? (ratio >= goal ? `≥ ${goal} ok` : `< ${goal} BELOW GOAL`) : '']);
}

const key = Sm2PrivateKey.generate();
const msg = new Uint8Array(32).fill(1);
const sig = sm2Sign(key, msg);

const ref = opensslSm2();
row(`SM2 sign (${sm2Backend()})`, rate(() => sm2Sign(key, msg)), ref.sign, 'op/s', 0.9);
row(`SM2 verify (${sm2Backend()})`, rate(() => sm2Verify(key.publicKey, msg, sig)), ref.verify, 'op/s', 0.9);

// The pure-JS fallback (used when the addon did not build, and the basis of a browser provider), for information.
const e = sm2ComputeE(key.publicKey, msg);
const rs = decodeSignature(sig, SM2_CURVE.n);
row('SM2 sign (pure JS fallback)', rate(() => signDigestJs(SM2_CURVE, key.scalar(), e), 1), ref.sign, 'op/s');
row('SM2 verify (pure JS fallback)', rate(() => verifyDigestJs(SM2_CURVE, key.publicKey.point, e, rs), 1), ref.verify, 'op/s');

const block = new Uint8Array(16384).fill(7);
row('SM3 16 KiB', (rate(() => sm3(block)) * block.length) / 1e6, opensslThroughput('sm3'), 'MB/s', 0.9);
const k = new Uint8Array(16);
const iv = new Uint8Array(16);
row('SM4-CBC encrypt 16 KiB', (rate(() => sm4CbcEncrypt(k, iv, block, { padding: false })) * block.length) / 1e6, opensslThroughput('sm4-cbc'), 'MB/s');

console.log(`gm benchmarks (${SECONDS}s each, one core; reference = openssl speed in this run, ${openssl(['version']).trim()})`);
const head = ['operation', 'yinzhang', 'openssl', 'ratio', 'goal'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
