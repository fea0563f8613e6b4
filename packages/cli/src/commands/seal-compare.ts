import { COMPARE_THRESHOLD, compareImpressions } from '@yinzhang/seal-image';
import type { Command } from '../command.js';
import { readInput } from '../files.js';

export const sealCompare: Command = {
  path: ['seal', 'compare'],
  summary: {
    zh: `印模比对: 输出 0–1 相似度 (退出码 0 表示不低于阈值 ${COMPARE_THRESHOLD}, 即同一印模; 1 表示低于阈值)`,
    en: `compare two impressions: prints a 0–1 score (exit 0 when ≥ ${COMPARE_THRESHOLD}, i.e. same impression; 1 below)`,
  },
  usage: 'A.png|A.jpg B.png|B.jpg [--json]',
  options: { json: { type: 'boolean' } },
  positionals: [2, 2],
  async run(ctx) {
    const r = compareImpressions(readInput(ctx.positionals[0]!), readInput(ctx.positionals[1]!));
    if (ctx.values.json) ctx.stdout(JSON.stringify({ ...r, threshold: COMPARE_THRESHOLD }));
    else {
      ctx.stdout(r.score.toFixed(4));
      ctx.stderr(
        ctx.t({
          zh: `轮廓 ${r.outline.toFixed(3)}, 着墨 ${r.density.toFixed(3)}, 布局 ${r.layout.toFixed(3)}, 旋转 ${r.rotationDeg}°; 阈值 ${COMPARE_THRESHOLD}: ${r.match ? '同一印模' : '不一致'}`,
          en: `outline ${r.outline.toFixed(3)}, density ${r.density.toFixed(3)}, layout ${r.layout.toFixed(3)}, rotation ${r.rotationDeg}°; threshold ${COMPARE_THRESHOLD}: ${r.match ? 'same impression' : 'different'}`,
        }),
      );
    }
    return r.match ? 0 : 1;
  },
};
