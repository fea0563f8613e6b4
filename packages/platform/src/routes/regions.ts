/** Administrative regions (GB/T 2260 codes): province → city → county; reviewers act within one (遂平 第七条). */
import { YzError } from '@yinzhang/gm';
import type { FastifyInstance } from 'fastify';
import { change, type Ctx } from '../context.js';
import { caller } from '../http.js';
import { forbidden, hasPlatformRole } from '../auth/roles.js';

export const regionLevel = (code: string): 'province' | 'city' | 'county' =>
  code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'county';

const regionBody = {
  type: 'object', required: ['code', 'name'], additionalProperties: false, properties: {
    code: { type: 'string', pattern: '^[1-9][0-9]{5}$' }, name: { type: 'string', minLength: 1, maxLength: 100 },
    parentCode: { type: 'string', pattern: '^[1-9][0-9]{5}$' } },
} as const;

export function regionRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/v1/regions', { schema: { tags: ['regions'], summary: 'Create a region (admin)', body: regionBody } }, async (req, reply) => {
    const p = caller(req);
    if (!hasPlatformRole(p, 'admin')) forbidden();
    const b = req.body as { code: string; name: string; parentCode?: string };
    const level = regionLevel(b.code);
    if (level !== 'province' && !b.parentCode) throw new YzError('INVALID_ARGUMENT', 'a city or county needs parentCode', { field: 'parentCode' });
    const row = await change(ctx, p.actor, async (c) => {
      if (b.parentCode) {
        const parent = await c.tx.selectFrom('regions').select(['level']).where('code', '=', b.parentCode).executeTakeFirst();
        if (!parent) throw new YzError('REGION_UNKNOWN', `parent region ${b.parentCode} does not exist`);
        if ((parent.level === 'county') || (parent.level === 'city' && level !== 'county') || (parent.level === 'province' && level === 'province')) {
          throw new YzError('INVALID_ARGUMENT', `a ${level} cannot be under a ${parent.level}`);
        }
      }
      if (await c.tx.selectFrom('regions').select('code').where('code', '=', b.code).executeTakeFirst()) {
        throw new YzError('ALREADY_EXISTS', `region ${b.code} exists`);
      }
      const r = { code: b.code, name: b.name, parent_code: b.parentCode ?? null, level, created_at: c.at };
      await c.tx.insertInto('regions').values(r).execute();
      await c.audit({ action: 'region.create', objectType: 'region', objectId: b.code, data: { name: b.name, parentCode: r.parent_code } });
      return r;
    });
    reply.code(201);
    return { code: row.code, name: row.name, parentCode: row.parent_code, level: row.level };
  });

  // Region names are public administrative data; listing them needs any login.
  app.get('/api/v1/regions', { schema: { tags: ['regions'], summary: 'List regions' } }, async (req) => {
    caller(req);
    const rows = await ctx.db.selectFrom('regions').selectAll().orderBy('code').execute();
    return { items: rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, level: r.level })) };
  });
}
