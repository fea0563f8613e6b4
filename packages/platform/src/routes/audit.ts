/** Audit log API (auditor reads; auditor or security officer has a tree head signed). */
import { YzError, toHex } from '@yinzhang/gm';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { caller } from '../http.js';
import { forbidden, hasPlatformRole } from '../auth/roles.js';
import { exportAudit, signTreeHead } from '../audit/heads.js';
import { consistencyProof, inclusionProof, rootOf } from '../audit/merkle.js';
import { storedLeaves } from '../audit/log.js';

const MAX_PROOF_TREE = 1_000_000;

export function auditRoutes(app: FastifyInstance, ctx: Ctx): void {
  const auditorOnly = (req: Parameters<typeof caller>[0]) => {
    if (!hasPlatformRole(caller(req), 'auditor')) forbidden();
  };

  app.get('/api/v1/audit/events', {
    schema: { tags: ['audit'], summary: 'Audit events in order (auditor)', querystring: { type: 'object', additionalProperties: false, properties: {
      after: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } } },
  }, async (req) => {
    auditorOnly(req);
    const { after, limit } = req.query as { after: number; limit: number };
    const rows = await ctx.db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute();
    return { items: rows.map((r) => ({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, objectType: r.object_type, objectId: r.object_id, data: JSON.parse(r.data) as unknown, leafHash: r.leaf_hash })) };
  });

  app.get('/api/v1/audit/tree-heads', { schema: { tags: ['audit'], summary: 'Signed tree heads (auditor)' } }, async (req) => {
    auditorOnly(req);
    const rows = await ctx.db.selectFrom('audit_tree_heads').selectAll().orderBy('size', 'desc').limit(100).execute();
    return { items: rows.map((h) => ({ size: Number(h.size), root: h.root, at: h.at, signature: h.signature, keyId: h.key_id })) };
  });

  app.post('/api/v1/audit/tree-heads', { schema: { tags: ['audit'], summary: 'Sign the current tree head now (auditor, security_officer)' } }, async (req, reply) => {
    const p = caller(req);
    if (!hasPlatformRole(p, 'auditor', 'security_officer')) forbidden();
    reply.code(201);
    return signTreeHead(ctx);
  });

  app.get('/api/v1/audit/proofs/inclusion', {
    schema: { tags: ['audit'], summary: 'RFC 9162 inclusion proof of event `seq` (1-based) in the tree of `size` events (auditor)',
      querystring: { type: 'object', required: ['seq', 'size'], additionalProperties: false, properties: { seq: { type: 'integer', minimum: 1 }, size: { type: 'integer', minimum: 1, maximum: MAX_PROOF_TREE } } } },
  }, async (req) => {
    auditorOnly(req);
    const { seq, size } = req.query as { seq: number; size: number };
    const leaves = await storedLeaves(ctx.db, size);
    if (leaves.length < size || seq > size) throw new YzError('INVALID_ARGUMENT', `need 1 <= seq <= size <= ${leaves.length}`);
    return { leafIndex: seq - 1, treeSize: size, leafHash: toHex(leaves[seq - 1]!), root: toHex(rootOf(leaves)), path: inclusionProof(seq - 1, leaves).map(toHex) };
  });

  app.get('/api/v1/audit/proofs/consistency', {
    schema: { tags: ['audit'], summary: 'RFC 9162 consistency proof between tree sizes `first` and `second` (auditor)',
      querystring: { type: 'object', required: ['first', 'second'], additionalProperties: false, properties: { first: { type: 'integer', minimum: 1 }, second: { type: 'integer', minimum: 1, maximum: MAX_PROOF_TREE } } } },
  }, async (req) => {
    auditorOnly(req);
    const { first, second } = req.query as { first: number; second: number };
    const leaves = await storedLeaves(ctx.db, second);
    if (leaves.length < second || first > second) throw new YzError('INVALID_ARGUMENT', `need 1 <= first <= second <= ${leaves.length}`);
    return { first, second, firstRoot: toHex(rootOf(leaves.slice(0, first))), secondRoot: toHex(rootOf(leaves)), proof: consistencyProof(first, leaves).map(toHex) };
  });

  app.get('/api/v1/audit/export', { schema: { tags: ['audit'], summary: 'Everything `yinzhang audit verify --export` needs (auditor)' } }, async (req) => {
    auditorOnly(req);
    return exportAudit(ctx.db);
  });
}
