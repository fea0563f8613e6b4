import { parseCertificate } from '@yinzhang/pki';
import { createVerifier, importPublicKey, type PublicKey } from '../gm-imports.js';
import { UsageError, optionalString, requireString, type Command } from '../command.js';
import { readInput } from '../files.js';

/** The public key of an X.509 certificate (PEM or DER), via the PKI parser (lenient with real-world encodings). */
function publicKeyOfCertificate(input: Uint8Array): PublicKey {
  return importPublicKey(parseCertificate(input).spki);
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
