import { createSigner, importPrivateKey } from '@yinzhang/gm';
import { oneOf, optionalString, requireString, type Command } from '../command.js';
import { readInput, writeOutput } from '../files.js';

export const gmSign: Command = {
  path: ['gm', 'sign'],
  summary: { zh: '对文件签名 (SM2 默认 ID 1234567812345678)', en: 'sign a file (SM2 default ID 1234567812345678)' },
  usage: '--key KEY.pem [--id ID] FILE --out SIG.der [--encoding der|raw]',
  options: { key: { type: 'string' }, id: { type: 'string' }, out: { type: 'string' }, encoding: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx) {
    const key = importPrivateKey(readInput(requireString(ctx, 'key')));
    const encoding = oneOf(ctx, 'encoding', ['der', 'raw'] as const, 'der');
    const id = optionalString(ctx, 'id');
    const signer = createSigner(key, { encoding, ...(id !== undefined ? { sm2Id: id } : {}) });
    const out = requireString(ctx, 'out');
    writeOutput(out, await signer.sign(readInput(ctx.positionals[0]!)));
    ctx.stderr(ctx.t({ zh: `签名已写入 ${out} (${signer.algorithm.name})`, en: `signature written to ${out} (${signer.algorithm.name})` }));
    return 0;
  },
};
