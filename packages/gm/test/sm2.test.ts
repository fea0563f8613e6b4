import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  SM2_CURVE, Sm2PrivateKey, Sm2PublicKey, bigIntToBytes, concatBytes, decodeSignature, encodeSignature, fromHex,
  importSm2PrivateKey, importSm2PublicKey, sm2ComputeE, sm2ComputeZ, sm2Decrypt, sm2Encrypt, sm2Sign, sm2SignDigest,
  sm2Verify, sm2VerifyDigest, sm3, toHex, type YzError,
} from '@yinzhang/gm';
import { makeCurve } from '../src/sm2/curve.js';
import { signDigestJs, signWithK, verifyDigestJs } from '../src/sm2/sign-js.js';
import { enc, openssl, tempDir } from './helpers.js';

const code = (c: string) => (e: unknown) => (e as YzError).code === c;
const tmp = tempDir();
const MSG = enc('电子印章 message for SM2');

test('GB/T 32918.2 Annex A example: d, k, ID, message → public key, Z, e, r, s', () => {
  // The standard's worked example uses its own 256-bit test curve, not the recommended one.
  const curve = makeCurve({
    p: 0x8542d69e4c044f18e8b92435bf6ff7de457283915c45517d722edb8b08f1dfc3n,
    a: 0x787968b4fa32c3fd2417842e73bbfeff2f3c848b6831d7e0ec65228b3937e498n,
    b: 0x63e4c6d3b23b0c849cf84241484bfe48f61d59a5b16ba06e6e12d1da27c5249an,
    n: 0x8542d69e4c044f18e8b92435bf6ff7dd297720630485628d5ae74ee7c32e79b7n,
    Gx: 0x421debd61b62eab6746434ebc3cc315e32220b3badd50bdc4c4e6c147fedd43dn,
    Gy: 0x0680512bcbb42c07d47349d2153b70c4e5d7fdfcbfa36ea1a85841b9e46e09a2n,
  });
  const d = 0x128b2fa8bd433c6c068c8d803dff79792a519a55171b1b650c23661d15897263n;
  const P = curve.Point.BASE.multiply(d);
  assert.equal(P.toAffine().x.toString(16), '0ae4c7798aa0f119471bee11825be46202bb79e2a5844495e97c04ff4df2548a'.replace(/^0/, ''));
  assert.equal(P.toAffine().y.toString(16), '7c0240f88f1cd4e16352a73c17b7f16f07353e53a176d684a9fe0c6bb798e857');
  const z = sm2ComputeZ(P.toBytes(false), enc('ALICE123@YAHOO.COM'), curve);
  assert.equal(toHex(z), 'f4a38489e32b45b6f876e3ac2168ca392362dc8f23459c1d1146fc3dbfb7bc9a');
  const e = sm3(concatBytes(z, enc('message digest')));
  assert.equal(toHex(e), 'b524f552cd82b8b028476e005c377fb19a87e6fc682d48bb5d42e3d9b9effe76');
  const rs = signWithK(curve, d, e, 0x6cb28d99385c175c94f94e934817663fc176d925dd72b727260dbaae1fb2f96fn);
  assert.ok(rs);
  assert.equal(rs.r.toString(16), '40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1');
  assert.equal(rs.s.toString(16), '6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7');
  assert.equal(verifyDigestJs(curve, P, e, rs), true);
  assert.equal(verifyDigestJs(curve, P, e, { r: rs.r, s: rs.s + 1n }), false);
});

test('our SM2 signatures (DER and raw) verify with openssl pkeyutl and the standard ID', () => {
  const key = Sm2PrivateKey.generate();
  const pub = tmp.write('pub.pem', key.publicKey.toPem());
  const msg = tmp.write('msg.bin', MSG);
  for (const encoding of ['der', 'raw'] as const) {
    const sig = sm2Sign(key, MSG, { encoding });
    assert.equal(sig.length === 64, encoding === 'raw');
    const der = encoding === 'der' ? sig : encodeSignature(decodeSignature(sig, SM2_CURVE.n), 'der');
    const sigFile = tmp.write(`sig-${encoding}.der`, der);
    const ok = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', msg, '-sigfile', sigFile, '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout.toString(), /Verified Successfully/);
    // The same signature under another ID must fail in openssl too: proves we really use Z(1234567812345678).
    const bad = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', msg, '-sigfile', sigFile, '-digest', 'sm3', '-pkeyopt', 'distid:ALICE123@YAHOO.COM']);
    assert.notEqual(bad.status, 0);
    assert.equal(sm2Verify(key.publicKey, MSG, sig), true);
  }
});

test("openssl's SM2 signatures verify with ours; another ID or message fails", () => {
  const kfile = tmp.path('ossl.pem');
  assert.equal(openssl(['genpkey', '-algorithm', 'SM2', '-out', kfile]).status, 0);
  const key = importSm2PrivateKey(tmp.read('ossl.pem'));
  const msg = tmp.write('m2.bin', MSG);
  for (const id of ['1234567812345678', 'ALICE123@YAHOO.COM']) {
    const sigFile = tmp.path(`ossl-${id}.sig`);
    const r = openssl(['pkeyutl', '-sign', '-inkey', kfile, '-rawin', '-in', msg, '-digest', 'sm3', '-pkeyopt', `distid:${id}`, '-out', sigFile]);
    assert.equal(r.status, 0, r.stderr);
    const sig = tmp.read(`ossl-${id}.sig`);
    assert.equal(sm2Verify(key.publicKey, MSG, sig, { id }), true, id);
    assert.equal(sm2Verify(key.publicKey, MSG, sig, { id: id === 'ALICE123@YAHOO.COM' ? undefined : 'ALICE123@YAHOO.COM' }), false);
    assert.equal(sm2Verify(key.publicKey, enc('other message'), sig, { id }), false);
    // raw r‖s of the same signature is accepted as well
    assert.equal(sm2Verify(key.publicKey, MSG, encodeSignature(decodeSignature(sig, SM2_CURVE.n), 'raw'), { id }), true);
  }
});

test('pure-JS path gives signatures openssl accepts and accepts the native ones', () => {
  const key = Sm2PrivateKey.generate();
  const e = sm2ComputeE(key.publicKey, MSG);
  const jsSig = encodeSignature(signDigestJs(SM2_CURVE, key.scalar(), e), 'der');
  const pub = tmp.write('pubjs.pem', key.publicKey.toPem());
  const msg = tmp.write('msgjs.bin', MSG);
  const sigFile = tmp.write('js.sig', jsSig);
  const r = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', msg, '-sigfile', sigFile, '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(verifyDigestJs(SM2_CURVE, key.publicKey.point, e, decodeSignature(sm2Sign(key, MSG), SM2_CURVE.n)), true);
  assert.equal(verifyDigestJs(SM2_CURVE, key.publicKey.point, sm3(e), decodeSignature(jsSig, SM2_CURVE.n)), false);
});

test('prehashed variant signs and verifies a given e', () => {
  const key = Sm2PrivateKey.generate();
  const e = sm3(enc('vendor-specific hashing'));
  const sig = sm2SignDigest(key, e, 'raw');
  assert.equal(sm2VerifyDigest(key.publicKey, e, sig), true);
  assert.equal(sm2VerifyDigest(key.publicKey, sm3(e), sig), false);
  assert.throws(() => sm2SignDigest(key, new Uint8Array(31)), code('INVALID_ARGUMENT'));
});

test('key import/export: PKCS#8, SPKI, SEC1, raw — and openssl reads what we write', () => {
  const key = Sm2PrivateKey.generate();
  const again = importSm2PrivateKey(key.toPem());
  assert.equal(toHex(again.toRaw()), toHex(key.toRaw()));
  assert.equal(toHex(importSm2PrivateKey(key.toPkcs8Der()).toRaw()), toHex(key.toRaw()));
  assert.equal(toHex(Sm2PrivateKey.fromRaw(key.toRaw()).publicKey.raw), toHex(key.publicKey.raw));
  assert.ok(importSm2PublicKey(key.publicKey.toPem()).equals(key.publicKey));
  assert.ok(importSm2PublicKey(key.publicKey.toSpkiDer()).equals(key.publicKey));
  assert.ok(Sm2PublicKey.fromRaw(key.publicKey.raw).equals(key.publicKey));
  // compressed points are accepted and expanded
  const compressed = key.publicKey.point.toBytes(true);
  assert.ok(Sm2PublicKey.fromRaw(compressed).equals(key.publicKey));
  const f = tmp.write('exp.pem', key.toPem());
  const text = openssl(['pkey', '-in', f, '-text', '-noout']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout.toString(), /SM2/);
  const sec1 = openssl(['ec', '-in', f]);
  assert.equal(sec1.status, 0, sec1.stderr);
  const fromSec1 = importSm2PrivateKey(sec1.stdout.toString());
  assert.equal(toHex(fromSec1.toRaw()), toHex(key.toRaw()));
  // the private scalar never shows up when the key object is logged or serialised
  assert.doesNotMatch(JSON.stringify(key), new RegExp(toHex(key.toRaw())));
});

test('SM2 encryption interoperates with openssl pkeyutl in both directions', () => {
  const key = Sm2PrivateKey.generate();
  const kfile = tmp.write('enc.pem', key.toPem());
  const pfile = tmp.write('enc-pub.pem', key.publicKey.toPem());
  const pt = enc('会话密钥 session key 0123456789abcdef'.repeat(3));
  const ours = tmp.write('ours.ct', sm2Encrypt(key.publicKey, pt));
  const dec = openssl(['pkeyutl', '-decrypt', '-inkey', kfile, '-in', ours]);
  assert.equal(dec.status, 0, dec.stderr);
  assert.equal(dec.stdout.toString(), new TextDecoder().decode(pt));
  const ptFile = tmp.write('pt.bin', pt);
  const theirs = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', pfile, '-in', ptFile]);
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.equal(toHex(sm2Decrypt(key, new Uint8Array(theirs.stdout))), toHex(pt));
  // raw C1‖C3‖C2 round trip
  const raw = sm2Encrypt(key.publicKey, pt, 'raw');
  assert.equal(raw[0], 4);
  assert.equal(raw.length, 1 + 64 + 32 + pt.length);
  assert.equal(toHex(sm2Decrypt(key, raw)), toHex(pt));
  // tampering with C3 or C2 is detected; another key cannot decrypt
  const t = raw.slice();
  t[80]! ^= 1;
  assert.throws(() => sm2Decrypt(key, t), code('DECRYPTION_FAILED'));
  assert.throws(() => sm2Decrypt(Sm2PrivateKey.generate(), raw), code('DECRYPTION_FAILED'));
  assert.throws(() => sm2Encrypt(key.publicKey, new Uint8Array(0)), code('INVALID_ARGUMENT'));
  assert.throws(() => sm2Decrypt(key, raw.subarray(0, 90)), code('CIPHERTEXT_MALFORMED'));
  assert.throws(() => sm2Decrypt(key, enc('garbage')), code('CIPHERTEXT_MALFORMED'));
  const offCurve = raw.slice();
  offCurve[5]! ^= 1;
  assert.throws(() => sm2Decrypt(key, offCurve), code('CIPHERTEXT_MALFORMED'));
});

test('bad input: malformed PEM/DER, wrong curves, wrong lengths → typed errors', () => {
  const key = Sm2PrivateKey.generate();
  assert.throws(() => importSm2PrivateKey('no pem here'), code('PEM_MALFORMED'));
  assert.throws(() => importSm2PrivateKey('-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n'), code('PEM_MALFORMED'));
  assert.throws(() => importSm2PrivateKey(key.publicKey.toPem()), code('PEM_MALFORMED'));
  const der = key.toPkcs8Der();
  for (const cut of [1, 10, der.length - 1]) assert.throws(() => importSm2PrivateKey(der.subarray(0, cut)), code('KEY_MALFORMED'), `cut ${cut}`);
  assert.throws(() => importSm2PrivateKey(concatBytes(der, Uint8Array.of(0))), code('KEY_MALFORMED'));
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  assert.throws(() => importSm2PrivateKey(p256.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string), code('KEY_WRONG_CURVE'));
  assert.throws(() => importSm2PublicKey(p256.publicKey.export({ format: 'pem', type: 'spki' }) as string), code('KEY_WRONG_CURVE'));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  assert.throws(() => importSm2PublicKey(rsa.publicKey.export({ format: 'der', type: 'spki' })), code('KEY_UNSUPPORTED'));
  assert.throws(() => Sm2PrivateKey.fromRaw(new Uint8Array(31)), code('KEY_WRONG_LENGTH'));
  assert.throws(() => Sm2PrivateKey.fromRaw(new Uint8Array(32)), code('KEY_MALFORMED'));
  assert.throws(() => Sm2PrivateKey.fromRaw(bigIntToBytes(SM2_CURVE.n - 1n, 32)), code('KEY_MALFORMED'));
  assert.throws(() => Sm2PublicKey.fromRaw(new Uint8Array(64)), code('KEY_WRONG_LENGTH'));
  const off = key.publicKey.raw.slice();
  off[64]! ^= 1;
  assert.throws(() => Sm2PublicKey.fromRaw(off), code('POINT_NOT_ON_CURVE'));
  const spki = key.publicKey.toSpkiDer().slice();
  spki[spki.length - 1]! ^= 1;
  assert.throws(() => importSm2PublicKey(spki), code('POINT_NOT_ON_CURVE'));
});

test('bad signatures: out-of-range r/s, truncated, over-long → typed errors, never a silent false', () => {
  const key = Sm2PrivateKey.generate();
  const sig = sm2Sign(key, MSG);
  const n = SM2_CURVE.n;
  const raw = (r: bigint, s: bigint) => concatBytes(bigIntToBytes(r, 32), bigIntToBytes(s, 32));
  assert.throws(() => sm2Verify(key.publicKey, MSG, raw(0n, 5n)), code('SIGNATURE_OUT_OF_RANGE'));
  assert.throws(() => sm2Verify(key.publicKey, MSG, raw(n, 5n)), code('SIGNATURE_OUT_OF_RANGE'));
  assert.throws(() => sm2Verify(key.publicKey, MSG, raw(5n, 0n)), code('SIGNATURE_OUT_OF_RANGE'));
  assert.throws(() => sm2Verify(key.publicKey, MSG, encodeSignature({ r: n + 1n, s: 1n }, 'der')), code('SIGNATURE_OUT_OF_RANGE'));
  for (const cut of [0, 1, 8, sig.length - 1]) assert.throws(() => sm2Verify(key.publicKey, MSG, sig.subarray(0, cut)), code('SIGNATURE_MALFORMED'), `cut ${cut}`);
  assert.throws(() => sm2Verify(key.publicKey, MSG, concatBytes(sig, Uint8Array.of(0))), code('SIGNATURE_MALFORMED'));
  assert.throws(() => sm2Verify(key.publicKey, MSG, new Uint8Array(65)), code('SIGNATURE_MALFORMED'));
  assert.throws(() => sm2Verify(key.publicKey, MSG, fromHex('3006020100020100')), code('SIGNATURE_OUT_OF_RANGE'));
  assert.throws(() => sm2Verify(key.publicKey, MSG, fromHex('30060201ff020101')), code('SIGNATURE_MALFORMED'), 'negative r');
  assert.throws(() => sm2Verify(key.publicKey, MSG, fromHex('3007020101020101')), code('SIGNATURE_MALFORMED'), 'length past end');
  // a well-formed but wrong signature is simply false
  const wrong = decodeSignature(sig, n);
  assert.equal(sm2Verify(key.publicKey, MSG, encodeSignature({ r: wrong.r, s: (wrong.s % (n - 1n)) + 1n }, 'raw')), false);
});
