/**
 * Certificates issued/s and SM2 chain validations/s (issue 3), beside `openssl speed sm2` measured in the same run:
 * issuing costs one SM2 signature, validating a root → issuing CA → signer chain costs two SM2 verifications, so the
 * ratios show how much the X.509 encoding, parsing and path logic add on top of the raw signature operations.
 */
import { spawnSync } from 'node:child_process';
import { createSigner, generateKeyPair } from '@yinzhang/gm';
import { issueCertificate, parseCertificate, validateCertificate, issueCrl } from '../src/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function rate(fn: () => Promise<unknown>, seconds = SECONDS): Promise<number> {
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

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

const rootKey = generateKeyPair('sm2');
const root = await issueCertificate({ profile: 'root', subject: 'CN=Bench Root,O=Yinzhang,C=CN', issuer: { signer: createSigner(rootKey) } });
const caKey = generateKeyPair('sm2');
const ca = await issueCertificate({ profile: 'ca', subject: 'CN=Bench CA,O=Yinzhang,C=CN', publicKey: caKey.publicKey, issuer: { certificate: root, signer: createSigner(rootKey) } });
const caSigner = createSigner(caKey);
const leafKey = generateKeyPair('sm2');
const leaf = await issueCertificate({ profile: 'signer', subject: 'CN=张三,O=某某公司,C=CN', publicKey: leafKey.publicKey, issuer: { certificate: ca, signer: caSigner } });
const crls = [
  await issueCrl({ issuer: { certificate: ca, signer: caSigner }, nextUpdate: new Date(Date.now() + 86400e3), crlNumber: 1, revoked: [] }),
  await issueCrl({ issuer: { certificate: root, signer: createSigner(rootKey) }, nextUpdate: new Date(Date.now() + 86400e3), crlNumber: 1, revoked: [] }),
];

const ref = opensslSm2();
const issued = await rate(() => issueCertificate({ profile: 'signer', subject: 'CN=张三,O=某某公司,C=CN', publicKey: leafKey.publicKey, issuer: { certificate: ca, signer: caSigner }, crlDistributionPoints: ['http://127.0.0.1/ca.crl'] }));
// Parse from DER each time so the cost includes reading the certificates, as a relying party pays it.
const ders = [leaf.der, ca.der, root.der];
const validated = await rate(async () => {
  const [l, c, r] = ders.map((d) => parseCertificate(d));
  const v = await validateCertificate({ cert: l!, intermediates: [c!], trustAnchors: [r!], purpose: 'signer' });
  if (!v.valid) throw new Error('bench chain invalid');
});
const validatedCrl = await rate(async () => {
  const [l, c, r] = ders.map((d) => parseCertificate(d));
  const v = await validateCertificate({ cert: l!, intermediates: [c!], trustAnchors: [r!], crls, purpose: 'signer', requireRevocation: true });
  if (!v.valid) throw new Error('bench chain invalid');
});

const rows = [
  ['what', 'ours', 'reference (openssl speed sm2, same run)', 'ratio'],
  ['SM2 certificates issued/s', `${fmt(issued)} op/s`, `${fmt(ref.sign)} sign/s`, (issued / ref.sign).toFixed(2)],
  ['SM2 chain validations/s (3 certs)', `${fmt(validated)} op/s`, `${fmt(ref.verify / 2)} (verify/s ÷ 2)`, (validated / (ref.verify / 2)).toFixed(2)],
  ['… with 2 CRLs checked (4 SM2 verifies)', `${fmt(validatedCrl)} op/s`, `${fmt(ref.verify / 4)} (verify/s ÷ 4)`, (validatedCrl / (ref.verify / 4)).toFixed(2)],
];
const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i]!)).join('  '));
