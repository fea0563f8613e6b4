/** Seals of an organisation: list, details, downloads, confirmation (广东 第十条), suspension, emergency revocation. */
import { YzError, pemEncode } from '@yinzhang/gm';
import type { FastifyInstance } from 'fastify';
import { change, type Ctx } from '../context.js';
import { caller, decodeCursor, idParam, page, pageQuery } from '../http.js';
import { canSeeOrg, forbidden, hasOrgRole, hasPlatformRole, reviewerCovers, reviewerRegions, type Principal } from '../auth/roles.js';
import type { Q, SealTable } from '../db/schema.js';
import { notFound } from '../util.js';
import { revokeSeal, transition, SEAL_STATUSES } from '../domain/lifecycle.js';
import { getBlob } from '../domain/blob-store.js';
import { notify } from '../domain/notifications.js';
import { coveredRegions } from './applications.js';

export const effectiveStatus = (s: Pick<SealTable, 'status' | 'valid_to'>, now: Date): string =>
  s.status !== 'revoked' && s.status !== 'expired' && Date.parse(s.valid_to) <= now.getTime() ? 'expired' : s.status;

export const sealView = (s: SealTable, now: Date) => ({
  id: s.id, esId: s.es_id, sealCode: s.seal_code, kind: s.kind, name: s.name, orgId: s.org_id, holderPersonId: s.holder_person_id, custodianUserId: s.custodian_user_id,
  status: effectiveStatus(s, now), certSerial: s.cert_serial, imageSource: s.image_source, comparisonScore: s.comparison_score,
  validFrom: s.valid_from, validTo: s.valid_to, lastUsedAt: s.last_used_at, supersedes: s.supersedes, supersededBy: s.superseded_by,
  applicationId: s.application_id, filingStatus: s.filing_status, createdAt: s.created_at, updatedAt: s.updated_at,
});

export async function visibleSeal(ctx: Ctx, q: Q, p: Principal, id: string): Promise<SealTable> {
  const s = await q.selectFrom('seals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) return notFound('seal');
  const org = await q.selectFrom('organisations').select(['id', 'region_code']).where('id', '=', s.org_id).executeTakeFirstOrThrow();
  if (!(await canSeeOrg(q, p, org))) return notFound('seal');
  return s;
}

export function sealRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/v1/seals', {
    schema: { tags: ['seals'], summary: 'Seals visible to the caller',
      querystring: { ...pageQuery, properties: { ...pageQuery.properties, orgId: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: SEAL_STATUSES } } } },
  }, async (req) => {
    const p = caller(req);
    const { limit, cursor, orgId, status } = req.query as { limit: number; cursor?: string; orgId?: string; status?: string };
    const cur = decodeCursor(cursor);
    let q = ctx.db.selectFrom('seals').selectAll().orderBy('created_at').orderBy('id').limit(limit + 1);
    if (cur) q = q.where((eb) => eb.or([eb('created_at', '>', cur.at), eb.and([eb('created_at', '=', cur.at), eb('id', '>', cur.id)])]));
    if (orgId) q = q.where('org_id', '=', orgId);
    if (status) q = q.where('status', '=', status);
    if (!hasPlatformRole(p, 'admin', 'security_officer', 'auditor')) {
      const orgIds = [...new Set(p.roles.filter((g) => g.orgId).map((g) => g.orgId!))];
      const covered = await coveredRegions(ctx, reviewerRegions(p));
      if (orgIds.length === 0 && covered.length === 0) return { items: [], nextCursor: null };
      q = q.where((eb) => eb.or([
        ...(orgIds.length ? [eb('org_id', 'in', orgIds)] : []),
        ...(covered.length ? [eb('org_id', 'in', eb.selectFrom('organisations').select('id').where('region_code', 'in', covered))] : []),
      ]));
    }
    const now = ctx.clock.now();
    const r = page(await q.execute(), limit);
    return { items: r.items.map((s) => sealView(s, now)), nextCursor: r.nextCursor };
  });

  app.get('/api/v1/seals/:id', { schema: { tags: ['seals'], summary: 'One seal with its history', params: idParam } }, async (req) => {
    const p = caller(req);
    const s = await visibleSeal(ctx, ctx.db, p, (req.params as { id: string }).id);
    const history = await ctx.db.selectFrom('seal_events').select(['at', 'status', 'event']).where('seal_id', '=', s.id).orderBy('at').execute();
    return { ...sealView(s, ctx.clock.now()), history };
  });

  app.get('/api/v1/seals/:id/seseal', { schema: { tags: ['seals'], summary: 'The GB/T 38540 SESeal (DER)', params: idParam } }, async (req, reply) => {
    const s = await visibleSeal(ctx, ctx.db, caller(req), (req.params as { id: string }).id);
    if (!s.seseal) return notFound('SESeal');
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${s.es_id}.esl"`).send(Buffer.from(s.seseal));
  });

  app.get('/api/v1/seals/:id/certificate', { schema: { tags: ['seals'], summary: 'The seal certificate (PEM)', params: idParam } }, async (req, reply) => {
    const s = await visibleSeal(ctx, ctx.db, caller(req), (req.params as { id: string }).id);
    if (!s.cert_der) return notFound('certificate');
    return reply.type('application/x-pem-file').send(pemEncode('CERTIFICATE', new Uint8Array(s.cert_der)));
  });

  app.get('/api/v1/seals/:id/image', { schema: { tags: ['seals'], summary: 'The impression (PNG)', params: idParam } }, async (req, reply) => {
    const s = await visibleSeal(ctx, ctx.db, caller(req), (req.params as { id: string }).id);
    const img = s.image_sha256 ? await getBlob(ctx, ctx.db, s.image_sha256) : undefined;
    if (!img) return notFound('image');
    return reply.type('image/png').send(Buffer.from(img));
  });

  app.post('/api/v1/seals/:id/confirm', { schema: { tags: ['seals'], summary: 'The applicant confirms a produced seal, which then becomes active (org_admin, custodian; 广东 第十条)', params: idParam } }, async (req) => {
    const p = caller(req);
    const s = await visibleSeal(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasOrgRole(p, s.org_id, 'org_admin', 'custodian')) forbidden();
    return change(ctx, p.actor, async (c) => {
      if (!(await transition(c, s, ['pending_confirmation'], 'active', 'confirm'))) throw new YzError('INVALID_STATE', `seal is ${s.status}, not awaiting confirmation`);
      // The clock of the dormancy rule (广东 第十二条) starts at activation.
      await c.tx.updateTable('seals').set({ last_used_at: c.at }).where('id', '=', s.id).execute();
      return sealView({ ...s, status: 'active', last_used_at: c.at, updated_at: c.at }, c.now);
    });
  });

  app.put('/api/v1/seals/:id/custodian', {
    schema: { tags: ['seals'], summary: 'Name the custodian (保管人) of a seal: a user of the organisation holding the custodian role (org_admin)', params: idParam,
      body: { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId: { type: 'string', format: 'uuid' } } } },
  }, async (req) => {
    const p = caller(req);
    const s = await visibleSeal(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasOrgRole(p, s.org_id, 'org_admin')) forbidden();
    const { userId } = req.body as { userId: string };
    const role = await ctx.db.selectFrom('user_roles').innerJoin('users', 'users.id', 'user_roles.user_id').select('users.status')
      .where('user_roles.user_id', '=', userId).where('user_roles.role', '=', 'custodian').where('user_roles.org_id', '=', s.org_id).executeTakeFirst();
    if (!role || role.status !== 'active') throw new YzError('INVALID_ARGUMENT', 'the user is not an active custodian of this organisation', { field: 'userId' });
    if (s.status === 'revoked') throw new YzError('INVALID_STATE', 'seal is revoked');
    return change(ctx, p.actor, async (c) => {
      await c.tx.updateTable('seals').set({ custodian_user_id: userId, updated_at: c.at }).where('id', '=', s.id).execute();
      await c.audit({ action: 'seal.custodian', objectType: 'seal', objectId: s.id, data: { userId, previous: s.custodian_user_id } });
      await notify(c, { userId, kind: 'seal.custodian', text: `您已被指定为印章「${s.name}」的保管人`, data: { sealId: s.id } });
      return sealView({ ...s, custodian_user_id: userId, updated_at: c.at }, c.now);
    });
  });

  app.post('/api/v1/seals/:id/suspend', {
    schema: { tags: ['seals'], summary: 'Suspend a seal (org_admin of its organisation, a reviewer of its region, security_officer); reactivation goes through an application', params: idParam,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 2, maxLength: 500 } } } },
  }, async (req) => {
    const p = caller(req);
    const s = await visibleSeal(ctx, ctx.db, p, (req.params as { id: string }).id);
    const org = await ctx.db.selectFrom('organisations').select('region_code').where('id', '=', s.org_id).executeTakeFirstOrThrow();
    if (!hasOrgRole(p, s.org_id, 'org_admin') && !hasPlatformRole(p, 'security_officer') && !(await reviewerCovers(ctx.db, p, org.region_code))) forbidden();
    const { reason } = req.body as { reason: string };
    return change(ctx, p.actor, async (c) => {
      if (!(await transition(c, s, ['active'], 'suspended', 'suspend', { reason }))) throw new YzError('INVALID_STATE', `seal is ${s.status}`);
      return sealView({ ...s, status: 'suspended', updated_at: c.at }, c.now);
    });
  });

  app.post('/api/v1/seals/:id/revoke', {
    schema: { tags: ['seals'], summary: 'Emergency revocation, e.g. key compromise (security_officer); ordinary revocation goes through an application', params: idParam,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', enum: ['keyCompromise', 'affiliationChanged', 'cessationOfOperation'] } } } },
  }, async (req) => {
    const p = caller(req);
    const s = await visibleSeal(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasPlatformRole(p, 'security_officer')) forbidden();
    const { reason } = req.body as { reason: 'keyCompromise' | 'affiliationChanged' | 'cessationOfOperation' };
    return change(ctx, p.actor, async (c) => {
      if (!(await revokeSeal(ctx, c, s, reason))) throw new YzError('INVALID_STATE', `seal is ${s.status}`);
      return sealView({ ...s, status: 'revoked', updated_at: c.at }, c.now);
    });
  });
}
