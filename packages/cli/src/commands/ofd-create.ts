/** `yinzhang ofd create`: a simple unsigned OFD with pages of text, for tests and demos. */
import { createOfd } from '@yinzhang/ofd';
import { UsageError, optionalString, requireString, type Command } from '../command.js';
import { readText, writeOutput } from '../files.js';

const MAX_PAGES = 10_000;

export const ofdCreate: Command = {
  path: ['ofd', 'create'],
  summary: { zh: '生成一个未签章的文字 OFD (测试与演示用)', en: 'create an unsigned OFD with pages of text (for tests and demos)' },
  usage: '--out X.ofd [--pages N] [--text TEXT | --text-file FILE] [--size WxH] [--font-size MM]   # {n} in the text = page number; "\\n" = new line; form feed in --text-file = new page',
  options: {
    out: { type: 'string' }, pages: { type: 'string' }, text: { type: 'string' }, 'text-file': { type: 'string' },
    size: { type: 'string' }, 'font-size': { type: 'string' },
  },
  async run(ctx) {
    const out = requireString(ctx, 'out');
    const n = Number(optionalString(ctx, 'pages') ?? '1');
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGES) throw new UsageError({ zh: `--pages 必须是 1..${MAX_PAGES} 的整数`, en: `--pages must be an integer 1..${MAX_PAGES}` });
    const textFile = optionalString(ctx, 'text-file');
    const text = optionalString(ctx, 'text');
    if (textFile && text !== undefined) throw new UsageError({ zh: '--text 与 --text-file 只能选一个', en: 'use --text or --text-file, not both' });
    let pages: string[];
    if (textFile) {
      const chunks = readText(textFile).split('\f');
      pages = Array.from({ length: Math.max(n, chunks.length) }, (_, i) => chunks[i % chunks.length]!.replace(/\{n\}/g, String(i + 1)));
    } else {
      const t = (text ?? '第 {n} 页').replace(/\\n/g, '\n');
      pages = Array.from({ length: n }, (_, i) => t.replace(/\{n\}/g, String(i + 1)));
    }
    const sizeText = optionalString(ctx, 'size');
    let width = 210;
    let height = 297;
    if (sizeText) {
      const m = /^(\d+(?:\.\d+)?)[xX×*](\d+(?:\.\d+)?)$/.exec(sizeText);
      if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new UsageError({ zh: `--size 格式错误: ${sizeText}`, en: `bad --size: ${sizeText}` });
      width = Number(m[1]);
      height = Number(m[2]);
    }
    const fsText = optionalString(ctx, 'font-size');
    const fontSize = fsText === undefined ? undefined : Number(fsText);
    if (fontSize !== undefined && !(fontSize > 0 && fontSize < 100)) throw new UsageError({ zh: '--font-size 必须在 0..100 毫米之间', en: '--font-size must be between 0 and 100 mm' });
    writeOutput(out, createOfd({ pages, width, height, ...(fontSize ? { fontSize } : {}) }));
    ctx.stderr(ctx.t({ zh: `已生成 ${out} (${pages.length} 页)`, en: `created ${out} (${pages.length} pages)` }));
    return 0;
  },
};
