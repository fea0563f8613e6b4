import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateToPem } from '@yinzhang/pki';
import { makePdf, makePki, makeSeal, tempDir } from './helpers.js';
import { PdfDocument, findSignatureFields } from '../src/index.js';

const cli = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' } });

test('yinzhang sign --seal / verify on a PDF (exit codes per docs/cli.md)', async () => {
  const t = tempDir();
  try {
    const pki = await makePki('sm2');
    const maker = await pki.issue('Maker', 'sm2', 'seal-maker');
    const s = await pki.issue('Li Si', 'sm2');
    const f = (n: string) => join(t.dir, n);
    writeFileSync(f('in.pdf'), await makePdf());
    writeFileSync(f('seal.esl'), await makeSeal(maker, [s]));
    writeFileSync(f('key.pem'), s.key.toPem());
    writeFileSync(f('cert.pem'), certificateToPem(s.cert));
    writeFileSync(f('root.pem'), certificateToPem(pki.root.cert));
    const r = run(['sign', f('in.pdf'), '--out', f('out.pdf'), '--key', f('key.pem'), '--cert', f('cert.pem'), '--seal', f('seal.esl'), '--page', '1', '--at', '120,230']);
    assert.equal(r.status, 0, r.stderr);
    const v = run(['verify', f('out.pdf'), '--json', '--trust', f('root.pem')]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const rep = JSON.parse(v.stdout);
    assert.equal(rep.format, 'pdf');
    assert.equal(rep.signatures[0].kind, 'seal');
    // without a trust anchor the chain is unknown → INDETERMINATE → exit 3
    assert.equal(run(['verify', f('out.pdf')]).status, 3);
    // unsigned → NO_SIGNATURE → exit 4
    const u = run(['verify', f('in.pdf'), '--json']);
    assert.equal(u.status, 4);
    assert.equal(JSON.parse(u.stdout).indication, 'NO_SIGNATURE');
    // tampered → exit 1
    const bytes = readFileSync(f('out.pdf'));
    const i = bytes.indexOf('stream\n') + 10; // inside the first stream's data: parsing still works
    bytes[i] = bytes[i]! ^ 0x01;
    writeFileSync(f('bad.pdf'), bytes);
    assert.equal(run(['verify', f('bad.pdf'), '--trust', f('root.pem')]).status, 1);
    // not a document, missing file, bad page → exit 2 with a message, no stack
    writeFileSync(f('junk.bin'), 'hello');
    for (const args of [['verify', f('junk.bin')], ['verify', f('missing.pdf')], ['sign', f('in.pdf'), '--out', f('x.pdf'), '--key', f('key.pem'), '--cert', f('cert.pem'), '--seal', f('seal.esl'), '--page', '9', '--at', '1,1']]) {
      const e = run(args);
      assert.equal(e.status, 2, `${args.join(' ')}: ${e.stderr}`);
      assert.doesNotMatch(e.stderr, /\n\s+at /);
    }
  } finally {
    t.done();
  }
});

test('yinzhang sign (CMS, keyword / riding / lock) and verify on a PDF', async () => {
  const t = tempDir();
  try {
    const pki = await makePki('p256');
    const s = await pki.issue('Zhao Liu', 'p256');
    const f = (n: string) => join(t.dir, n);
    writeFileSync(f('in.pdf'), await makePdf({ pages: 3 }));
    writeFileSync(f('key.pem'), s.key.toPem());
    writeFileSync(f('cert.pem'), certificateToPem(s.cert));
    writeFileSync(f('root.pem'), certificateToPem(pki.root.cert));
    const cred = ['--key', f('key.pem'), '--cert', f('cert.pem')];
    assert.equal(run(['sign', f('in.pdf'), '--out', f('a.pdf'), ...cred, '--keyword', 'Party B', '--reason', 'approve']).status, 0);
    assert.equal(run(['sign', f('a.pdf'), '--out', f('b.pdf'), ...cred, '--riding', '--size', '40x40']).status, 0);
    let v = run(['verify', f('b.pdf'), '--json', '--trust', f('root.pem')]);
    assert.equal(v.status, 0, v.stdout);
    assert.deepEqual(JSON.parse(v.stdout).signatures.map((x: { structure: string }) => x.structure), ['PAdES', 'PAdES']);
    assert.equal(run(['sign', f('in.pdf'), '--out', f('l.pdf'), ...cred, '--mode', 'lock']).status, 0);
    assert.equal(run(['sign', f('l.pdf'), '--out', f('l2.pdf'), ...cred]).status, 0);
    v = run(['verify', f('l2.pdf'), '--json', '--trust', f('root.pem')]);
    assert.equal(v.status, 1, 'a signature after a locking one breaks the lock');
    assert.equal(run(['sign', f('in.pdf'), '--out', f('x.pdf'), ...cred, '--keyword', 'no such words']).status, 2);
    // --page alone: the library's default spot, lower right of that page (20 mm from the edges), not page 1.
    assert.equal(run(['sign', f('in.pdf'), '--out', f('p.pdf'), ...cred, '--page', '2']).status, 0);
    const doc = new PdfDocument(readFileSync(f('p.pdf')));
    const pages = doc.pages();
    const annotsOf = (i: number) => (doc.resolve(pages[i]!.dict.get('Annots')) as unknown[] | undefined)?.length ?? 0;
    assert.deepEqual([annotsOf(0), annotsOf(1), annotsOf(2)], [0, 1, 0]);
    const rect = doc.resolve(doc.dict(findSignatureFields(doc)[0]!.fieldRef)!.get('Rect')) as number[];
    const box = doc.resolve(pages[1]!.dict.get('MediaBox')) as number[];
    const mm = 72 / 25.4;
    assert.ok(Math.abs(box[2]! - rect[2]! - 20 * mm) < 1 && Math.abs(rect[1]! - box[1]! - 20 * mm) < 1, `rect ${rect} in ${box}`);
  } finally {
    t.done();
  }
});
