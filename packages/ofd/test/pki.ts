/** A small SM2 test PKI (root, seal maker, signers) and seals, issued fresh per test run with @yinzhang/pki and ses. */
import { createSigner, generateKeyPair, type PrivateKey, type Signer } from '@yinzhang/gm';
import { issueCertificate, parsePkcs12, type Certificate } from '@yinzhang/pki';
import { buildSeal, parseSeal } from '@yinzhang/ses';
import { fixture } from './helpers.js';

export interface TestSigner {
  key: PrivateKey;
  signer: Signer;
  cert: Certificate;
}

export interface TestPki {
  root: TestSigner;
  maker: TestSigner;
  signers: TestSigner[];
  /** One seal per signer (different names, different pictures). */
  seals: Uint8Array[];
  picture: Uint8Array;
}

let cached: Promise<TestPki> | undefined;

/** The seal picture of the ofdrw UserV4 seal (a real PNG), reused as our test picture. */
export function testPicture(): Uint8Array {
  return parseSeal(fixture('UserV4.esl')).picture.data;
}

async function make(): Promise<TestPki> {
  const now = Date.now();
  const notBefore = new Date(now - 24 * 3600e3);
  const notAfter = new Date(now + 365 * 24 * 3600e3);
  const rootKey = generateKeyPair('sm2');
  const rootSigner = createSigner(rootKey);
  const rootCert = await issueCertificate({ profile: 'root', subject: 'CN=yinzhang OFD test root,O=yinzhang,C=CN', issuer: { signer: rootSigner }, notBefore, notAfter: new Date(now + 2 * 365 * 24 * 3600e3) });
  const root = { key: rootKey, signer: rootSigner, cert: rootCert };
  const issue = async (profile: 'seal-maker' | 'signer', cn: string): Promise<TestSigner> => {
    const key = generateKeyPair('sm2');
    const cert = await issueCertificate({ profile, subject: `CN=${cn},O=yinzhang,C=CN`, publicKey: key.publicKey, issuer: { certificate: rootCert, signer: rootSigner }, notBefore, notAfter });
    return { key, signer: createSigner(key), cert };
  };
  const maker = await issue('seal-maker', 'seal maker');
  const signers = [await issue('signer', '甲公司'), await issue('signer', '乙公司'), await issue('signer', '丙公司')];
  const picture = testPicture();
  const seals: Uint8Array[] = [];
  for (const [i, s] of signers.entries()) {
    seals.push(await buildSeal({
      vid: 'YZ', esID: `YZTEST${i}`, type: 1, name: `测试印章${i + 1}`, signerCertificates: [s.cert.der],
      createDate: new Date(now - 3600e3), validStart: new Date(now - 3600e3), validEnd: notAfter,
      picture: { type: 'PNG', data: picture, widthMm: 40, heightMm: 40 },
      maker: { signer: maker.signer, certificate: maker.cert.der },
    }));
  }
  return { root, maker, signers, seals, picture };
}

export function testPki(): Promise<TestPki> {
  cached ??= make();
  return cached;
}

/** The ofdrw test PKI (expired certificates: sign with a signing time inside their validity). */
export function ofdrwUser(): { key: PrivateKey; cert: Certificate } {
  const p = parsePkcs12(fixture('USER.p12'), '777777');
  return { key: p.privateKey, cert: p.certificate };
}
