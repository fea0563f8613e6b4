/**
 * PKCS#12 (RFC 7292) import: the private key, its certificate and the rest of the chain. Reads what real tools
 * write: BER with indefinite lengths (Java / Bouncy Castle, e.g. the ofdrw test PKI), the legacy PKCS#12 PBEs
 * (SHA-1 with 3-key/2-key 3DES or RC2-40/128) and PBES2 (PBKDF2 + AES-CBC or SM4-CBC). The MAC is checked first,
 * so a wrong password gives PKCS12_BAD_PASSWORD rather than garbage. Node-only (3DES/AES via node:crypto).
 */
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import {
  ErrorCode, YzError, bytesEqual, concatBytes, digest, hmac, importPrivateKey, publicKeySpki, sm4CbcDecrypt, toHex,
  digestAlgorithmByOid, type DigestAlgorithm, type PrivateKey,
} from '@yinzhang/gm';
import { readBer, octets, berOid, berInt, type BerNode } from './ber.js';
import { parseCertificate, type Certificate } from './certificate.js';
import { PkiOid } from './oids.js';
import { rc2CbcDecrypt } from './rc2.js';

export interface Pkcs12Contents {
  privateKey: PrivateKey;
  /** The certificate for `privateKey`. */
  certificate: Certificate;
  /** Every other certificate in the file (usually the issuing chain). */
  chain: Certificate[];
}

export const MAX_PKCS12_BYTES = 16 * 1024 * 1024;
const MAX_ITERATIONS = 10_000_000;
const MAX_BAGS = 1000;
const C = ErrorCode.PKCS12_MALFORMED;

function bad(msg: string): never {
  throw new YzError(C, msg);
}

/** The password as PKCS#12 wants it: BMPString, big-endian UTF-16 with two zero bytes at the end. */
function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

/** RFC 7292 Appendix B.2 key derivation. id 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(hash: DigestAlgorithm, password: Uint8Array, salt: Uint8Array, iterations: number, id: number, length: number): Uint8Array {
  const u = digest(hash, new Uint8Array(0)).length;
  const v = hash === 'sha384' || hash === 'sha512' ? 128 : 64;
  const fill = (src: Uint8Array): Uint8Array => {
    if (src.length === 0) return new Uint8Array(0);
    const out = new Uint8Array(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = new Uint8Array(v).fill(id);
  const I = concatBytes(fill(salt), fill(password));
  const blocks: Uint8Array[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let A = digest(hash, concatBytes(D, I));
    for (let r = 1; r < iterations; r++) A = digest(hash, A);
    blocks.push(A);
    const B = new Uint8Array(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u]!;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return concatBytes(...blocks).subarray(0, length);
}

function unpad(data: Uint8Array, block: number): Uint8Array {
  const n = data[data.length - 1] ?? 0;
  if (n < 1 || n > block || n > data.length || data.subarray(data.length - n).some((b) => b !== n)) {
    throw new YzError(ErrorCode.PKCS12_BAD_PASSWORD, 'PKCS#12 decryption failed (wrong password or corrupt file)');
  }
  return data.subarray(0, data.length - n);
}

function nodeDecrypt(cipher: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  try {
    const d = createDecipheriv(cipher, key, iv);
    d.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
  } catch (e) {
    throw new YzError(ErrorCode.PKCS12_BAD_PASSWORD, 'PKCS#12 decryption failed (wrong password or corrupt file)', undefined, { cause: e });
  }
}

function checkIterations(n: number): number {
  if (n < 1 || n > MAX_ITERATIONS) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `PKCS#12 iteration count ${n} outside 1..${MAX_ITERATIONS}`);
  return n;
}

/** Decrypts data protected by an AlgorithmIdentifier of a PKCS#12 PBE or PBES2. */
function pbeDecrypt(alg: BerNode, password: string, data: Uint8Array): Uint8Array {
  const oid = berOid(alg.children[0], C);
  const params = alg.children[1];
  if (oid === PkiOid.pbes2) return pbes2Decrypt(params, password, data);
  const salt = octets(params?.children[0] ?? bad('PBE parameters missing'));
  const iter = checkIterations(berInt(params?.children[1], C));
  const pw = bmpPassword(password);
  if (data.length === 0 || data.length % 8 !== 0) bad('encrypted data length is not a multiple of the block size');
  const kdf = (id: number, len: number) => pkcs12Kdf('sha1', pw, salt, iter, id, len);
  switch (oid) {
    case PkiOid.pbeSha1Des3:
      return unpad(nodeDecrypt('des-ede3-cbc', kdf(1, 24), kdf(2, 8), data), 8);
    case PkiOid.pbeSha1Des2: {
      const k = kdf(1, 16);
      return unpad(nodeDecrypt('des-ede3-cbc', concatBytes(k, k.subarray(0, 8)), kdf(2, 8), data), 8);
    }
    case PkiOid.pbeSha1Rc2_40:
      return unpad(rc2CbcDecrypt(kdf(1, 5), 40, kdf(2, 8), data), 8);
    case PkiOid.pbeSha1Rc2_128:
      return unpad(rc2CbcDecrypt(kdf(1, 16), 128, kdf(2, 8), data), 8);
    default:
      throw new YzError(ErrorCode.UNSUPPORTED, `unsupported PKCS#12 encryption ${oid}`, { oid });
  }
}

function pbes2Decrypt(params: BerNode | undefined, password: string, data: Uint8Array): Uint8Array {
  const kdf = params?.children[0];
  const enc = params?.children[1];
  if (!kdf || !enc || berOid(kdf.children[0], C) !== PkiOid.pbkdf2) throw new YzError(ErrorCode.UNSUPPORTED, 'PBES2 without PBKDF2');
  const kp = kdf.children[1] ?? bad('PBKDF2 parameters missing');
  const salt = octets(kp.children[0] ?? bad('PBKDF2 salt missing'));
  const iter = checkIterations(berInt(kp.children[1], C));
  let prf = 'sha1';
  for (const c of kp.children.slice(2)) {
    if (c.tag === 0x30) {
      const p = berOid(c.children[0], C);
      prf = p === PkiOid.hmacWithSha256 ? 'sha256' : p === PkiOid.hmacWithSha1 ? 'sha1' : p === '1.2.156.10197.1.401.3.1' ? 'sm3' : bad(`unsupported PBKDF2 PRF ${p}`);
    }
  }
  const encOid = berOid(enc.children[0], C);
  const iv = octets(enc.children[1] ?? bad('cipher IV missing'));
  const pw = new TextEncoder().encode(password);
  const keyLen = { [PkiOid.aes128Cbc]: 16, [PkiOid.aes192Cbc]: 24, [PkiOid.aes256Cbc]: 32, [PkiOid.des3Cbc]: 24, [PkiOid.sm4Cbc]: 16 }[encOid];
  if (!keyLen) throw new YzError(ErrorCode.UNSUPPORTED, `unsupported PBES2 cipher ${encOid}`);
  const key = new Uint8Array(pbkdf2Sync(pw, salt, iter, keyLen, prf));
  if (encOid === PkiOid.sm4Cbc) {
    try {
      return sm4CbcDecrypt(key, iv, data);
    } catch (e) {
      throw new YzError(ErrorCode.PKCS12_BAD_PASSWORD, 'PKCS#12 decryption failed (wrong password or corrupt file)', undefined, { cause: e });
    }
  }
  const name = encOid === PkiOid.des3Cbc ? 'des-ede3-cbc' : `aes-${keyLen * 8}-cbc`;
  return unpad(nodeDecrypt(name, key, iv, data), encOid === PkiOid.des3Cbc ? 8 : 16);
}

function checkMac(pfx: BerNode, authSafeContent: Uint8Array, password: string): void {
  const macData = pfx.children[2];
  if (!macData) return; // integrity left to the PBE padding check
  const digestInfo = macData.children[0] ?? bad('MacData without DigestInfo');
  const hash = digestAlgorithmByOid(berOid(digestInfo.children[0]?.children[0], C));
  const expected = octets(digestInfo.children[1] ?? bad('MacData without digest'));
  const salt = octets(macData.children[1] ?? bad('MacData without salt'));
  const iter = macData.children[2] ? checkIterations(berInt(macData.children[2], C)) : 1;
  const key = pkcs12Kdf(hash, bmpPassword(password), salt, iter, 3, digest(hash, new Uint8Array(0)).length);
  if (!bytesEqual(hmac(hash, key, authSafeContent), expected)) {
    throw new YzError(ErrorCode.PKCS12_BAD_PASSWORD, 'PKCS#12 MAC does not verify (wrong password or corrupt file)');
  }
}

interface Bag {
  type: string;
  value: BerNode;
  localKeyId?: string;
}

function safeBags(contents: Uint8Array, out: Bag[]): void {
  const seq = readBer(contents, C);
  for (const bag of seq.children) {
    if (out.length >= MAX_BAGS) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${MAX_BAGS} PKCS#12 bags`);
    const type = berOid(bag.children[0], C);
    const value = bag.children[1]?.children[0] ?? bad('SafeBag without value');
    let localKeyId: string | undefined;
    for (const attr of bag.children[2]?.children ?? []) {
      if (berOid(attr.children[0], C) === PkiOid.localKeyId) {
        const v = attr.children[1]?.children[0];
        if (v) localKeyId = toHex(octets(v));
      }
    }
    out.push({ type, value, ...(localKeyId ? { localKeyId } : {}) });
  }
}

/**
 * Opens a PKCS#12 file. The key is the first key bag; its certificate is found by localKeyId, else by public key.
 * Throws PKCS12_BAD_PASSWORD, PKCS12_MALFORMED, UNSUPPORTED (unknown PBE) or LIMIT_EXCEEDED.
 */
export function parsePkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  if (bytes.length > MAX_PKCS12_BYTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `PKCS#12 file larger than ${MAX_PKCS12_BYTES} bytes`);
  let pfx: BerNode;
  try {
    pfx = readBer(bytes, C);
  } catch (e) {
    if (e instanceof YzError && e.code === ErrorCode.LIMIT_EXCEEDED) throw e;
    throw new YzError(C, 'not a PKCS#12 file', undefined, { cause: e });
  }
  if (pfx.tag !== 0x30 || berInt(pfx.children[0], C) !== 3) bad('not a PKCS#12 v3 PFX');
  const authSafe = pfx.children[1] ?? bad('PFX without authSafe');
  if (berOid(authSafe.children[0], C) !== PkiOid.data) throw new YzError(ErrorCode.UNSUPPORTED, 'only password-integrity PKCS#12 (authSafe of type data) is supported');
  const authSafeContent = octets(authSafe.children[1]?.children[0] ?? bad('authSafe without content'));
  checkMac(pfx, authSafeContent, password);

  const bags: Bag[] = [];
  for (const ci of readBer(authSafeContent, C).children) {
    const type = berOid(ci.children[0], C);
    const content = ci.children[1]?.children[0] ?? bad('ContentInfo without content');
    if (type === PkiOid.data) safeBags(octets(content), bags);
    else if (type === PkiOid.encryptedData) {
      const eci = content.children[1] ?? bad('EncryptedData without EncryptedContentInfo');
      const alg = eci.children[1] ?? bad('EncryptedContentInfo without algorithm');
      const enc = eci.children[2] ?? bad('EncryptedContentInfo without content');
      safeBags(pbeDecrypt(alg, password, octets(enc)), bags);
    } else throw new YzError(ErrorCode.UNSUPPORTED, `unsupported PKCS#12 content type ${type}`);
  }

  let key: { key: PrivateKey; localKeyId?: string } | undefined;
  const certs: { cert: Certificate; localKeyId?: string }[] = [];
  for (const bag of bags) {
    if (bag.type === PkiOid.pkcs8ShroudedKeyBag || bag.type === PkiOid.keyBag) {
      if (key) continue;
      let pkcs8: Uint8Array;
      if (bag.type === PkiOid.keyBag) pkcs8 = bag.value.bytes;
      else {
        const alg = bag.value.children[0] ?? bad('EncryptedPrivateKeyInfo without algorithm');
        pkcs8 = pbeDecrypt(alg, password, octets(bag.value.children[1] ?? bad('EncryptedPrivateKeyInfo without data')));
      }
      key = { key: importPrivateKey(toDer(pkcs8)), ...(bag.localKeyId ? { localKeyId: bag.localKeyId } : {}) };
    } else if (bag.type === PkiOid.certBag) {
      if (berOid(bag.value.children[0], C) !== PkiOid.x509CertificateBag) continue;
      const der = octets(bag.value.children[1]?.children[0] ?? bad('CertBag without value'));
      certs.push({ cert: parseCertificate(der), ...(bag.localKeyId ? { localKeyId: bag.localKeyId } : {}) });
    }
  }
  if (!key) bad('no private key in the PKCS#12 file');
  const spki = toHex(publicKeySpki(key.key.publicKey));
  const mine =
    certs.find((c) => key.localKeyId !== undefined && c.localKeyId === key.localKeyId && toHex(c.cert.spki) === spki) ??
    certs.find((c) => toHex(c.cert.spki) === spki);
  if (!mine) bad('no certificate for the private key in the PKCS#12 file');
  return { privateKey: key.key, certificate: mine.cert, chain: certs.filter((c) => c !== mine).map((c) => c.cert) };
}

/** Bouncy Castle writes PKCS#8 in BER too; re-encode definite lengths so gm's DER key import reads it. */
function toDer(ber: Uint8Array): Uint8Array {
  const node = readBer(ber, C);
  const enc = (n: BerNode): Uint8Array => {
    const value = n.constructed ? concatBytes(...n.children.map(enc)) : n.value;
    const len = value.length;
    const lenBytes = len < 0x80 ? [len] : (() => {
      const b: number[] = [];
      for (let x = len; x > 0; x = Math.floor(x / 256)) b.unshift(x & 0xff);
      return [0x80 | b.length, ...b];
    })();
    const head = n.bytes.subarray(0, tagLength(n.bytes));
    return concatBytes(head, Uint8Array.from(lenBytes), value);
  };
  return enc(node);
}

function tagLength(b: Uint8Array): number {
  if ((b[0]! & 0x1f) !== 0x1f) return 1;
  let i = 1;
  while (i < b.length && b[i]! & 0x80) i++;
  return i + 1;
}
