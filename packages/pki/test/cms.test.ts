import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSigner, digest, generateKeyPair, isYzError, utf8, type KeygenAlgorithm, type PrivateKey } from '@yinzhang/gm';
import {
  addCmsUnsignedAttribute, certificateToPem, cmsSignatureValue, issueCertificate, parseCertificate, signCms, verifyCms, PkiOid, type Certificate,
} from '../src/index.js';
import { openssl, tempDir } from './helpers.js';

const fixture = (n: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${n}`, import.meta.url)));

async function pki(alg: KeygenAlgorithm): Promise<{ root: Certificate; leaf: Certificate; key: PrivateKey }> {
  const rootKey = generateKeyPair(alg);
  const root = await issueCertificate({ profile: 'root', subject: `CN=CMS Root ${alg},C=CN`, issuer: { signer: createSigner(rootKey) } });
  const key = generateKeyPair(alg);
  const leaf = await issueCertificate({ profile: 'signer', subject: `CN=CMS Signer ${alg},C=CN`, publicKey: key.publicKey, issuer: { certificate: root, signer: createSigner(rootKey) } });
  return { root, leaf, key };
}

const content = utf8('电子印章 CMS test content\n'.repeat(50));

for (const alg of ['p256', 'rsa2048'] as KeygenAlgorithm[]) {
  test(`${alg}: openssl cms -verify accepts our detached and attached SignedData; we verify openssl's`, async () => {
    const t = tempDir();
    const { root, leaf, key } = await pki(alg);
    t.write('root.pem', certificateToPem(root));
    t.write('leaf.pem', certificateToPem(leaf));
    t.write('key.pem', key.toPem());
    t.write('data.bin', content);
    const signer = createSigner(key);
    for (const detached of [true, false]) {
      const cms = await signCms({ data: content, signer, certificate: leaf, detached });
      t.write('sig.der', cms);
      const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', t.path('sig.der'), '-CAfile', t.path('root.pem'), '-out', t.path('out.bin')];
      const r = openssl(detached ? [...args, '-content', t.path('data.bin')] : args);
      assert.equal(r.status, 0, `detached=${detached}: ${r.stderr}`);
      assert.deepEqual(t.read('out.bin'), content);
      const ours = await verifyCms(cms, detached ? { detachedContent: content } : {});
      assert.equal(ours.valid, true, ours.problems.join('; '));
      assert.equal(ours.certificate?.serialHex, leaf.serialHex);
      assert.ok(ours.signedAttributes?.signingTime);
      assert.ok(ours.signedAttributes?.signingCertificateV2);
      // wrong content → digest mismatch
      const bad = await verifyCms(cms, { detachedContent: utf8('other') });
      assert.equal(bad.valid, false);
      assert.equal(bad.digestMatches, false);
    }
    // a precomputed digest gives the same detached CMS semantics
    const byDigest = await signCms({ digest: digest('sha256', content), signer, certificate: leaf, signedAttributes: { signingTime: false } });
    t.write('sig2.der', byDigest);
    const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', t.path('sig2.der'), '-content', t.path('data.bin'), '-CAfile', t.path('root.pem'), '-out', '/dev/null']);
    assert.equal(r.status, 0, r.stderr);
    const v = await verifyCms(byDigest, { digest: digest('sha256', content) });
    assert.equal(v.valid, true, v.problems.join('; '));
    assert.equal(v.signedAttributes?.signingTime, undefined);

    // openssl-made, detached and attached
    for (const detached of [true, false]) {
      const o = openssl(['cms', '-sign', '-binary', '-md', 'sha256', '-in', t.path('data.bin'), '-signer', t.path('leaf.pem'), '-inkey', t.path('key.pem'), '-outform', 'DER', '-out', t.path('o.der'), ...(detached ? [] : ['-nodetach'])]);
      assert.equal(o.status, 0, o.stderr);
      const res = await verifyCms(t.read('o.der'), detached ? { detachedContent: content } : {});
      assert.equal(res.valid, true, res.problems.join('; '));
      if (!detached) assert.deepEqual(res.content, content);
    }
  });
}

test('SM2: RFC 5652 and GB/T 35275 styles verify; tampering is caught', async () => {
  const { leaf, key, root } = await pki('sm2');
  const signer = createSigner(key);
  for (const oidStyle of ['rfc5652', 'gbt35275'] as const) {
    for (const detached of [true, false]) {
      const cms = await signCms({ data: content, signer, certificate: leaf, certificates: [root], detached, oidStyle });
      const r = await verifyCms(cms, detached ? { detachedContent: content } : {});
      assert.equal(r.valid, true, `${oidStyle} ${detached}: ${r.problems.join('; ')}`);
      assert.equal(r.oidStyle, oidStyle);
      assert.equal(r.digestAlgorithm, 'sm3');
      assert.equal(r.certificates.length, 2);
      assert.equal(r.signatureAlgorithmOid, oidStyle === 'gbt35275' ? '1.2.156.10197.1.301.1' : '1.2.156.10197.1.501');
      assert.equal(r.signedAttributes?.contentType, oidStyle === 'gbt35275' ? PkiOid.gmData : PkiOid.data);
      // wrong SM2 ID → signature fails
      assert.equal((await verifyCms(cms, { detachedContent: content, sm2Id: 'other' })).signatureValid, false);
      // flip a byte of the messageDigest inside the signed attributes: the signature no longer verifies
      const i = indexOf(cms, digest('sm3', content));
      assert.ok(i > 0);
      const m = cms.slice();
      m[i + 2] = m[i + 2]! ^ 1;
      const tampered = await verifyCms(m, detached ? { detachedContent: content } : {});
      assert.equal(tampered.valid, false);
      assert.equal(tampered.signatureValid, false);
    }
  }
  // digest path: OFD-style GB/T 35275, messageDigest over SM3 of the content
  const cms = await signCms({ digest: digest('sm3', content), signer, certificate: leaf, oidStyle: 'gbt35275' });
  const r = await verifyCms(cms, { detachedContent: content });
  assert.equal(r.valid, true);
  assert.deepEqual(r.signedAttributes?.messageDigest, digest('sm3', content));
  // no content and no digest: not valid, says why
  const nothing = await verifyCms(cms);
  assert.equal(nothing.valid, false);
  assert.match(nothing.problems.join(), /no content or digest/);
  await assert.rejects(signCms({ data: content, signer: createSigner(generateKeyPair('p256')), certificate: leaf, oidStyle: 'gbt35275' }), /SM2/);
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  for (let i = 0; i <= hay.length - needle.length; i++) if (needle.every((b, j) => hay[i + j] === b)) return i;
  return -1;
}

test('real GB/T 35275 SignedData from a vendor OFD (ofdrw testImageNotFound.ofd) verifies', async () => {
  for (const s of ['Sign_0', 'Sign_1']) {
    const xml = fixture(`ynca-${s}-Signature.xml`);
    const r = await verifyCms(fixture(`ynca-${s}-SignedValue.dat`), { detachedContent: xml });
    assert.equal(r.valid, true, r.problems.join('; '));
    assert.equal(r.oidStyle, 'gbt35275');
    assert.equal(r.signedAttributes?.signingTime?.toISOString(), '2022-11-01T09:22:33.000Z');
    assert.match(r.certificate!.issuer.toString(), /YNCA_SM2/);
    const wrong = await verifyCms(fixture(`ynca-${s}-SignedValue.dat`), { detachedContent: xml.subarray(1) });
    assert.equal(wrong.valid, false);
  }
});

test('unsigned attribute (timestamp slot) can be added without breaking the signature', async () => {
  const t = tempDir();
  const { root, leaf, key } = await pki('p256');
  const cms = await signCms({ data: content, signer: createSigner(key), certificate: leaf });
  const sig = cmsSignatureValue(cms);
  const withAttr = addCmsUnsignedAttribute(cms, '1.2.3.4', Uint8Array.of(0x04, 0x02, 0xab, 0xcd));
  const r = await verifyCms(withAttr, { detachedContent: content });
  assert.equal(r.valid, true);
  assert.deepEqual(r.signatureValue, sig);
  assert.deepEqual(r.unsignedAttributes.map((a) => a.oid), ['1.2.3.4']);
  t.write('root.pem', certificateToPem(root));
  t.write('d.bin', content);
  t.write('s.der', withAttr);
  assert.equal(openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', t.path('s.der'), '-content', t.path('d.bin'), '-CAfile', t.path('root.pem'), '-out', '/dev/null']).status, 0);
});

test('garbage and truncated CMS → CMS_MALFORMED, never a crash', async () => {
  const { leaf, key } = await pki('sm2');
  const cms = await signCms({ data: content, signer: createSigner(key), certificate: leaf, detached: false });
  await assert.rejects(verifyCms(utf8('hello')), (e) => isYzError(e, 'CMS_MALFORMED'));
  await assert.rejects(verifyCms(leaf.der), (e) => isYzError(e, 'CMS_MALFORMED'));
  for (let cut = 1; cut < cms.length; cut += 97) {
    await assert.rejects(verifyCms(cms.subarray(0, cut)), (e) => isYzError(e), `cut ${cut}`);
  }
  for (let i = 0; i < cms.length; i += 7) {
    const m = cms.slice();
    m[i] = m[i]! ^ 0x55;
    try {
      await verifyCms(m);
    } catch (e) {
      assert.ok(isYzError(e), `byte ${i}: ${String(e)}`);
    }
  }
  assert.equal(parseCertificate(leaf.der).serialHex, leaf.serialHex);
});
