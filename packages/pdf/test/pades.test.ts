import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner } from '@yinzhang/gm';
import { certificateToPem } from '@yinzhang/pki';
import { signPdfDocument, verifyPdfDocument } from '../src/node.js';
import { makePdf, makePki, sealPng, tempDir, type Party } from './helpers.js';

const rsa = await makePki('rsa2048');
const signers: Party[] = [await rsa.issue('Signer RSA One', 'rsa2048'), await rsa.issue('Signer ECDSA Two', 'p256'), await rsa.issue('Signer RSA Three', 'rsa2048')];
const trust = [rsa.root.cert.der];

async function signThree(pdf: Uint8Array): Promise<Uint8Array> {
  let out = pdf;
  for (const [i, s] of signers.entries()) {
    out = (await signPdfDocument(out, {
      signer: createSigner(s.key),
      certificate: s.cert.der,
      placement: i === 1 ? { kind: 'invisible' } : { kind: 'page', page: 1, xMm: 20 + 60 * i, yMm: 230 },
      ...(i === 0 ? { picture: sealPng() } : {}),
      reason: `approval ${i + 1}`,
    })).bytes;
  }
  return out;
}

test('three incremental RSA/ECDSA signatures: pdfsig says all valid and trusted, qpdf --check clean, we agree', async () => {
  const t = tempDir();
  try {
    const out = await signThree(await makePdf({ pages: 2 }));
    const file = join(t.dir, 'three.pdf');
    writeFileSync(file, out);
    writeFileSync(join(t.dir, 'root.pem'), certificateToPem(rsa.root.cert));
    const nss = join(t.dir, 'nss');
    execFileSync('mkdir', ['-p', nss]);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'yinzhang-test-root', '-t', 'CT,C,C', '-i', join(t.dir, 'root.pem')]);
    const r = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8' });
    const text = r.stdout + r.stderr;
    assert.equal((text.match(/Signature Validation: Signature is Valid\./g) ?? []).length, 3, text);
    assert.equal((text.match(/Certificate Validation: Certificate is Trusted\./g) ?? []).length, 3, text);
    assert.match(text, /Total document signed/);
    assert.match(execFileSync('qpdf', ['--check', file]).toString(), /No syntax or stream encoding errors/);
    const rep = await verifyPdfDocument(out, { trustAnchors: trust });
    assert.equal(rep.signatures.length, 3);
    for (const s of rep.signatures) {
      assert.equal(s.structure, 'PAdES');
      assert.equal(s.checks.integrity, 'passed');
      assert.equal(s.checks.signatureValue, 'passed');
      assert.equal(s.checks.coverage, 'passed');
      assert.equal(s.checks.certificateChain, 'passed');
    }
    // no CRL configured: revocation unknown only warns
    assert.equal(rep.indication, 'TOTAL_PASSED', JSON.stringify(rep.signatures.map((s) => s.messages)));
    assert.deepEqual(rep.signatures.map((s) => s.signer?.subject.split(',')[0]), ['CN=Signer RSA One', 'CN=Signer ECDSA Two', 'CN=Signer RSA Three']);
  } finally {
    t.done();
  }
});

test('SM2/SM3 CMS signature verifies in ours (pdfsig cannot verify SM2)', async () => {
  const sm = await makePki('sm2');
  const s = await sm.issue('SM2 Signer', 'sm2');
  const out = (await signPdfDocument(await makePdf(), { signer: createSigner(s.key), certificate: s.cert.der, placement: { kind: 'page', page: 1, xMm: 30, yMm: 30 } })).bytes;
  const rep = await verifyPdfDocument(out, { trustAnchors: [sm.root.cert.der] });
  assert.equal(rep.indication, 'TOTAL_PASSED', JSON.stringify(rep.signatures[0]?.messages));
  assert.equal(rep.signatures[0]!.signer?.algorithm, 'SM2-with-SM3');
  // a wrong trust anchor: the chain fails
  const rep2 = await verifyPdfDocument(out, { trustAnchors: trust });
  assert.equal(rep2.signatures[0]!.checks.certificateChain, 'failed');
});
