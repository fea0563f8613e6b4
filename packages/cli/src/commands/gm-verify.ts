import { createVerifier, importPublicKey, pemDecode, Tag, children, readSingle, type PublicKey } from '../gm-imports.js';
import { UsageError, optionalString, requireString, type Command } from '../command.js';
import { readInput } from '../files.js';

/** The SubjectPublicKeyInfo of an X.509 certificate (PEM or DER): field 7 of TBSCertificate, or 6 without [0] version. */
function publicKeyOfCertificate(input: Uint8Array): PublicKey {
  const text = new TextDecoder().decode(input.subarray(0, 64));
  const der = text.includes('-----BEGIN') ? pemDecode(input, ['CERTIFICATE']).der : input;
  const tbs = children(children(readSingle(der), 4)[0]!, 16);
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const spki = tbs[offset + 5];
  if (!spki || spki.tag !== Tag.SEQUENCE) throw new UsageError({ zh: '证书中找不到公钥', en: 'no public key in the certificate' });
  return importPublicKey(spki.bytes);
}

export const gmVerify: Command = {
  path: ['gm', 'verify'],
  summary: { zh: '验证文件签名 (退出码 0 有效, 1 无效)', en: 'verify a file signature (exit 0 valid, 1 invalid)' },
  usage: '(--pub PUB.pem | --cert CERT.pem) [--id ID] FILE --sig SIG.der [--json]',
  options: { pub: { type: 'string' }, cert: { type: 'string' }, id: { type: 'string' }, sig: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx) {
    const pub = optionalString(ctx, 'pub');
    const cert = optionalString(ctx, 'cert');
    if (!pub === !cert) throw new UsageError({ zh: '请给出 --pub 或 --cert 之一', en: 'give exactly one of --pub or --cert' });
    const key = pub ? importPublicKey(readInput(pub)) : publicKeyOfCertificate(readInput(cert!));
    const id = optionalString(ctx, 'id');
    const verifier = createVerifier(key, id !== undefined ? { sm2Id: id } : {});
    const ok = await verifier.verify(readInput(ctx.positionals[0]!), readInput(requireString(ctx, 'sig')));
    if (ctx.values.json) ctx.stdout(JSON.stringify({ valid: ok, algorithm: verifier.algorithm.name }));
    else ctx.stdout(ok ? ctx.t({ zh: '签名有效', en: 'signature valid' }) : ctx.t({ zh: '签名无效', en: 'signature INVALID' }));
    return ok ? 0 : 1;
  },
};
