/** Organisations (USCC checked per GB 32100) and their persons. */
import { YzError } from '@yinzhang/gm';
import type { FastifyInstance } from 'fastify';
import { change, type Ctx } from '../context.js';
import { caller, decodeCursor, idParam, page, pageQuery } from '../http.js';
import { canSeeOrg, forbidden, hasOrgRole, hasPlatformRole, reviewerCovers, reviewerRegions, type Principal } from '../auth/roles.js';
import { isValidUscc } from '../checkdigits.js';
import { createPerson, personSchema, personView } from '../domain/persons.js';
import { newId, notFound } from '../util.js';
import { revokeSeal } from '../domain/lifecycle.js';
import type { OrganisationTable, Q } from '../db/schema.js';

export const ORG_TYPES = ['government', 'institution', 'enterprise', 'individual_business', 'social_organisation', 'other'] as const;

export const orgView = (o: OrganisationTable) => ({
  id: o.id, uscc: o.uscc, name: o.name, type: o.type, regionCode: o.region_code, legalRepPersonId: o.legal_rep_person_id,
  status: o.status, parentId: o.parent_id, createdAt: o.created_at, updatedAt: o.updated_at,
});

/** Loads an organisation the caller may see, or answers 404 as if it did not exist. */
export async function visibleOrg(ctx: Ctx, q: Q, p: Principal, id: string): Promise<OrganisationTable> {
  const o = await q.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!o || !(await canSeeOrg(q, p, o))) return notFound('organisation');
  return o as OrganisationTable;
}

export function organisationRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/v1/organisations', {
    schema: {
      tags: ['organisations'], summary: 'Register an organisation (admin, or a reviewer of its region)',
      body: { type: 'object', required: ['uscc', 'name', 'type', 'regionCode'], additionalProperties: false, properties: {
        uscc: { type: 'string', minLength: 18, maxLength: 18 }, name: { type: 'string', minLength: 1, maxLength: 200 },
        type: { type: 'string', enum: ORG_TYPES }, regionCode: { type: 'string', pattern: '^[1-9][0-9]{5}$' },
        parentId: { type: 'string', format: 'uuid' }, legalRepresentative: personSchema } },
    },
  }, async (req, reply) => {
    const p = caller(req);
    const b = req.body as { uscc: string; name: string; type: string; regionCode: string; parentId?: string; legalRepresentative?: { name: string; idNumber: string; phone?: string } };
    if (!hasPlatformRole(p, 'admin') && reviewerRegions(p).length === 0) forbidden();
    if (!isValidUscc(b.uscc)) throw new YzError('USCC_INVALID', 'unified social credit code fails the GB 32100 check', { field: 'uscc' });
    const org = await change(ctx, p.actor, async (c) => {
      const region = await c.tx.selectFrom('regions').select('code').where('code', '=', b.regionCode).executeTakeFirst();
      if (!region) throw new YzError('REGION_UNKNOWN', `region ${b.regionCode} does not exist`, { field: 'regionCode' });
      if (!hasPlatformRole(p, 'admin') && !(await reviewerCovers(c.tx, p, b.regionCode))) forbidden('region outside your jurisdiction');
      if (b.parentId) await visibleOrg(ctx, c.tx, p, b.parentId);
      if (await c.tx.selectFrom('organisations').select('id').where('uscc', '=', b.uscc).executeTakeFirst()) {
        throw new YzError('ALREADY_EXISTS', 'an organisation with this USCC exists', { field: 'uscc' });
      }
      const row: OrganisationTable = {
        id: newId(), uscc: b.uscc, name: b.name, type: b.type, region_code: b.regionCode, legal_rep_person_id: null, status: 'active',
        parent_id: b.parentId ?? null, created_at: c.at, updated_at: c.at,
      };
      await c.tx.insertInto('organisations').values(row).execute();
      await c.audit({ action: 'organisation.create', objectType: 'organisation', objectId: row.id, data: { uscc: row.uscc, name: row.name, regionCode: row.region_code } });
      if (b.legalRepresentative) {
        row.legal_rep_person_id = await createPerson(ctx, c, row.id, b.legalRepresentative);
        await c.tx.updateTable('organisations').set({ legal_rep_person_id: row.legal_rep_person_id }).where('id', '=', row.id).execute();
      }
      return row;
    });
    reply.code(201);
    return orgView(org);
  });

  app.get('/api/v1/organisations', { schema: { tags: ['organisations'], summary: 'Organisations visible to the caller', querystring: pageQuery } }, async (req) => {
    const p = caller(req);
    const { limit, cursor } = req.query as { limit: number; cursor?: string };
    const cur = decodeCursor(cursor);
    let q = ctx.db.selectFrom('organisations').selectAll().orderBy('created_at').orderBy('id').limit(limit + 1);
    if (cur) q = q.where((eb) => eb.or([eb('created_at', '>', cur.at), eb.and([eb('created_at', '=', cur.at), eb('id', '>', cur.id)])]));
    if (!hasPlatformRole(p, 'admin', 'security_officer', 'auditor')) {
      const orgIds = p.roles.filter((g) => g.orgId).map((g) => g.orgId!);
      const regions = reviewerRegions(p);
      // Regions below a reviewer's region: walk the tree (it is small: provinces, cities, counties).
      const all = await ctx.db.selectFrom('regions').select(['code', 'parent_code']).execute();
      const covered = new Set(regions);
      for (let grew = true; grew;) {
        grew = false;
        for (const r of all) if (r.parent_code && covered.has(r.parent_code) && !covered.has(r.code)) { covered.add(r.code); grew = true; }
      }
      if (orgIds.length === 0 && covered.size === 0) return { items: [], nextCursor: null };
      q = q.where((eb) => eb.or([
        ...(orgIds.length ? [eb('id', 'in', orgIds)] : []),
        ...(covered.size ? [eb('region_code', 'in', [...covered])] : []),
      ]));
    }
    const r = page(await q.execute() as OrganisationTable[], limit);
    return { items: r.items.map(orgView), nextCursor: r.nextCursor };
  });

  app.get('/api/v1/organisations/:id', { schema: { tags: ['organisations'], summary: 'One organisation', params: idParam } }, async (req) => {
    const p = caller(req);
    return orgView(await visibleOrg(ctx, ctx.db, p, (req.params as { id: string }).id));
  });

  app.post('/api/v1/organisations/:id/deregister', {
    schema: { tags: ['organisations'], summary: 'Deregister an organisation (admin); all its seals are revoked in the same transaction (开封: revocation on deregistration)', params: idParam },
  }, async (req) => {
    const p = caller(req);
    const o = await visibleOrg(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasPlatformRole(p, 'admin')) forbidden();
    return change(ctx, p.actor, async (c) => {
      const n = await c.tx.updateTable('organisations').set({ status: 'deregistered', updated_at: c.at }).where('id', '=', o.id).where('status', '=', 'active').executeTakeFirst();
      if (Number(n.numUpdatedRows) !== 1) throw new YzError('INVALID_STATE', 'organisation is not active');
      await c.audit({ action: 'organisation.deregister', objectType: 'organisation', objectId: o.id });
      const live = await c.tx.selectFrom('seals').selectAll().where('org_id', '=', o.id).where('status', 'in', ['pending_confirmation', 'active', 'suspended']).execute();
      for (const s of live) await revokeSeal(ctx, c, s, 'cessationOfOperation', 'revoke');
      return { ...orgView({ ...o, status: 'deregistered', updated_at: c.at }), revokedSealIds: live.map((s) => s.id) };
    });
  });

  app.post('/api/v1/organisations/:id/persons', {
    schema: { tags: ['persons'], summary: 'Register a person of the organisation (org_admin); the ID number is stored encrypted', params: idParam, body: personSchema },
  }, async (req, reply) => {
    const p = caller(req);
    const o = await visibleOrg(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasOrgRole(p, o.id, 'org_admin')) forbidden();
    const b = req.body as { name: string; idNumber: string; phone?: string };
    const id = await change(ctx, p.actor, (c) => createPerson(ctx, c, o.id, b));
    const row = await ctx.db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    reply.code(201);
    return personView(row);
  });

  app.get('/api/v1/organisations/:id/persons', { schema: { tags: ['persons'], summary: 'Persons of an organisation (ID numbers masked)', params: idParam } }, async (req) => {
    const p = caller(req);
    const o = await visibleOrg(ctx, ctx.db, p, (req.params as { id: string }).id);
    if (!hasOrgRole(p, o.id, 'org_admin') && !hasPlatformRole(p, 'admin', 'auditor') && !(await reviewerCovers(ctx.db, p, o.region_code))) forbidden();
    const rows = await ctx.db.selectFrom('persons').selectAll().where('org_id', '=', o.id).orderBy('created_at').limit(1000).execute();
    return { items: rows.map(personView) };
  });
}
