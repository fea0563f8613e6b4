import type { Command } from '../command.js';
import { optionalString } from '../command.js';
import { readText } from '../files.js';
import { YzError } from '@yinzhang/gm';
import type { TreeHead } from '@yinzhang/platform';

/**
 * Signed tree heads saved outside the platform, as the API returns them: one head (`POST /api/v1/audit/tree-heads`)
 * or a list (`GET /api/v1/audit/tree-heads`).
 */
function readHeads(file: string): TreeHead[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof YzError) throw e;
    throw new YzError('INVALID_ARGUMENT', `${file} is not a JSON tree head`);
  }
  const list = (parsed as { items?: unknown })?.items ?? [parsed];
  if (!Array.isArray(list)) throw new YzError('INVALID_ARGUMENT', `${file} is not a tree head or a list of them`);
  return list.map((h: Record<string, unknown>) => {
    const keyId = h?.keyId ?? h?.key_id;
    if (!Number.isSafeInteger(h?.size) || typeof h.root !== 'string' || typeof h.at !== 'string' || typeof h.signature !== 'string' || typeof keyId !== 'string') {
      throw new YzError('INVALID_ARGUMENT', `${file}: a tree head needs size, root, at, signature and keyId`);
    }
    return { size: h.size as number, root: h.root, at: h.at, signature: h.signature, key_id: keyId };
  });
}

export const auditVerify: Command = {
  path: ['audit', 'verify'],
  summary: { zh: '重算审计日志的 SM3 Merkle 树并核对签名树头, 指出第一处不一致 (数据库或导出文件)', en: 'Recompute the audit log Merkle tree, check signed tree heads, name the first divergence (database or export)' },
  usage: '[--data DIR | --export FILE] [--head HEAD.json ...] [--json]   (DATABASE_URL selects PostgreSQL; --head: a signed tree head kept outside the platform)',
  options: { data: { type: 'string' }, export: { type: 'string' }, json: { type: 'boolean' }, schema: { type: 'string' }, head: { type: 'string', multiple: true } },
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
    const v = await verifyAudit(x, ((ctx.values.head ?? []) as string[]).flatMap(readHeads));
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
