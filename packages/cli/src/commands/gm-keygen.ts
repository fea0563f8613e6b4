import { generateKeyPair, type KeygenAlgorithm } from '@yinzhang/gm';
import { oneOf, requireString, optionalString, type Command } from '../command.js';
import { writeOutput } from '../files.js';

export const gmKeygen: Command = {
  path: ['gm', 'keygen'],
  summary: { zh: '生成密钥对 (PKCS#8 / SPKI PEM)', en: 'generate a key pair (PKCS#8 / SPKI PEM)' },
  usage: '--alg sm2|p256|rsa2048|rsa3072 --out KEY.pem [--pub-out PUB.pem]',
  options: { alg: { type: 'string' }, out: { type: 'string' }, 'pub-out': { type: 'string' } },
  async run(ctx) {
    const alg = oneOf<KeygenAlgorithm>(ctx, 'alg', ['sm2', 'p256', 'rsa2048', 'rsa3072'], 'sm2');
    const out = requireString(ctx, 'out');
    const key = generateKeyPair(alg);
    writeOutput(out, key.toPem(), true);
    const pubOut = optionalString(ctx, 'pub-out');
    if (pubOut) writeOutput(pubOut, key.publicKey.toPem());
    ctx.stderr(ctx.t({ zh: `已生成 ${alg} 密钥: ${out}`, en: `generated ${alg} key: ${out}` }));
    return 0;
  },
};
