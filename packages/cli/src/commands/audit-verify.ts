import type { Command } from '../command.js';
import { optionalString } from '../command.js';
import { readText } from '../files.js';
import { YzError } from '@yinzhang/gm';

export const auditVerify: Command = {
  path: ['audit', 'verify'],
  summary: { zh: '重算审计日志的 SM3 Merkle 树并核对签名树头, 指出第一处不一致 (数据库或导出文件)', en: 'Recompute the audit log Merkle tree, check signed tree heads, name the first divergence (database or export)' },
  usage: '[--data DIR | --export FILE] [--json]   (DATABASE_URL selects PostgreSQL)',
  options: { data: { type: 'string' }, export: { type: 'string' }, json: { type: 'boolean' }, schema: { type: 'string' } },
  async run(ctx) {
    const { verifyAudit, readAuditFromDatabase } = await import('@yinzhang/platform');
    const file = optionalString(ctx, 'export');
    let x;
    if (file) {
      try {
        x = JSON.parse(readText(file));
      } catch (e) {
        if (e instanceof YzError) throw e;
        throw new YzError('INVALID_ARGUMENT', `${file} is not a JSON audit export`);
      }
      if (x?.format !== 'yinzhang-audit-export-v1' || !Array.isArray(x.events)) throw new YzError('INVALID_ARGUMENT', `${file} is not a yinzhang audit export`);
    } else {
      x = await readAuditFromDatabase({ dataDir: optionalString(ctx, 'data') ?? './data', databaseUrl: process.env.DATABASE_URL || undefined, schema: optionalString(ctx, 'schema') });
    }
    const v = await verifyAudit(x);
    if (ctx.values.json) {
      ctx.stdout(JSON.stringify(v, null, 2));
    } else if (v.ok) {
      ctx.stdout(ctx.t({ zh: `审计日志完整: ${v.size} 条事件, 根 ${v.root}, 已核对 ${v.headsChecked} 个签名树头`, en: `audit log intact: ${v.size} events, root ${v.root}, ${v.headsChecked} signed tree heads checked` }));
    } else {
      const d = v.divergence!;
      ctx.stdout(ctx.t({
        zh: `审计日志不一致${d.seq !== undefined ? ` (第一处: 事件 ${d.seq})` : ''}${d.treeHeadSize !== undefined ? ` [树头 ${d.treeHeadSize}]` : ''}: ${d.reason}`,
        en: `audit log diverges${d.seq !== undefined ? ` (first at event ${d.seq})` : ''}${d.treeHeadSize !== undefined ? ` [tree head ${d.treeHeadSize}]` : ''}: ${d.reason}`,
      }));
    }
    return v.ok ? 0 : 1;
  },
};
