import { sm3, toHex } from '@yinzhang/gm';
import type { Command } from '../command.js';
import { readInput } from '../files.js';

export const gmSm3: Command = {
  path: ['gm', 'sm3'],
  summary: { zh: '计算文件的 SM3 摘要 (小写十六进制)', en: 'SM3 digest of a file (lowercase hex)' },
  usage: 'FILE',
  options: {},
  positionals: [1, 1],
  async run(ctx) {
    ctx.stdout(toHex(sm3(readInput(ctx.positionals[0]!))));
    return 0;
  },
};
