import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSigner, generateKeyPair, isYzError, type PrivateKey } from '@yinzhang/gm';
import { derBitString, derSequence, derContext, derInteger, derOid, derTime, derBoolean, derOctetString } from '@yinzhang/gm/der';
import {
  parsePkcs12, parseCertificate, validateCertificate, issueCertificate, issueCrl, buildName, keyIdentifier, signatureAlgorithmIdentifier,
  encodeKeyUsage, parseCertificates, PkiOid, type Certificate,
} from '../src/index.js';
import { ofdrw } from './helpers.js';

const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code).sort();

// PKCS#12 key derivation is deliberately slow (51 200 and 102 400 iterations): open each file once per test file.
const p12Cache = new Map<string, ReturnType<typeof parsePkcs12>>();
function p12(name: string, password: string): ReturnType<typeof parsePkcs12> {
  let v = p12Cache.get(name);
  if (!v) p12Cache.set(name, (v = parsePkcs12(ofdrw(name), password)));
  return v;
}

test('ofdrw PKI: USER and SealBuilder chain to ROOT; expired now, valid at 2021-01-01', async () => {
  const root = p12('ROOT.p12', '123456').certificate;
  for (const [f, pw] of [['USER.p12', '777777'], ['SealBuilder.p12', '777777']] as const) {
    const leaf = p12(f, pw).certificate;
    const then = await validateCertificate({ cert: leaf, trustAnchors: [root], at: new Date('2021-01-01T00:00:00Z'), purpose: 'signer' });
    assert.deepEqual(then.reasons, [], f);
    assert.equal(then.chain.length, 2);
    assert.equal(then.chainStatus, 'passed');
    assert.equal(then.revocation.status, 'unknown');
    const now = await validateCertificate({ cert: leaf, trustAnchors: [root] });
    assert.equal(now.valid, false);
    assert.ok(codes(now).includes('EXPIRED'));
    assert.equal(now.chainStatus, 'passed');
    // not a trust anchor → no chain
    const none = await validateCertificate({ cert: leaf, trustAnchors: [], at: new Date('2021-01-01T00:00:00Z') });
    assert.deepEqual(codes(none), ['NO_CERTIFICATE_CHAIN_FOUND']);
  }
  const sign = parseCertificate(ofdrw('sign_cert.pem'));
  const r = await validateCertificate({ cert: sign, trustAnchors: [root], at: new Date('2022-01-01T00:00:00Z') });
  assert.deepEqual(r.reasons, []);
});

interface Node {
  key: PrivateKey;
  cert: Certificate;
}

async function rootCa(name = 'CN=Root,C=CN'): Promise<Node> {
  const key = generateKeyPair('sm2');
  return { key, cert: await issueCertificate({ profile: 'root', subject: name, issuer: { signer: createSigner(key) } }) };
}

async function child(parent: Node, profile: 'ca' | 'signer' | 'tsa' | 'seal-maker', name: string): Promise<Node> {
  const key = generateKeyPair('sm2');
  return { key, cert: await issueCertificate({ profile, subject: name, publicKey: key.publicKey, issuer: { certificate: parent.cert, signer: createSigner(parent.key) } }) };
}

/** A hand-built certificate with chosen extensions, to make the broken CAs the issue lists. */
async function custom(opts: { issuer?: Node; subjectName: string; key: PrivateKey; exts: Uint8Array[]; notBefore?: Date; notAfter?: Date }): Promise<Certificate> {
  const signerKey = opts.issuer?.key ?? opts.key;
  const signer = createSigner(signerKey);
  const alg = signatureAlgorithmIdentifier(signer.algorithm);
  const subject = buildName(opts.subjectName);
  const tbs = derSequence(
    derContext(0, derInteger(2)),
    derInteger(Math.floor(Math.random() * 1e9) + 1),
    alg,
    opts.issuer ? opts.issuer.cert.subject.der : subject.der,
    derSequence(derTime(opts.notBefore ?? new Date(Date.now() - 3600e3)), derTime(opts.notAfter ?? new Date(Date.now() + 800 * 86400e3))),
    subject.der,
    opts.key.publicKey.type === 'sm2-public' ? opts.key.publicKey.toSpkiDer() : opts.key.publicKey.spki,
    ...(opts.exts.length ? [derContext(3, derSequence(...opts.exts))] : []),
  );
  return parseCertificate(derSequence(tbs, alg, derBitString(await signer.sign(tbs))));
}

const ext = (oid: string, critical: boolean, value: Uint8Array) =>
  critical ? derSequence(derOid(oid), derBoolean(true), derOctetString(value)) : derSequence(derOid(oid), derOctetString(value));

test('three-level chain with intermediates in any order; purposes', async () => {
  const root = await rootCa();
  const ca = await child(root, 'ca', 'CN=Issuing CA,C=CN');
  const leaf = await child(ca, 'signer', 'CN=Signer,C=CN');
  const tsa = await child(ca, 'tsa', 'CN=TSA,C=CN');
  const ok = await validateCertificate({ cert: leaf.cert, intermediates: [tsa.cert, ca.cert], trustAnchors: [root.cert], purpose: 'signer' });
  assert.deepEqual(ok.reasons, []);
  assert.deepEqual(ok.chain.map((c) => c.subject.toString()), ['CN=Signer,C=CN', 'CN=Issuing CA,C=CN', 'CN=Root,C=CN']);
  assert.deepEqual(codes(await validateCertificate({ cert: leaf.cert, trustAnchors: [root.cert] })), ['NO_CERTIFICATE_CHAIN_FOUND']);
  assert.deepEqual(codes(await validateCertificate({ cert: leaf.cert, intermediates: [ca.cert], trustAnchors: [root.cert], purpose: 'tsa' })), ['EXT_KEY_USAGE']);
  assert.deepEqual(codes(await validateCertificate({ cert: tsa.cert, intermediates: [ca.cert], trustAnchors: [root.cert], purpose: 'tsa' })), []);
  assert.deepEqual(codes(await validateCertificate({ cert: leaf.cert, intermediates: [ca.cert], trustAnchors: [root.cert], purpose: 'ca' })), ['NOT_A_CA']);
  // issuing CA has pathLen 0: a CA below it breaks the constraint
  const sub = await child(ca, 'ca', 'CN=Sub CA,C=CN');
  const deep = await child(sub, 'signer', 'CN=Deep,C=CN');
  assert.deepEqual(codes(await validateCertificate({ cert: deep.cert, intermediates: [ca.cert, sub.cert], trustAnchors: [root.cert] })), ['PATH_LENGTH_EXCEEDED']);
  // a signer certificate cannot act as a CA
  const fake = await child(leaf, 'signer', 'CN=Under a leaf,C=CN');
  assert.deepEqual(codes(await validateCertificate({ cert: fake.cert, intermediates: [leaf.cert, ca.cert], trustAnchors: [root.cert] })), ['ISSUER_KEY_USAGE', 'NOT_A_CA', 'PATH_LENGTH_EXCEEDED']);
});

test('CA certificate without basicConstraints, wrong key usage, unknown critical extension', async () => {
  const root = await rootCa();
  const caKey = generateKeyPair('sm2');
  const noBc = { key: caKey, cert: await custom({ issuer: root, subjectName: 'CN=No BC CA,C=CN', key: caKey, exts: [ext(PkiOid.keyUsage, true, encodeKeyUsage(['keyCertSign', 'cRLSign']))] }) };
  const leaf = await child(noBc, 'signer', 'CN=L,C=CN');
  assert.deepEqual(codes(await validateCertificate({ cert: leaf.cert, intermediates: [noBc.cert], trustAnchors: [root.cert] })), ['NOT_A_CA']);

  const k2 = generateKeyPair('sm2');
  const wrongKu = await custom({ issuer: root, subjectName: 'CN=Encipher only,C=CN', key: k2, exts: [ext(PkiOid.keyUsage, true, encodeKeyUsage(['keyEncipherment']))] });
  assert.deepEqual(codes(await validateCertificate({ cert: wrongKu, trustAnchors: [root.cert], purpose: 'signer' })), ['KEY_USAGE']);
  assert.deepEqual(codes(await validateCertificate({ cert: wrongKu, trustAnchors: [root.cert], purpose: 'any' })), []);

  const k3 = generateKeyPair('sm2');
  const crit = await custom({ issuer: root, subjectName: 'CN=Crit,C=CN', key: k3, exts: [ext('1.2.3.4.5', true, Uint8Array.of(5, 0))] });
  assert.deepEqual(codes(await validateCertificate({ cert: crit, trustAnchors: [root.cert] })), ['UNKNOWN_CRITICAL_EXTENSION']);

  const k4 = generateKeyPair('sm2');
  const future = await custom({ issuer: root, subjectName: 'CN=Future,C=CN', key: k4, exts: [], notBefore: new Date(Date.now() + 86400e3), notAfter: new Date(Date.now() + 2 * 86400e3) });
  assert.deepEqual(codes(await validateCertificate({ cert: future, trustAnchors: [root.cert] })), ['NOT_YET_VALID']);
});

test('wrong signature, same-name impostor root, and loops give reasons, not crashes', async () => {
  const root = await rootCa();
  const impostor = await rootCa(); // same name, other key
  const leaf = await child(root, 'signer', 'CN=L,C=CN');
  // key identifiers differ: the impostor is not even a candidate
  assert.deepEqual(codes(await validateCertificate({ cert: leaf.cert, trustAnchors: [impostor.cert] })), ['NO_CERTIFICATE_CHAIN_FOUND']);
  // a tampered signature
  const der = leaf.cert.der.slice();
  der[der.length - 5] = der[der.length - 5]! ^ 0x01;
  const r = await validateCertificate({ cert: parseCertificate(der), trustAnchors: [root.cert] });
  assert.deepEqual(codes(r), ['CERT_SIGNATURE_INVALID', 'NO_CERTIFICATE_CHAIN_FOUND']);
  assert.equal(r.chainStatus, 'failed');
  // the right root among wrong ones still works
  assert.deepEqual(codes(await validateCertificate({ cert: leaf.cert, trustAnchors: [impostor.cert, root.cert] })), []);

  // A and B certify each other; neither is an anchor
  const ka = generateKeyPair('sm2');
  const kb = generateKeyPair('sm2');
  const caExts = [ext(PkiOid.basicConstraints, true, derSequence(derBoolean(true))), ext(PkiOid.keyUsage, true, encodeKeyUsage(['keyCertSign']))];
  const aSelf = { key: ka, cert: await custom({ subjectName: 'CN=A', key: ka, exts: caExts }) };
  const bSelf = { key: kb, cert: await custom({ subjectName: 'CN=B', key: kb, exts: caExts }) };
  const aByB = await custom({ issuer: bSelf, subjectName: 'CN=A', key: ka, exts: caExts });
  const bByA = await custom({ issuer: aSelf, subjectName: 'CN=B', key: kb, exts: caExts });
  const leaf2 = await child({ key: ka, cert: aByB }, 'signer', 'CN=Leaf2');
  const loop = await validateCertificate({ cert: leaf2.cert, intermediates: [aByB, bByA], trustAnchors: [root.cert] });
  assert.ok(codes(loop).includes('CHAIN_LOOP'), JSON.stringify(codes(loop)));
  assert.ok(codes(loop).includes('NO_CERTIFICATE_CHAIN_FOUND'));
  // depth limit
  const short = await validateCertificate({ cert: leaf2.cert, intermediates: [aByB, bByA], trustAnchors: [bSelf.cert], maxDepth: 2 });
  assert.ok(codes(short).includes('CHAIN_TOO_LONG'));
  assert.deepEqual(codes(await validateCertificate({ cert: leaf2.cert, intermediates: [aByB, bByA], trustAnchors: [bSelf.cert] })), []);
});

test('CRLs: revoked, revoked later, expired, not yet valid, wrongly signed, missing when required', async () => {
  const root = await rootCa();
  const leaf = await child(root, 'signer', 'CN=L,C=CN');
  const other = await rootCa();
  const now = Date.now();
  const mk = (signer: Node, o: { thisUpdate?: number; nextUpdate?: number; revokedAt?: number } = {}) =>
    issueCrl({
      issuer: { certificate: root.cert, signer: createSigner(signer.key) },
      thisUpdate: new Date(o.thisUpdate ?? now - 60e3),
      nextUpdate: new Date(o.nextUpdate ?? now + 86400e3),
      crlNumber: 1,
      revoked: o.revokedAt ? [{ serialHex: leaf.cert.serialHex, revocationDate: new Date(o.revokedAt), reason: 'superseded' }] : [],
    });
  const v = async (crl: Awaited<ReturnType<typeof mk>>, extra: object = {}) => validateCertificate({ cert: leaf.cert, trustAnchors: [root.cert], crls: [crl], ...extra });

  const good = await v(await mk(root));
  assert.deepEqual(codes(good), []);
  assert.equal(good.revocation.status, 'good');
  const revoked = await v(await mk(root, { revokedAt: now - 30e3 }));
  assert.deepEqual(codes(revoked), ['REVOKED']);
  assert.equal(revoked.revocation.reason, 'superseded');
  const later = await v(await mk(root, { revokedAt: now - 30e3 }), { at: new Date(now - 40e3) });
  assert.deepEqual(codes(later), []);
  assert.deepEqual(later.warnings.map((w) => w.code), ['REVOKED_AFTER_VALIDATION_TIME']);
  assert.deepEqual(codes(await v(await mk(root, { thisUpdate: now - 10 * 86400e3, nextUpdate: now - 86400e3 }))), ['CRL_EXPIRED']);
  assert.deepEqual(codes(await v(await mk(root, { thisUpdate: now + 3600e3, nextUpdate: now + 86400e3 }))), ['CRL_NOT_YET_VALID']);
  assert.deepEqual(codes(await v(await mk(other))), ['CRL_SIGNATURE_INVALID']);
  const missing = await validateCertificate({ cert: leaf.cert, trustAnchors: [root.cert], crls: [], requireRevocation: true });
  assert.deepEqual(codes(missing), ['REVOCATION_UNKNOWN']);
  const soft = await validateCertificate({ cert: leaf.cert, trustAnchors: [root.cert] });
  assert.deepEqual(codes(soft), []);
  assert.deepEqual(soft.warnings.map((w) => w.code), ['REVOCATION_UNKNOWN']);
});

test('key identifier is SHA-1 of the public key bits', async () => {
  const root = await rootCa();
  assert.deepEqual(root.cert.subjectKeyIdentifier, keyIdentifier(root.cert.spki));
  assert.deepEqual(root.cert.authorityKeyIdentifier?.keyIdentifier, root.cert.subjectKeyIdentifier);
});

test('explicit "critical FALSE" (non-DER, seen in real files) parses and verifies over the bytes received', async () => {
  const root = await rootCa();
  const k = generateKeyPair('sm2');
  const explicitFalse = derSequence(derOid(PkiOid.keyUsage), Uint8Array.of(0x01, 0x01, 0x00), derOctetString(encodeKeyUsage(['digitalSignature'])));
  const cert = await custom({ issuer: root, subjectName: 'CN=Lenient,C=CN', key: k, exts: [explicitFalse] });
  assert.equal(cert.extensions[0]!.critical, false);
  assert.deepEqual(cert.keyUsage, ['digitalSignature']);
  assert.deepEqual(codes(await validateCertificate({ cert, trustAnchors: [root.cert], purpose: 'signer' })), []);
});

test('1,000-certificate intermediate bundle: bounded work, structured result', async () => {
  const ofdRoot = p12('ROOT.p12', '123456').certificate;
  const user = p12('USER.p12', '777777').certificate;
  const bundle = parseCertificates(new TextDecoder().decode(ofdrw('sign_cert.pem')).repeat(1000));
  const t0 = Date.now();
  const ok = await validateCertificate({ cert: user, intermediates: bundle, trustAnchors: [ofdRoot], at: new Date('2021-01-01T00:00:00Z') });
  assert.deepEqual(codes(ok), []);
  const none = await validateCertificate({ cert: user, intermediates: bundle, trustAnchors: [(await rootCa()).cert] });
  assert.ok(codes(none).includes('NO_CERTIFICATE_CHAIN_FOUND'));
  assert.ok(Date.now() - t0 < 15_000);
});

test('a defaulted validity is cut to the issuer\'s; an explicit one that outlives the issuer is refused', async () => {
  const root = await rootCa();
  const key = generateKeyPair('sm2');
  // the same default days, a minute later: would end after the root without the cut
  const later = await issueCertificate({ profile: 'ca', subject: 'CN=Later CA,C=CN', publicKey: key.publicKey, notBefore: new Date(root.cert.notBefore.getTime() + 60_000), issuer: { certificate: root.cert, signer: createSigner(root.key) } });
  assert.equal(later.notAfter.getTime(), root.cert.notAfter.getTime());
  await assert.rejects(
    issueCertificate({ profile: 'ca', subject: 'CN=Too long,C=CN', publicKey: key.publicKey, days: 36500, issuer: { certificate: root.cert, signer: createSigner(root.key) } }),
    (e: unknown) => isYzError(e, 'INVALID_ARGUMENT'),
  );
});
