import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createSigner } from '@yinzhang/gm';
import { Tsa, issueCrl, serveTsa } from '@yinzhang/pki';
import { signPdfDocument, timestampPdfDocument, verifyPdfDocument } from '../src/node.js';
import { readDss, PdfDocument } from '../src/index.js';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePdf, makePki, makeSeal, tempDir } from './helpers.js';

const pki = await makePki('p256');
const tsaParty = await pki.issue('Test TSA', 'p256', 'tsa');
const tsa = new Tsa({ certificate: tsaParty.cert, signer: createSigner(tsaParty.key), chain: [pki.root.cert] });
const server = await serveTsa(tsa, 0);
after(() => server.close());
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const trust = [pki.root.cert.der];
const rootSigner = createSigner(pki.root.key);

test('B-T + B-LT: signature timestamp from --tsa, DSS with certificates and CRL; revocation decided from the DSS', async () => {
  const s = await pki.issue('LTV Signer', 'p256');
  const crl = await issueCrl({ issuer: { certificate: pki.root.cert, signer: rootSigner }, nextUpdate: new Date(Date.now() + 86_400_000), crlNumber: 1, revoked: [] });
  const out = (await signPdfDocument(await makePdf(), {
    signer: createSigner(s.key), certificate: s.cert.der, chain: [pki.root.cert.der], tsaUrl: url, dss: { crls: [crl.der] },
  })).bytes;
  const dss = readDss(new PdfDocument(out));
  assert.equal(dss.certs.length, 2);
  assert.equal(dss.crls.length, 1);
  const rep = await verifyPdfDocument(out, { trustAnchors: trust });
  const sig = rep.signatures[0]!;
  assert.equal(sig.checks.timestamp, 'passed', JSON.stringify(sig.messages));
  assert.equal(sig.signingTimeSource, 'timestamp');
  assert.equal(sig.checks.revocation, 'passed', JSON.stringify(sig.messages));
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'lt.pdf'), out);
    const ps = spawnSync('pdfsig', [join(t.dir, 'lt.pdf')], { encoding: 'utf8' });
    assert.match(ps.stdout, /Signature Validation: Signature is Valid\./, 'pdfsig accepts the B-T signature with the DSS revision after it');
  } finally {
    t.done();
  }
  assert.equal(sig.checks.coverage, 'passed', 'the DSS revision is an allowed change');
  assert.equal(rep.indication, 'TOTAL_PASSED');
});

test('a certificate revoked before the (timestamped) signing time fails (CRL from the DSS)', async () => {
  const s = await pki.issue('Revoked Signer', 'p256');
  const crl = await issueCrl({
    issuer: { certificate: pki.root.cert, signer: rootSigner }, nextUpdate: new Date(Date.now() + 86_400_000), crlNumber: 2,
    revoked: [{ serialHex: s.cert.serialHex, revocationDate: new Date(Date.now() - 60_000), reason: 'keyCompromise' }],
  });
  const out = (await signPdfDocument(await makePdf(), { signer: createSigner(s.key), certificate: s.cert.der, tsaUrl: url, dss: { crls: [crl.der] } })).bytes;
  const rep = await verifyPdfDocument(out, { trustAnchors: trust });
  assert.equal(rep.signatures[0]!.checks.revocation, 'failed');
  assert.equal(rep.signatures[0]!.subIndication, 'REVOKED');
});

test('SES seal signature with a timestamp (B-T) verifies', async () => {
  const sm = await makePki('sm2');
  const maker = await sm.issue('Maker', 'sm2', 'seal-maker');
  const s = await sm.issue('Sealer', 'sm2');
  const seal = await makeSeal(maker, [s]);
  const out = (await signPdfDocument(await makePdf(), { signer: createSigner(s.key), certificate: s.cert.der, seal, tsaUrl: url, placement: { kind: 'page', page: 1 } })).bytes;
  const rep = await verifyPdfDocument(out, { trustAnchors: [sm.root.cert.der] });
  const sig = rep.signatures[0]!;
  assert.equal(sig.kind, 'seal');
  assert.equal(sig.checks.timestamp, 'passed', JSON.stringify(sig.messages));
  assert.equal(sig.signingTimeSource, 'timestamp');
});

test('document timestamp (B-LTA): ETSI.RFC3161 over the ByteRange, verified; tampering fails it', async () => {
  const s = await pki.issue('LTA Signer', 'p256');
  const signed = (await signPdfDocument(await makePdf(), { signer: createSigner(s.key), certificate: s.cert.der, chain: [pki.root.cert.der], tsaUrl: url })).bytes;
  const out = (await timestampPdfDocument(signed, url)).bytes;
  const rep = await verifyPdfDocument(out, { trustAnchors: trust });
  assert.equal(rep.signatures.length, 2);
  const ts = rep.signatures[1]!;
  assert.equal(ts.checks.timestamp, 'passed', JSON.stringify(ts.messages));
  assert.equal(ts.checks.integrity, 'passed');
  assert.equal(ts.checks.certificateChain, 'passed');
  assert.equal(ts.signer?.subject.split(',')[0], 'CN=Test TSA');
  assert.equal(rep.signatures[0]!.checks.coverage, 'passed', 'a document timestamp is an allowed change');
  assert.equal(rep.indication, 'TOTAL_PASSED', JSON.stringify(rep.signatures.map((x) => x.messages)));
  const bad = out.slice();
  const i = Buffer.from(bad).indexOf('stream\n') + 10;
  bad[i] = bad[i]! ^ 1;
  const rep2 = await verifyPdfDocument(bad, { trustAnchors: trust });
  assert.deepEqual(rep2.signatures.map((x) => x.checks.integrity), ['failed', 'failed']);
});
