/** The signer of `yinzhang sign`: `--key K --cert C` (PEM/DER) or `--p12 F --password P`. */
import { bytesEqual, createSigner, importPrivateKey, publicKeySpki, type PrivateKey, type Signer } from '@yinzhang/gm';
import { parseCertificate, parseCertificates, parsePkcs12, type Certificate } from '@yinzhang/pki';
import { UsageError, optionalString, type CommandContext } from './command.js';
import { readInput } from './files.js';

export interface SigningIdentity {
  key: PrivateKey;
  signer: Signer;
  /** The parsed signer certificate. */
  cert: Certificate;
  chainCerts: Certificate[];
  /** DER X.509 of the signer. */
  certificate: Uint8Array;
  /** DER of further certificates (the chain from a PKCS#12, or extra certificates after the first in --cert). */
  chain: Uint8Array[];
}

export function loadSigningIdentity(ctx: CommandContext): SigningIdentity {
  const key = optionalString(ctx, 'key');
  const cert = optionalString(ctx, 'cert');
  const p12 = optionalString(ctx, 'p12');
  if (p12 && (key || cert)) throw new UsageError({ zh: '--p12 不能与 --key/--cert 同时使用', en: '--p12 cannot be combined with --key/--cert' });
  if (p12) {
    const password = optionalString(ctx, 'password');
    if (password === undefined) throw new UsageError({ zh: '缺少参数 --password', en: 'missing --password' });
    const c = parsePkcs12(readInput(p12), password);
    return { key: c.privateKey, signer: createSigner(c.privateKey), cert: c.certificate, chainCerts: c.chain, certificate: c.certificate.der, chain: c.chain.map((x) => x.der) };
  }
  if (!key || !cert) throw new UsageError({ zh: '请给出 --key 与 --cert，或 --p12 与 --password', en: 'give --key and --cert, or --p12 and --password' });
  const certs = parseCertificates(readInput(cert));
  const leaf = certs[0] ?? parseCertificate(readInput(cert));
  const privateKey = importPrivateKey(readInput(key));
  const signer = createSigner(privateKey);
  if (!bytesEqual(publicKeySpki(signer.publicKey), leaf.spki)) {
    throw new UsageError({ zh: '私钥与证书不匹配', en: 'the private key does not belong to the certificate' });
  }
  const chainCerts = certs.slice(1);
  return { key: privateKey, signer, cert: leaf, chainCerts, certificate: leaf.der, chain: chainCerts.map((c) => c.der) };
}

/** Every certificate in the given PEM/DER files, as DER (for --trust). */
export function loadCertificates(paths: string[]): Uint8Array[] {
  return paths.flatMap((p) => parseCertificates(readInput(p)).map((c) => c.der));
}
