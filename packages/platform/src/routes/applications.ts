/**
 * Applications (issue / renew / reissue / revoke / reactivate) with materials, and their tiered review:
 * a county reviewer collects and forwards, the city issues (遂平 第七条); a rejection always carries a reason
 * shown to the applicant (广东 第七条). Approval fulfils the application in the same transaction.
 */
import { YzError } from '@yinzhang/gm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { change, type Ctx } from '../context.js';
import { caller, decodeCursor, idParam, page, pageQuery } from '../http.js';
import {
  forbidden, hasOrgRole, hasPlatformRole, orgRolesOf, reviewerCovers, reviewerRegions, type Principal,
} from '../auth/roles.js';
import type { ApplicationTable, Q } from '../db/schema.js';
import { newId, notFound } from '../util.js';
import { KIND_LABEL_ZH, MARKET_ENTITY_SET, SEAL_KINDS, needsHolder, type SealRequest } from '../domain/seal-kinds.js';
import { MATERIAL_TYPES, checkMaterial, sha256Hex } from '../domain/materials.js';
import { getBlob, putBlob } from '../domain/blob-store.js';
import { checkRenewalWindow, fulfilApplication } from '../domain/lifecycle.js';
import { notify } from '../domain/notifications.js';
import { comparisonOf, importImpression, type ImpressionComparison } from '../domain/picture.js';

export const APPLICATION_KINDS = ['issue', 'renew', 'reissue', 'revoke', 'reactivate'] as const;
const OPEN = ['submitted', 'forwarded'];
/** The seal code is assigned at production; before that the reference impression carries this one (small digits only). */
const UNASSIGNED_SEAL_CODE = '0000000000000';

export const applicationView = (a: ApplicationTable) => ({
  id: a.id, kind: a.kind, orgId: a.org_id, applicantUserId: a.applicant_user_id, agentPersonId: a.agent_person_id, status: a.status,
  seals: JSON.parse(a.seal_requests) as SealRequest[], targetSealId: a.target_seal_id, note: a.note, rejectionReason: a.rejection_reason,
  regionCode: a.region_code, forwardedFrom: a.forwarded_from, decidedBy: a.decided_by, createdAt: a.created_at, updatedAt: a.updated_at,
});

/** An application the caller may see (its organisation's org_admin, reviewers of its region chain, admin, auditor), else 404. */
async function visibleApplication(ctx: Ctx, q: Q, p: Principal, id: string): Promise<ApplicationTable> {
  const a = await q.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) return notFound('application');
  if (hasPlatformRole(p, 'admin', 'auditor') || orgRolesOf(p, a.org_id).size > 0) return a;
  const org = await q.selectFrom('organisations').select('region_code').where('id', '=', a.org_id).executeTakeFirstOrThrow();
  if (await reviewerCovers(q, p, a.region_code) || await reviewerCovers(q, p, org.region_code)) return a;
  return notFound('application');
}

const sealRequestSchema = {
  type: 'object', required: ['kind', 'name'], additionalProperties: false, properties: {
    kind: { type: 'string', enum: SEAL_KINDS }, name: { type: 'string', minLength: 1, maxLength: 60 },
    holderPersonId: { type: 'string', format: 'uuid' },
    impressionMaterialId: { type: 'string', format: 'uuid', description: 'an uploaded PNG impression (印模) to use instead of a generated one; compared before use' },
  },
} as const;

export function applicationRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/v1/applications', {
    schema: {
      tags: ['applications'], summary: 'Submit an application (org_admin of the organisation). `preset: market_entity_set` requests the five-seal set (开封 第十二条).',
      body: { type: 'object', required: ['orgId', 'kind'], additionalProperties: false, properties: {
        orgId: { type: 'string', format: 'uuid' }, kind: { type: 'string', enum: APPLICATION_KINDS },
        seals: { type: 'array', minItems: 1, maxItems: 10, items: sealRequestSchema },
        preset: { type: 'string', enum: ['market_entity_set'] },
        targetSealId: { type: 'string', format: 'uuid' }, agentPersonId: { type: 'string', format: 'uuid' },
        note: { type: 'string', maxLength: 1000 } } },
    },
  }, async (req, reply) => {
    const p = caller(req);
    const b = req.body as { orgId: string; kind: string; seals?: SealRequest[]; preset?: string; targetSealId?: string; agentPersonId?: string; note?: string };
    const org = await ctx.db.selectFrom('organisations').selectAll().where('id', '=', b.orgId).executeTakeFirst();
    if (!org || orgRolesOf(p, org.id).size === 0) {
      if (org && (hasPlatformRole(p, 'admin', 'auditor', 'security_officer') || await reviewerCovers(ctx.db, p, org.region_code))) forbidden();
      return notFound('organisation');
    }
    if (!hasOrgRole(p, org.id, 'org_admin')) forbidden();
    if (org.status !== 'active' && b.kind !== 'revoke') throw new YzError('INVALID_STATE', 'organisation is deregistered');
    let seals: SealRequest[] = [];
    if (b.kind === 'issue') {
      if (b.targetSealId) throw new YzError('INVALID_ARGUMENT', 'an issue application has no targetSealId', { field: 'targetSealId' });
      if (b.preset === 'market_entity_set') {
        if (b.seals) throw new YzError('INVALID_ARGUMENT', 'give either preset or seals', { field: 'seals' });
        if (!org.legal_rep_person_id) throw new YzError('INVALID_ARGUMENT', 'the five-seal set needs the legal representative registered', { field: 'preset' });
        const rep = await ctx.db.selectFrom('persons').select('name').where('id', '=', org.legal_rep_person_id).executeTakeFirstOrThrow();
        seals = MARKET_ENTITY_SET.map((kind) => needsHolder(kind)
          ? { kind, name: rep.name, holderPersonId: org.legal_rep_person_id }
          : { kind, name: kind === 'legal_name' ? org.name : `${org.name}${KIND_LABEL_ZH[kind] ?? ''}`, holderPersonId: null });
      } else if (b.seals) {
        seals = b.seals;
      } else {
        throw new YzError('INVALID_ARGUMENT', 'an issue application needs seals or preset', { field: 'seals' });
      }
      for (const s of seals) {
        if (needsHolder(s.kind)) {
          if (!s.holderPersonId) throw new YzError('INVALID_ARGUMENT', `${s.kind} seals need holderPersonId`, { field: 'seals' });
          const h = await ctx.db.selectFrom('persons').select('org_id').where('id', '=', s.holderPersonId).executeTakeFirst();
          if (!h || h.org_id !== org.id) throw new YzError('INVALID_ARGUMENT', 'holder is not a person of this organisation', { field: 'seals' });
        }
      }
    } else {
      if (!b.targetSealId) throw new YzError('INVALID_ARGUMENT', `a ${b.kind} application needs targetSealId`, { field: 'targetSealId' });
      if (b.seals || b.preset) throw new YzError('INVALID_ARGUMENT', `a ${b.kind} application takes no seals/preset`, { field: 'seals' });
      const seal = await ctx.db.selectFrom('seals').selectAll().where('id', '=', b.targetSealId).executeTakeFirst();
      if (!seal || seal.org_id !== org.id) return notFound('seal');
      const okState: Record<string, string[]> = { renew: ['active', 'suspended'], reissue: ['active', 'suspended'], revoke: ['active', 'suspended', 'pending_confirmation'], reactivate: ['suspended'] };
      if (!okState[b.kind]!.includes(seal.status)) throw new YzError('INVALID_STATE', `cannot ${b.kind} a seal that is ${seal.status}`);
      if (b.kind === 'renew') checkRenewalWindow(seal, ctx.clock.now());
      seals = [{ kind: seal.kind as SealRequest['kind'], name: seal.name, holderPersonId: seal.holder_person_id }];
    }
    if (b.agentPersonId) {
      const ag = await ctx.db.selectFrom('persons').select('org_id').where('id', '=', b.agentPersonId).executeTakeFirst();
      if (!ag || ag.org_id !== org.id) throw new YzError('INVALID_ARGUMENT', 'agent is not a person of this organisation', { field: 'agentPersonId' });
    }
    const row = await change(ctx, p.actor, async (c) => {
      const a: ApplicationTable = {
        id: newId(), kind: b.kind, org_id: org.id, applicant_user_id: p.id, agent_person_id: b.agentPersonId ?? null, status: 'submitted',
        seal_requests: JSON.stringify(seals), target_seal_id: b.targetSealId ?? null, note: b.note ?? null, rejection_reason: null,
        region_code: org.region_code, forwarded_from: null, decided_by: null, created_at: c.at, updated_at: c.at,
      };
      await c.tx.insertInto('applications').values(a).execute();
      await c.audit({ action: 'application.submit', objectType: 'application', objectId: a.id, data: { kind: a.kind, orgId: org.id, seals: seals.map((s) => s.kind), targetSealId: a.target_seal_id } });
      return a;
    });
    reply.code(201);
    return applicationView(row);
  });

  app.get('/api/v1/applications', {
    schema: { tags: ['applications'], summary: 'Applications visible to the caller (org roles: own organisation; reviewers: their regions)',
      querystring: { ...pageQuery, properties: { ...pageQuery.properties, status: { type: 'string', enum: ['submitted', 'forwarded', 'approved', 'rejected', 'fulfilled', 'cancelled'] }, orgId: { type: 'string', format: 'uuid' } } } },
  }, async (req) => {
    const p = caller(req);
    const { limit, cursor, status, orgId } = req.query as { limit: number; cursor?: string; status?: string; orgId?: string };
    const cur = decodeCursor(cursor);
    let q = ctx.db.selectFrom('applications').selectAll().orderBy('created_at').orderBy('id').limit(limit + 1);
    if (cur) q = q.where((eb) => eb.or([eb('created_at', '>', cur.at), eb.and([eb('created_at', '=', cur.at), eb('id', '>', cur.id)])]));
    if (status) q = q.where('status', '=', status);
    if (orgId) q = q.where('org_id', '=', orgId);
    if (!hasPlatformRole(p, 'admin', 'auditor')) {
      const orgIds = [...new Set(p.roles.filter((g) => g.orgId).map((g) => g.orgId!))];
      const covered = await coveredRegions(ctx, reviewerRegions(p));
      if (orgIds.length === 0 && covered.length === 0) return { items: [], nextCursor: null };
      q = q.where((eb) => eb.or([...(orgIds.length ? [eb('org_id', 'in', orgIds)] : []), ...(covered.length ? [eb('region_code', 'in', covered)] : [])]));
    }
    const r = page(await q.execute(), limit);
    return { items: r.items.map(applicationView), nextCursor: r.nextCursor };
  });

  app.get('/api/v1/applications/:id', { schema: { tags: ['applications'], summary: 'One application with its materials', params: idParam } }, async (req) => {
    const p = caller(req);
    const a = await visibleApplication(ctx, ctx.db, p, (req.params as { id: string }).id);
    const materials = await ctx.db.selectFrom('materials').select(['id', 'name', 'content_type', 'size', 'sha256', 'created_at']).where('application_id', '=', a.id).orderBy('created_at').execute();
    return { ...applicationView(a), materials: materials.map((m) => ({ id: m.id, name: m.name, contentType: m.content_type, size: Number(m.size), sha256: m.sha256, createdAt: m.created_at })) };
  });

  app.post('/api/v1/applications/:id/materials', {
    schema: { tags: ['applications'], summary: `Upload one material (multipart field "file"; ${MATERIAL_TYPES.join(', ')}; size-limited) while the application is open (org_admin). With ?impressionFor=N a PNG/JPEG becomes the impression (印模) of requested seal N, compared with the generated one at production (广东 第十条).`,
      params: idParam, consumes: ['multipart/form-data'],
      querystring: { type: 'object', additionalProperties: false, properties: { impressionFor: { type: 'integer', minimum: 0, maximum: 9 } } } },
  }, async (req, reply) => {
    const p = caller(req);
    const a = await visibleApplication(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasOrgRole(p, a.org_id, 'org_admin')) forbidden();
    if (!OPEN.includes(a.status)) throw new YzError('INVALID_STATE', `application is ${a.status}`);
    const { impressionFor } = req.query as { impressionFor?: number };
    const requests = JSON.parse(a.seal_requests) as SealRequest[];
    if (impressionFor !== undefined && (a.kind !== 'issue' || impressionFor >= requests.length)) {
      throw new YzError('INVALID_ARGUMENT', 'impressionFor must name a requested seal of an issue application', { field: 'impressionFor' });
    }
    const { name, contentType, data } = await readUpload(req);
    checkMaterial(contentType, data);
    if (impressionFor !== undefined && contentType !== 'image/png' && contentType !== 'image/jpeg') {
      throw new YzError('UPLOAD_TYPE_REJECTED', 'an impression must be a PNG or JPEG image');
    }
    const count = await ctx.db.selectFrom('materials').select((eb) => eb.fn.countAll().as('n')).where('application_id', '=', a.id).executeTakeFirstOrThrow();
    if (Number(count.n) >= 20) throw new YzError('LIMIT_EXCEEDED', 'at most 20 materials per application');
    // Compared now, so the applicant and the reviewers see the result before approval (production compares again,
    // with the real seal code, and refuses a mismatch). An image without seal ink is refused here, nothing stored.
    let comparison: ImpressionComparison | undefined;
    if (impressionFor !== undefined) {
      const r = requests[impressionFor]!;
      const org = await ctx.db.selectFrom('organisations').select('uscc').where('id', '=', a.org_id).executeTakeFirstOrThrow();
      comparison = comparisonOf(importImpression(data, { kind: r.kind, name: r.name, sealCode: UNASSIGNED_SEAL_CODE, taxId: org.uscc }));
    }
    const id = newId();
    const sha = sha256Hex(data);
    await change(ctx, p.actor, async (c) => {
      await putBlob(ctx, c.tx, data);
      await c.tx.insertInto('materials').values({ id, application_id: a.id, name, content_type: contentType, size: data.length, sha256: sha, created_at: c.at }).execute();
      if (impressionFor !== undefined) {
        requests[impressionFor]!.impressionMaterialId = id;
        const r = await c.tx.updateTable('applications').set({ seal_requests: JSON.stringify(requests), updated_at: c.at }).where('id', '=', a.id).where('status', 'in', OPEN).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new YzError('INVALID_STATE', 'application is no longer open');
      }
      await c.audit({ action: 'application.material', objectType: 'application', objectId: a.id, data: { materialId: id, name, contentType, size: data.length, sha256: sha, ...(impressionFor !== undefined ? { impressionFor, comparisonScore: comparison?.score } : {}) } });
    });
    reply.code(201);
    return { id, name, contentType, size: data.length, sha256: sha, ...(comparison ? { comparison } : {}) };
  });

  app.get('/api/v1/applications/:id/materials/:mid', {
    schema: { tags: ['applications'], summary: 'Download a material', params: { type: 'object', required: ['id', 'mid'], additionalProperties: false, properties: { id: { type: 'string', format: 'uuid' }, mid: { type: 'string', format: 'uuid' } } } },
  }, async (req, reply) => {
    const p = caller(req);
    const { id, mid } = req.params as { id: string; mid: string };
    const a = await visibleApplication(ctx, ctx.db, p, id);
    const m = await ctx.db.selectFrom('materials').selectAll().where('id', '=', mid).where('application_id', '=', a.id).executeTakeFirst();
    if (!m) return notFound('material');
    const data = await getBlob(ctx, ctx.db, m.sha256);
    if (!data) return notFound('material content');
    return reply.type(m.content_type).header('content-disposition', 'attachment').send(Buffer.from(data));
  });

  const decide = async (req: FastifyRequest, action: 'forward' | 'approve' | 'reject', reason?: string) => {
    const p = caller(req);
    const a = await visibleApplication(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!(await reviewerCovers(ctx.db, p, a.region_code))) forbidden('only a reviewer of the responsible region decides');
    const region = await ctx.db.selectFrom('regions').select(['level', 'parent_code']).where('code', '=', a.region_code).executeTakeFirstOrThrow();
    if (action === 'forward' && (region.level !== 'county' || !region.parent_code)) throw new YzError('INVALID_STATE', 'only county-level applications are forwarded (to the city)');
    if (action === 'approve' && region.level === 'county') {
      throw new YzError('INVALID_STATE', 'a county collects and forwards; the city issues (遂平 第七条): forward this application first');
    }
    if (action === 'approve' && (a.kind === 'issue' || a.kind === 'reissue')) {
      const n = await ctx.db.selectFrom('materials').select((eb) => eb.fn.countAll().as('n')).where('application_id', '=', a.id).executeTakeFirstOrThrow();
      if (Number(n.n) === 0) throw new YzError('INVALID_STATE', 'no materials uploaded: request them or reject with a reason');
    }
    return change(ctx, p.actor, async (c) => {
      const patch: Partial<ApplicationTable> = { updated_at: c.at, decided_by: p.id };
      if (action === 'forward') Object.assign(patch, { status: 'forwarded', region_code: region.parent_code, forwarded_from: a.region_code });
      if (action === 'reject') Object.assign(patch, { status: 'rejected', rejection_reason: reason });
      if (action === 'approve') patch.status = 'approved';
      // Conditional on the state we read, so two reviewers (or instances) cannot both decide.
      const r = await c.tx.updateTable('applications').set(patch).where('id', '=', a.id).where('status', 'in', OPEN).where('region_code', '=', a.region_code).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new YzError('INVALID_STATE', 'application is no longer open for this decision');
      await c.audit({ action: `application.${action}`, objectType: 'application', objectId: a.id, data: { ...(reason ? { reason } : {}), ...(action === 'forward' ? { to: region.parent_code } : {}) } });
      let sealIds: string[] = [];
      if (action === 'approve') {
        sealIds = await fulfilApplication(ctx, c, { ...a, ...patch } as ApplicationTable, p.actor);
        await c.tx.updateTable('applications').set({ status: 'fulfilled', updated_at: c.at }).where('id', '=', a.id).execute();
        await c.audit({ action: 'application.fulfil', objectType: 'application', objectId: a.id, data: { sealIds } });
      }
      const text = action === 'reject' ? `申请已被驳回：${reason}` : action === 'forward' ? '申请已转报上级审核' : '申请已通过审核';
      await notify(c, { userId: a.applicant_user_id, orgId: a.org_id, kind: `application.${action}`, text, data: { applicationId: a.id, ...(reason ? { reason } : {}) } });
      const after = await c.tx.selectFrom('applications').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
      return { ...applicationView(after), sealIds };
    });
  };

  app.post('/api/v1/applications/:id/forward', { schema: { tags: ['review'], summary: 'Forward a county application to the city (county reviewer; 遂平 第七条)', params: idParam } }, (req) => decide(req, 'forward'));
  app.post('/api/v1/applications/:id/approve', { schema: { tags: ['review'], summary: 'Approve and fulfil (reviewer of a city or higher region)', params: idParam } }, (req) => decide(req, 'approve'));
  app.post('/api/v1/applications/:id/reject', {
    schema: { tags: ['review'], summary: 'Reject with a mandatory reason shown to the applicant (广东 第七条)', params: idParam,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 2, maxLength: 1000 } } } },
  }, (req) => {
    const reason = (req.body as { reason: string }).reason.trim();
    if (reason.length < 2) throw new YzError('REJECTION_REASON_REQUIRED', 'a rejection needs a reason', { field: 'reason' });
    return decide(req, 'reject', reason);
  });

  app.post('/api/v1/applications/:id/cancel', { schema: { tags: ['applications'], summary: 'Withdraw an open application (org_admin)', params: idParam } }, async (req) => {
    const p = caller(req);
    const a = await visibleApplication(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasOrgRole(p, a.org_id, 'org_admin')) forbidden();
    return change(ctx, p.actor, async (c) => {
      const r = await c.tx.updateTable('applications').set({ status: 'cancelled', updated_at: c.at }).where('id', '=', a.id).where('status', 'in', OPEN).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new YzError('INVALID_STATE', `application is ${a.status}`);
      await c.audit({ action: 'application.cancel', objectType: 'application', objectId: a.id });
      return applicationView({ ...a, status: 'cancelled', updated_at: c.at });
    });
  });
}

async function readUpload(req: FastifyRequest): Promise<{ name: string; contentType: string; data: Uint8Array }> {
  if (!req.isMultipart()) throw new YzError('INVALID_ARGUMENT', 'send multipart/form-data with a "file" part');
  const part = await req.file();
  if (!part || part.fieldname !== 'file') throw new YzError('INVALID_ARGUMENT', 'missing "file" part');
  const data = new Uint8Array(await part.toBuffer());
  if (part.file.truncated) throw new YzError('UPLOAD_TOO_LARGE', 'file too large');
  // Path separators and control characters out of names (they are shown and used in downloads).
  const name = [...(part.filename || 'material')].map((ch) => (ch < ' ' || ch === '/' || ch === '\\' ? '_' : ch)).join('').slice(0, 200);
  return { name, contentType: part.mimetype, data };
}

export async function coveredRegions(ctx: Ctx, roots: string[]): Promise<string[]> {
  if (roots.length === 0) return [];
  const all = await ctx.db.selectFrom('regions').select(['code', 'parent_code']).execute();
  const covered = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of all) if (r.parent_code && covered.has(r.parent_code) && !covered.has(r.code)) { covered.add(r.code); grew = true; }
  }
  return [...covered];
}
