/** Signed tree heads and the export that `yinzhang audit verify` checks. */
import { toBase64, toHex } from '@yinzhang/gm';
import type { Ctx } from '../context.js';
import type { Q } from '../db/schema.js';
import { iso } from '../util.js';
import { parseFrontier, treeHeadMessage } from './log.js';
import { frontierRoot } from './merkle.js';
import type { AuditExport } from './verify.js';

export async function auditKeyId(q: Q): Promise<string> {
  const row = await q.selectFrom('settings').select('value').where('name', '=', 'audit_key_id').executeTakeFirstOrThrow();
  return row.value;
}

/** Signs the current head (once per size: a second instance signing the same size gets the existing head). */
export async function signTreeHead(ctx: Ctx): Promise<{ size: number; root: string; at: string; signature: string; keyId: string }> {
  const state = await ctx.db.selectFrom('audit_state').select(['size', 'frontier']).where('id', '=', 1).executeTakeFirstOrThrow();
  const size = Number(state.size);
  const existing = await ctx.db.selectFrom('audit_tree_heads').selectAll().where('size', '=', size).executeTakeFirst();
  if (existing) return { size, root: existing.root, at: existing.at, signature: existing.signature, keyId: existing.key_id };
  const root = toHex(frontierRoot(parseFrontier(state.frontier)));
  const at = iso(ctx.clock.now());
  const keyId = await auditKeyId(ctx.db);
  const signer = await ctx.keystore.signer(ctx.db, keyId);
  const signature = toBase64(await signer.sign(treeHeadMessage(size, root, at)));
  try {
    await ctx.db.insertInto('audit_tree_heads').values({ size, root, at, signature, key_id: keyId }).execute();
  } catch {
    const row = await ctx.db.selectFrom('audit_tree_heads').selectAll().where('size', '=', size).executeTakeFirstOrThrow();
    return { size, root: row.root, at: row.at, signature: row.signature, keyId: row.key_id };
  }
  return { size, root, at, signature, keyId };
}

export async function exportAudit(q: Q): Promise<AuditExport> {
  const events = await q.selectFrom('audit_events').selectAll().orderBy('seq').execute();
  const state = await q.selectFrom('audit_state').select(['size', 'frontier']).where('id', '=', 1).executeTakeFirst() ?? null;
  const treeHeads = await q.selectFrom('audit_tree_heads').selectAll().orderBy('size').execute();
  const keys = await q.selectFrom('keys').select(['id', 'public_spki']).where('purpose', '=', 'audit').execute();
  return {
    format: 'yinzhang-audit-export-v1',
    events: events.map((e) => ({ ...e, seq: Number(e.seq) })),
    state: state ? { size: Number(state.size), frontier: state.frontier } : null,
    treeHeads: treeHeads.map((h) => ({ ...h, size: Number(h.size) })),
    auditKeys: Object.fromEntries(keys.map((k) => [k.id, toBase64(new Uint8Array(k.public_spki))])),
  };
}
