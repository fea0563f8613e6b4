/**
 * A package with several documents (GB/T 33190 §7.4: one DocBody per document, each with its own Signatures list):
 * any document can be signed, in any order, without breaking the signatures of the others; a vendor package where
 * signing a document would have to change a protected OFD.xml is refused, not broken.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateToPem } from '@yinzhang/pki';
import type { SignatureReport } from '@yinzhang/report';
import { OfdPackage, ZipArchive, createOfd, signOfdWithSeal, verifyOfd, writeZip } from '../src/index.js';
import { rejectsWith, replaceEntry, tempDir } from './helpers.js';
import { testPki } from './pki.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Two documents: Doc_0 (two pages) and Doc_1 (one page, another text), named by two DocBody elements. */
function twoDocuments(): Uint8Array {
  const a = ZipArchive.read(createOfd({ pages: ['第一份文件 甲方（盖章）：', '第一份文件 第二页'] }));
  const b = ZipArchive.read(createOfd({ pages: ['第二份文件 乙方（盖章）：'] }));
  const ofdXml = dec.decode(a.read('OFD.xml')!);
  const body = /<ofd:DocBody>[\s\S]*<\/ofd:DocBody>/.exec(ofdXml)![0];
  const twoBodies = ofdXml.replace(body, body + body.replace('Doc_0/Document.xml', 'Doc_1/Document.xml'));
  return writeZip([
    { name: 'OFD.xml', data: enc.encode(twoBodies) },
    ...a.entries.filter((e) => e.name !== 'OFD.xml').map((e) => ({ name: e.name, copy: e })),
    ...b.entries.filter((e) => e.name !== 'OFD.xml').map((e) => ({ name: e.name.replace(/^Doc_0\//, 'Doc_1/'), data: b.read(e.name)! })),
  ]);
}

async function sign(ofd: Uint8Array, i: number, document?: number, mode?: 'lock') {
  const pki = await testPki();
  return signOfdWithSeal(ofd, {
    seal: pki.seals[i]!, signer: pki.signers[i]!.signer, certificate: pki.signers[i]!.cert.der,
    placement: { kind: 'keyword', keyword: '盖章', first: true },
    ...(document !== undefined ? { document } : {}), ...(mode ? { mode } : {}),
  });
}

async function reports(ofd: Uint8Array): Promise<SignatureReport[]> {
  const pki = await testPki();
  return (await verifyOfd(ofd, { trustAnchors: [pki.root.cert.der] })).signatures;
}

function assertAllPassed(sigs: SignatureReport[], n: number): void {
  assert.equal(sigs.length, n);
  for (const s of sigs) assert.equal(s.indication, 'TOTAL_PASSED', `${s.id}: ${JSON.stringify(s.checks)} ${s.messages.map((m) => m.en).join(' | ')}`);
}

test('the second document signed first, then the first, then the second again: every signature stays valid', async () => {
  const pkg0 = OfdPackage.open(twoDocuments());
  assert.equal(pkg0.docBodies().length, 2);
  const doc1Page = pkg0.document('Doc_1/Document.xml').pages[0]!.id;

  const s1 = await sign(twoDocuments(), 0, 1);
  assert.equal(s1.signaturePath, 'Doc_1/Signs/Sign_0/Signature.xml');
  assert.equal(s1.stampAnnots[0]!.pageRef, doc1Page, 'the keyword was searched in the chosen document');
  const pkg1 = OfdPackage.open(s1.ofd);
  const bodies = pkg1.docBodies();
  assert.equal(bodies[1]!.signatures, 'Doc_1/Signs/Signatures.xml');
  // The other document got an empty list, so that signing it later leaves the (now protected) OFD.xml alone.
  assert.equal(bodies[0]!.signatures, 'Doc_0/Signs/Signatures.xml');
  assert.equal(pkg1.signatures('Doc_0/Signs/Signatures.xml').entries.length, 0);
  const refs = pkg1.signature(s1.signaturePath).references.map((r) => r.path);
  assert.ok(refs.includes('OFD.xml') && refs.includes('Doc_0/Document.xml') && refs.includes('Doc_1/Document.xml'));
  assert.ok(!refs.some((r) => r?.endsWith('Signatures.xml')), 'continue mode leaves both lists open');
  assertAllPassed(await reports(s1.ofd), 1);

  const s2 = await sign(s1.ofd, 1, 0);
  assert.equal(s2.signaturePath, 'Doc_0/Signs/Sign_0/Signature.xml');
  assert.deepEqual([...ZipArchive.read(s2.ofd).read('OFD.xml')!], [...pkg1.read('OFD.xml')], 'OFD.xml untouched by the second signature');
  assertAllPassed(await reports(s2.ofd), 2);

  const s3 = await sign(s2.ofd, 2, 1);
  assert.equal(s3.signaturePath, 'Doc_1/Signs/Sign_1/Signature.xml');
  const all = await reports(s3.ofd);
  assertAllPassed(all, 3);
  // The later signature of document 1 protects the earlier signatures' files of both documents.
  const refs3 = OfdPackage.open(s3.ofd).signature(s3.signaturePath).references.map((r) => r.path);
  assert.ok(refs3.includes('Doc_0/Signs/Sign_0/SignedValue.dat') && refs3.includes('Doc_1/Signs/Sign_0/Seal.esl'));
});

test('a lock signature on one document locks that document only', async () => {
  const locked = (await sign(twoDocuments(), 0, 0, 'lock')).ofd;
  const refs = OfdPackage.open(locked).signature('Doc_0/Signs/Sign_0/Signature.xml').references.map((r) => r.path);
  assert.ok(refs.includes('Doc_0/Signs/Signatures.xml') && !refs.includes('Doc_1/Signs/Signatures.xml'));
  await rejectsWith(() => sign(locked, 1, 0), 'OFD_SIGNATURES_LOCKED');
  const other = (await sign(locked, 1, 1)).ofd;
  assertAllPassed(await reports(other), 2);
});

test('a package whose signed OFD.xml would have to change is refused with a clear error', async () => {
  // Vendor-style: document 0's signature protects OFD.xml and document 1 has no Signatures list (made here by removing
  // the name of the empty list we write; the refusal looks at what earlier signatures reference, not at their validity).
  const signed = (await sign(twoDocuments(), 0, 0)).ofd;
  const unnamed = replaceEntry(signed, 'OFD.xml', (d) => enc.encode(dec.decode(d).replace('<ofd:Signatures>/Doc_1/Signs/Signatures.xml</ofd:Signatures>', '')));
  assert.equal(OfdPackage.open(unnamed).docBodies()[1]!.signatures, undefined);
  await assert.rejects(() => sign(unnamed, 1, 1), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'OFD_SIGNATURES_LOCKED');
    assert.match(e.message, /OFD\.xml/);
    return true;
  });
  // Signing document 0 needs no change to OFD.xml and is still possible.
  assert.equal((await reports((await sign(unnamed, 1, 0)).ofd)).length, 2);
});

test('an unnamed Signatures.xml where a new list would go is refused, not overwritten', async () => {
  const base = twoDocuments();
  const withOrphan = writeZip([...ZipArchive.read(base).entries.map((e) => ({ name: e.name, copy: e })), { name: 'Doc_1/Signs/Signatures.xml', data: enc.encode('<x/>') }]);
  await rejectsWith(() => sign(withOrphan, 0, 0), 'OFD_MALFORMED');
});

test('a document index that does not exist is refused', async () => {
  await rejectsWith(() => sign(twoDocuments(), 0, 2), 'INVALID_ARGUMENT');
  await rejectsWith(() => sign(twoDocuments(), 0, -1), 'INVALID_ARGUMENT');
  await rejectsWith(() => sign(twoDocuments(), 0, 0.5), 'INVALID_ARGUMENT');
});

test('CLI: sign --doc 2 signs the second document; a missing document or a bad --doc exits 2', async () => {
  const pki = await testPki();
  const dir = tempDir();
  const f = (n: string) => join(dir, n);
  writeFileSync(f('k.pem'), pki.signers[0]!.key.toPem());
  writeFileSync(f('c.pem'), certificateToPem(pki.signers[0]!.cert));
  writeFileSync(f('s.esl'), pki.seals[0]!);
  writeFileSync(f('root.pem'), certificateToPem(pki.root.cert));
  writeFileSync(f('two.ofd'), twoDocuments());
  const bin = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;
  const yz = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'zh_CN.UTF-8' } });
  const base = ['sign', f('two.ofd'), '--key', f('k.pem'), '--cert', f('c.pem'), '--seal', f('s.esl'), '--keyword', '盖章'];
  let r = yz(...base, '--doc', '2', '--out', f('b.ofd'));
  assert.equal(r.status, 0, r.stderr);
  const out = new Uint8Array(readFileSync(f('b.ofd')));
  assert.equal(OfdPackage.open(out).signature('Doc_1/Signs/Sign_0/Signature.xml').stampAnnots.length, 1);
  r = yz('verify', f('b.ofd'), '--trust', f('root.pem'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  r = yz(...base, '--doc', '3', '--out', f('c.ofd'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /document 2|文档|document/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  r = yz(...base, '--doc', '0', '--out', f('c.ofd'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--doc/);
});
