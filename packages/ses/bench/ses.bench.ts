/**
 * Seal build and seal-signature verification ops/s, beside `openssl speed sm2` measured in the same run.
 * A seal build is one SM2 signature plus DER; a SES_Signature verification is two SM2 verifications (TBS and the
 * maker's) plus parsing two certificates, so the reference for it is openssl's verify rate / 2.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { createSigner } from '@yinzhang/gm';
import { parsePkcs12 } from '@yinzhang/pki';
import { buildSeal, buildSesSignature, parseSeal, parseSesSignature, verifySesSignature } from '../src/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const DIR = '/work/shared/interop/ofdrw/';

async function rate(fn: () => unknown, seconds = SECONDS): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 10; i++) await fn();
    n += 10;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

function opensslSm2(): { sign: number; verify: number } {
  const r = spawnSync('openssl', ['speed', '-seconds', String(SECONDS), 'sm2'], { encoding: 'utf8' });
  const m = /SM2 \(CurveSM2\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/.exec(r.stdout + r.stderr);
  if (!m) throw new Error(`cannot parse openssl speed sm2:\n${r.stdout}${r.stderr}`);
  return { sign: Number(m[1]), verify: Number(m[2]) };
}

const p12 = (name: string) => parsePkcs12(new Uint8Array(readFileSync(DIR + name)), '777777');
const maker = p12('SealBuilder.p12');
const user = p12('USER.p12');
const ref = parseSeal(new Uint8Array(readFileSync(DIR + 'UserV4.esl')));
const opts = {
  vid: 'bench', esID: ref.esID, type: 3, name: ref.property.name, signerCertificates: [user.certificate.der],
  createDate: ref.property.createDate, validStart: ref.property.validStart, validEnd: ref.property.validEnd,
  picture: { type: 'PNG', data: ref.picture.data, widthMm: 40, heightMm: 40 },
  maker: { signer: createSigner(maker.privateKey), certificate: maker.certificate.der },
};
const sealDer = await buildSeal(opts);
const ofdSig = unzipSync(new Uint8Array(readFileSync(DIR + 'h.ofd')))['Doc_0/Signs/Sign_1/SignedValue.dat']!;
const ourSig = await buildSesSignature({
  seal: sealDer, dataHash: new Uint8Array(32).fill(7), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml',
  signer: createSigner(user.privateKey), certificate: user.certificate.der, timeInfo: new Date('2021-01-01T00:00:00Z'),
});

const o = opensslSm2();
const rows: [string, number, string][] = [];
const buildRate = await rate(() => buildSeal(opts));
rows.push(['seal build (V4, 16 KB PNG)', buildRate, `${(buildRate / o.sign).toFixed(2)} of openssl SM2 sign (${o.sign.toFixed(0)}/s)`]);
const sigRate = await rate(() => buildSesSignature({
  seal: sealDer, dataHash: new Uint8Array(32).fill(7), propertyInfo: '/p', signer: createSigner(user.privateKey), certificate: user.certificate.der,
  timeInfo: new Date('2021-01-01T00:00:00Z'),
}));
rows.push(['SES_Signature build (V4)', sigRate, `${(sigRate / o.sign).toFixed(2)} of openssl SM2 sign`]);
const verifyRate = await rate(() => verifySesSignature(ourSig));
rows.push(['SES_Signature verify (ours)', verifyRate, `${(verifyRate / (o.verify / 2)).toFixed(2)} of openssl SM2 verify / 2 (${(o.verify / 2).toFixed(0)}/s)`]);
const ofdRate = await rate(() => verifySesSignature(ofdSig));
rows.push(['SES_Signature verify (h.ofd Sign_1)', ofdRate, `${(ofdRate / (o.verify / 2)).toFixed(2)} of openssl SM2 verify / 2`]);
rows.push(['SES_Signature parse', await rate(() => parseSesSignature(ofdSig)), '']);

for (const [name, r, note] of rows) console.log(`${name.padEnd(38)} ${r.toFixed(0).padStart(8)} op/s   ${note}`);
