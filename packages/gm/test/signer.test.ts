import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Oid, createSigner, createVerifier, generateKeyPair, importPrivateKey, importPublicKey, publicKeySpki,
  getCryptoProvider, SignatureAlgorithms, type YzError,
} from '@yinzhang/gm';
import { enc, openssl, tempDir } from './helpers.js';

const tmp = tempDir();
const DATA = enc('contract body 合同正文 '.repeat(20));
const code = (c: string) => (e: unknown) => (e as YzError).code === c;

test('RSA PKCS#1 v1.5, RSA-PSS and ECDSA P-256 signers: openssl verifies ours, we verify openssl\'s', async () => {
  const cases = [
    { alg: 'rsa2048' as const, algorithm: 'RSA-SHA256', oid: Oid.sha256WithRsa, ossl: [] as string[] },
    { alg: 'rsa2048' as const, algorithm: 'RSA-PSS-SHA256', oid: Oid.rsassaPss, ossl: ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:32'] },
    { alg: 'p256' as const, algorithm: 'ECDSA-P256-SHA256', oid: Oid.ecdsaWithSha256, ossl: [] as string[] },
  ];
  const data = tmp.write('data.bin', DATA);
  for (const c of cases) {
    const key = generateKeyPair(c.alg);
    const signer = createSigner(key, { algorithm: c.algorithm });
    assert.equal(signer.algorithm.oid, c.oid);
    const sig = await signer.sign(DATA);
    const pub = tmp.write(`${c.algorithm}.pub.pem`, key.publicKey.toPem());
    const priv = tmp.write(`${c.algorithm}.key.pem`, key.toPem());
    const sigFile = tmp.write(`${c.algorithm}.sig`, sig);
    const v = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sha256', '-in', data, '-sigfile', sigFile, ...c.ossl]);
    assert.equal(v.status, 0, `${c.algorithm}: ${v.stderr}`);
    const theirs = tmp.path(`${c.algorithm}.ossl.sig`);
    const s = openssl(['pkeyutl', '-sign', '-inkey', priv, '-rawin', '-digest', 'sha256', '-in', data, '-out', theirs, ...c.ossl]);
    assert.equal(s.status, 0, s.stderr);
    const verifier = createVerifier(importPublicKey(key.publicKey.toPem()), { algorithm: c.oid });
    assert.equal(await verifier.verify(DATA, tmp.read(`${c.algorithm}.ossl.sig`)), true, c.algorithm);
    assert.equal(await verifier.verify(enc('other'), sig), false, c.algorithm);
  }
});

test('SM2 signer/verifier with default and custom IDs, DER and raw', async () => {
  const key = generateKeyPair('sm2');
  const der = await createSigner(key).sign(DATA);
  const raw = await createSigner(key, { encoding: 'raw', sm2Id: 'ALICE123@YAHOO.COM' }).sign(DATA);
  assert.equal(raw.length, 64);
  assert.equal(await createVerifier(key.publicKey).verify(DATA, der), true);
  assert.equal(await createVerifier(key.publicKey, { sm2Id: 'ALICE123@YAHOO.COM' }).verify(DATA, raw), true);
  assert.equal(await createVerifier(key.publicKey).verify(DATA, raw), false, 'ID matters');
  // through the provider seam with SPKI bytes, as certificate verification does
  const ok = await getCryptoProvider().verify({ algorithm: SignatureAlgorithms['SM2-with-SM3'], spki: publicKeySpki(key.publicKey), data: DATA, signature: der });
  assert.equal(ok, true);
});

test('algorithm/key mismatches and unknown OIDs are typed errors', async () => {
  const sm2 = generateKeyPair('sm2');
  const rsa = generateKeyPair('rsa2048');
  assert.throws(() => createSigner(sm2, { algorithm: 'RSA-SHA256' }), code('ALGORITHM_KEY_MISMATCH'));
  assert.throws(() => createSigner(rsa, { algorithm: Oid.sm2WithSm3 }), code('ALGORITHM_KEY_MISMATCH'));
  assert.throws(() => createSigner(rsa, { algorithm: '1.2.3.4' }), code('ALGORITHM_UNSUPPORTED'));
  await assert.rejects(
    getCryptoProvider().verify({ algorithm: SignatureAlgorithms['RSA-SHA256'], spki: publicKeySpki(generateKeyPair('p256').publicKey), data: DATA, signature: new Uint8Array(64) }),
    code('ALGORITHM_KEY_MISMATCH'),
  );
  await assert.rejects(
    getCryptoProvider().verify({ algorithm: SignatureAlgorithms['RSA-SHA256'], spki: enc('junk'), data: DATA, signature: new Uint8Array(64) }),
    code('KEY_MALFORMED'),
  );
  const p256 = generateKeyPair('p256');
  await assert.rejects(createVerifier(p256.publicKey).verify(DATA, new Uint8Array(10)), code('SIGNATURE_MALFORMED'));
});

test('generic key import: PEM/DER for every algorithm, secp256k1 refused, garbage refused', () => {
  for (const alg of ['sm2', 'p256', 'rsa2048'] as const) {
    const k = generateKeyPair(alg);
    assert.equal(importPrivateKey(k.toPem()).type, k.type);
    assert.equal(importPrivateKey(k.toPkcs8Der()).type, k.type);
    assert.equal(importPublicKey(k.publicKey.toPem()).type, k.publicKey.type);
  }
  const f = tmp.path('k1.pem');
  assert.equal(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-out', f]).status, 0);
  assert.throws(() => importPrivateKey(tmp.read('k1.pem')), code('KEY_WRONG_CURVE'));
  const sec1 = openssl(['ec', '-in', f]);
  assert.throws(() => importPrivateKey(sec1.stdout.toString()), code('KEY_WRONG_CURVE'));
  assert.throws(() => importPrivateKey(enc('garbage')), code('KEY_MALFORMED'));
  assert.throws(() => importPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), code('KEY_MALFORMED'));
  const g = generateKeyPair('rsa2048');
  assert.doesNotMatch(JSON.stringify(g), /PRIVATE/);
});
