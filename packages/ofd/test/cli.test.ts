/** `yinzhang ofd create`, `yinzhang sign`, `yinzhang verify` on OFD, run as a user would (child process). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateToPem } from '@yinzhang/pki';
import { OfdPackage, writeZip } from '../src/index.js';
import { INTEROP, flipByte, tempDir } from './helpers.js';
import { testPki } from './pki.js';

const BIN = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;
// Each CLI run costs a process start (~1-2 s); the core flow always runs, the exhaustive variants only when slow tests are on.
const SLOW = process.env.YINZHANG_SLOW_TESTS === '1';

function yz(args: string[], lang = 'zh_CN.UTF-8') {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LANG: lang } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function setup() {
  const pki = await testPki();
  const dir = tempDir();
  const f = (n: string) => join(dir, n);
  for (const [i, s] of pki.signers.entries()) {
    writeFileSync(f(`k${i}.pem`), s.key.toPem());
    writeFileSync(f(`c${i}.pem`), certificateToPem(s.cert));
    writeFileSync(f(`s${i}.esl`), pki.seals[i]!);
  }
  writeFileSync(f('root.pem'), certificateToPem(pki.root.cert));
  return { dir, f };
}

test('create → sign (keyword, continue) → sign (riding, lock) → verify; lock refuses a third; exit codes', async () => {
  const { f } = await setup();
  let r = yz(['ofd', 'create', '--pages', '3', '--text', '合同第 {n} 页\\n甲方（盖章）：', '--out', f('a.ofd')]);
  assert.equal(r.status, 0, r.stderr);
  r = yz(['verify', f('a.ofd')]);
  assert.equal(r.status, 4, 'no signature');
  r = yz(['sign', f('a.ofd'), '--out', f('b.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem'), '--seal', f('s0.esl'), '--keyword', '盖章']);
  assert.equal(r.status, 0, r.stderr);
  r = yz(['sign', f('b.ofd'), '--out', f('c.ofd'), '--key', f('k1.pem'), '--cert', f('c1.pem'), '--seal', f('s1.esl'), '--riding', '--mode', 'lock', '--size', '30x30']);
  assert.equal(r.status, 0, r.stderr);
  const pkg = OfdPackage.open(new Uint8Array(readFileSync(f('c.ofd'))));
  assert.equal(pkg.signature('Doc_0/Signs/Sign_0/Signature.xml').stampAnnots.length, 3, 'keyword on each of 3 pages');
  assert.deepEqual(pkg.signature('Doc_0/Signs/Sign_1/Signature.xml').stampAnnots.map((a) => a.clip), [[0, 0, 10, 30], [10, 0, 10, 30], [20, 0, 10, 30]]);

  r = yz(['verify', f('c.ofd'), '--json', '--trust', f('root.pem')]);
  assert.equal(r.status, 0, r.stdout);
  const rep = JSON.parse(r.stdout);
  assert.equal(rep.format, 'ofd');
  assert.equal(rep.indication, 'TOTAL_PASSED');
  assert.equal(rep.signatures.length, 2);
  assert.equal(rep.file.name, 'c.ofd');
  r = yz(['verify', f('c.ofd')]);
  assert.equal(r.status, 3, 'INDETERMINATE without anchors');
  assert.match(r.stdout, /无法确定/);

  r = yz(['sign', f('c.ofd'), '--out', f('d.ofd'), '--key', f('k2.pem'), '--cert', f('c2.pem'), '--seal', f('s2.esl')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /OFD_SIGNATURES_LOCKED/);

  writeFileSync(f('t.ofd'), flipByte(new Uint8Array(readFileSync(f('c.ofd'))), 'Doc_0/Pages/Page_0/Content.xml', (n) => n - 30));
  r = yz(['verify', f('t.ofd'), '--json', '--trust', f('root.pem')]);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).signatures[0].checks.integrity, 'failed');

  // Unreadable input: exit 2 with the error code, no stack trace.
  writeFileSync(f('text.ofd'), 'just text, not a zip');
  r = yz(['verify', f('text.ofd')]);
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stderr, /at .*\.ts:/, 'no stack trace');
  writeFileSync(f('nozip.ofd'), writeZip([{ name: 'Doc_0/Document.xml', data: new TextEncoder().encode('<a/>') }]));
  r = yz(['verify', f('nozip.ofd')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /OFD_MISSING_PART/);
});

test('sign: Type="Sign" without --seal, page/at placement, bad usage', { skip: !SLOW && 'slow (YINZHANG_SLOW_TESTS=1)' }, async () => {
  const { f } = await setup();
  yz(['ofd', 'create', '--pages', '2', '--out', f('a.ofd')]);
  let r = yz(['sign', f('a.ofd'), '--out', f('b.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem')]);
  assert.equal(r.status, 0, r.stderr);
  r = yz(['verify', f('b.ofd'), '--json', '--trust', f('root.pem')]);
  assert.equal(r.status, 0, r.stdout);
  assert.equal(JSON.parse(r.stdout).signatures[0].kind, 'sign');
  r = yz(['sign', f('a.ofd'), '--out', f('c.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem'), '--seal', f('s0.esl'), '--page', '2', '--at', '100,200']);
  assert.equal(r.status, 0, r.stderr);
  const pkg = OfdPackage.open(new Uint8Array(readFileSync(f('c.ofd'))));
  const pages = pkg.document('Doc_0/Document.xml').pages;
  assert.deepEqual(pkg.signature('Doc_0/Signs/Sign_0/Signature.xml').stampAnnots.map((a) => [a.pageRef, a.boundary]), [[pages[1]!.id, [100, 200, 40, 40]]]);
  // Wrong key for the certificate, page out of range, conflicting placements, unknown keyword.
  assert.equal(yz(['sign', f('a.ofd'), '--out', f('x.ofd'), '--key', f('k1.pem'), '--cert', f('c0.pem'), '--seal', f('s0.esl')]).status, 2);
  r = yz(['sign', f('a.ofd'), '--out', f('x.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem'), '--seal', f('s0.esl'), '--page', '7', '--at', '1,1']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /OFD_PAGE_OUT_OF_RANGE/);
  assert.equal(yz(['sign', f('a.ofd'), '--out', f('x.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem'), '--riding', '--keyword', 'x']).status, 2);
  r = yz(['sign', f('a.ofd'), '--out', f('x.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem'), '--seal', f('s0.esl'), '--keyword', '没有']);
  assert.match(r.stderr, /OFD_KEYWORD_NOT_FOUND/);
  assert.equal(yz(['sign', f('a.ofd'), '--out', f('x.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem'), '--mode', 'both']).status, 2);
  // A signer whose certificate is not in the seal is refused at signing.
  assert.equal(yz(['sign', f('a.ofd'), '--out', f('x.ofd'), '--key', f('k1.pem'), '--cert', f('c1.pem'), '--seal', f('s0.esl')]).status, 2);
});

test('verify: interop fixtures give the MANIFEST exit codes; bad inputs exit 2', { skip: !SLOW && 'slow (YINZHANG_SLOW_TESTS=1)' }, async () => {
  const { f } = await setup();
  assert.equal(yz(['ofd', 'create', '--out', f('a.ofd')]).status, 0);
  assert.equal(yz(['verify', join(INTEROP, 'v4signed.ofd')]).status, 3);
  assert.equal(yz(['verify', join(INTEROP, 'testImageNotFound.ofd')]).status, 3);
  assert.equal(yz(['verify', join(INTEROP, 'h.ofd')]).status, 1);
  const n = yz(['verify', join(INTEROP, 'n.ofd'), '--json']);
  assert.equal(n.status, 1);
  assert.equal(JSON.parse(n.stdout).signatures[0].checks.integrity, 'failed');
  // Signing a vendor file whose Signatures.xml is protected is refused.
  const h = yz(['sign', join(INTEROP, 'h.ofd'), '--out', f('h2.ofd'), '--key', f('k0.pem'), '--cert', f('c0.pem'), '--seal', f('s0.esl')]);
  assert.equal(h.status, 2);
  assert.match(h.stderr, /OFD_SIGNATURES_LOCKED/);

  // --p12: the ofdrw USER certificate expired in 2022, so a signature made now fails certificateValidity.
  const p12 = yz(['sign', f('a.ofd'), '--out', f('p12.ofd'), '--p12', join(INTEROP, 'USER.p12'), '--password', '777777']);
  assert.equal(p12.status, 0, p12.stderr);
  const p12v = yz(['verify', f('p12.ofd'), '--json']);
  assert.equal(p12v.status, 1);
  assert.equal(JSON.parse(p12v.stdout).signatures[0].subIndication, 'EXPIRED');
  assert.equal(yz(['sign', f('a.ofd'), '--out', f('x.ofd'), '--p12', join(INTEROP, 'USER.p12'), '--password', 'wrong']).status, 2);
  const en = yz(['verify', join(INTEROP, 'h.ofd'), '--lang', 'en']);
  assert.match(en.stdout, /TOTAL_FAILED/);
  writeFileSync(f('evil.ofd'), writeZip([{ name: 'OFD.xml', data: new Uint8Array(1) }, { name: '../../evil', data: new Uint8Array(1) }]));
  const evil = yz(['verify', f('evil.ofd')]);
  assert.equal(evil.status, 2);
  assert.match(evil.stderr, /OFD_UNSAFE_PATH/);
  const truncated = readFileSync(join(INTEROP, 'h.ofd')).subarray(0, 5000);
  writeFileSync(f('trunc.ofd'), truncated);
  assert.equal(yz(['verify', f('trunc.ofd')]).status, 2);
  assert.equal(yz(['verify', f('missing-file.ofd')]).status, 2);
  assert.equal(yz(['verify', join(INTEROP, 'h.ofd'), '--at', 'yesterday']).status, 2);
});
