import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner } from '@yinzhang/gm';
import { certificateToPem } from '@yinzhang/pki';
import { FileSource, nodeHashFactory } from '../src/node.js';
import { signPdfAppend, cmsContainer } from '../src/index.js';
import { makePki, tempDir, writeBigPdf } from './helpers.js';

const MB = 384;

test(`a ${MB} MB PDF is signed by appending and verified by the CLI with bounded memory`, async () => {
  const t = tempDir();
  try {
    const pki = await makePki('p256');
    const s = await pki.issue('Big File Signer', 'p256');
    const path = join(t.dir, 'big.pdf');
    writeBigPdf(path, MB);
    const src = new FileSource(path);
    const r = await signPdfAppend(src, { container: cmsContainer({ signer: createSigner(s.key), certificate: s.cert.der }), hashFactory: nodeHashFactory });
    src.close();
    appendFileSync(path, r.appended);
    writeFileSync(join(t.dir, 'root.pem'), certificateToPem(pki.root.cert));
    const cli = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;
    // GNU time is not always installed: measure the child's peak RSS from inside with a preload.
    const probe = join(t.dir, 'rss.cjs');
    writeFileSync(probe, "process.on('exit', () => require('fs').writeFileSync(process.env.RSS_OUT, String(process.resourceUsage().maxRSS)));");
    const out = join(t.dir, 'rss.txt');
    const v = spawnSync(process.execPath, ['--require', probe, cli, 'verify', path, '--json', '--trust', join(t.dir, 'root.pem')], { encoding: 'utf8', env: { ...process.env, RSS_OUT: out }, maxBuffer: 1 << 24 });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(JSON.parse(v.stdout).signatures[0].checks.integrity, 'passed');
    const rssMb = Number((await import('node:fs')).readFileSync(out, 'utf8')) / 1024;
    assert.ok(rssMb < MB * 0.75, `peak RSS ${rssMb.toFixed(0)} MB for a ${MB} MB file`);
  } finally {
    t.done();
  }
});
