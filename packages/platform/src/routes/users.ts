/**
 * Users and roles; API keys. The admin creates any account; an org_admin creates accounts of its own organisation
 * with organisation roles only. Separation of duties: nobody holds `auditor` together with `admin` or `security_officer`.
 */
import { YzError } from '@yinzhang/gm';
import type { FastifyInstance } from 'fastify';
import { change, type Ctx } from '../context.js';
import { caller, idParam } from '../http.js';
import { ALL_ROLES, ORG_ROLES, PLATFORM_ROLES, forbidden, hasOrgRole, hasPlatformRole, type RoleGrant } from '../auth/roles.js';
import { hashPassword } from '../passwords.js';
import { sha256Hex } from '../auth/principal.js';
import { newId, notFound, randomToken } from '../util.js';
import { visibleOrg } from './organisations.js';

const roleSchema = {
  type: 'object', required: ['role'], additionalProperties: false, properties: {
    role: { type: 'string', enum: ALL_ROLES }, regionCode: { type: 'string', pattern: '^[1-9][0-9]{5}$' }, orgId: { type: 'string', format: 'uuid' } },
} as const;


/** Role sets a user may hold: platform roles unscoped, reviewer with a region, organisation roles of the user's own organisation. */
function checkRoles(roles: RoleGrant[], orgId: string | undefined): void {
  const names = new Set(roles.map((r) => r.role));
  if (names.has('auditor') && (names.has('admin') || names.has('security_officer'))) {
    throw new YzError('INVALID_ARGUMENT', 'separation of duties: auditor cannot be combined with admin or security_officer', { field: 'roles' });
  }
  for (const r of roles) {
    const platform = (PLATFORM_ROLES as readonly string[]).includes(r.role);
    if (platform && (r.orgId || r.regionCode)) throw new YzError('INVALID_ARGUMENT', `${r.role} is a platform role: no orgId/regionCode`, { field: 'roles' });
    if (r.role === 'reviewer' && (!r.regionCode || r.orgId)) throw new YzError('INVALID_ARGUMENT', 'reviewer needs regionCode only', { field: 'roles' });
    if ((ORG_ROLES as readonly string[]).includes(r.role) && (!orgId || (r.orgId ?? orgId) !== orgId || r.regionCode)) {
      throw new YzError('INVALID_ARGUMENT', `${r.role} is an organisation role of the user's own organisation (orgId)`, { field: 'roles' });
    }
  }
}

export function userRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/v1/users', {
    schema: {
      tags: ['users'], summary: 'Create a user with roles (admin; org_admin for its own organisation)',
      body: { type: 'object', required: ['login', 'password', 'displayName', 'roles'], additionalProperties: false, properties: {
        login: { type: 'string', pattern: '^[a-zA-Z0-9_.@-]{3,64}$' }, password: { type: 'string', minLength: 12, maxLength: 256 },
        displayName: { type: 'string', minLength: 1, maxLength: 100 }, orgId: { type: 'string', format: 'uuid' },
        personId: { type: 'string', format: 'uuid' }, roles: { type: 'array', maxItems: 10, items: roleSchema } } },
    },
  }, async (req, reply) => {
    const p = caller(req);
    const b = req.body as { login: string; password: string; displayName: string; orgId?: string; personId?: string; roles: RoleGrant[] };
    const isAdmin = hasPlatformRole(p, 'admin');
    if (!isAdmin) {
      if (!b.orgId || !hasOrgRole(p, b.orgId, 'org_admin')) forbidden();
      if (b.roles.some((r) => !(ORG_ROLES as readonly string[]).includes(r.role))) forbidden('an org_admin grants organisation roles only');
    }
    checkRoles(b.roles, b.orgId);
    const passwordHash = await hashPassword(b.password);
    const id = await change(ctx, p.actor, async (c) => {
      if (b.orgId) await visibleOrg(ctx, c.tx, p, b.orgId);
      for (const r of b.roles) {
        if (r.regionCode && !(await c.tx.selectFrom('regions').select('code').where('code', '=', r.regionCode).executeTakeFirst())) {
          throw new YzError('REGION_UNKNOWN', `region ${r.regionCode} does not exist`, { field: 'roles' });
        }
      }
      if (b.personId) {
        const person = await c.tx.selectFrom('persons').select('org_id').where('id', '=', b.personId).executeTakeFirst();
        if (!person || person.org_id !== b.orgId) throw new YzError('INVALID_ARGUMENT', 'person not of this organisation', { field: 'personId' });
      }
      if (await c.tx.selectFrom('users').select('id').where('login', '=', b.login).executeTakeFirst()) throw new YzError('ALREADY_EXISTS', 'login taken', { field: 'login' });
      const id = newId();
      await c.tx.insertInto('users').values({
        id, login: b.login, password_hash: passwordHash, display_name: b.displayName, org_id: b.orgId ?? null, person_id: b.personId ?? null,
        status: 'active', created_at: c.at,
      }).execute();
      for (const r of b.roles) {
        const orgScoped = (ORG_ROLES as readonly string[]).includes(r.role);
        await c.tx.insertInto('user_roles').values({ id: newId(), user_id: id, role: r.role, region_code: r.regionCode ?? null, org_id: orgScoped ? b.orgId! : null }).execute();
      }
      await c.audit({ action: 'user.create', objectType: 'user', objectId: id, data: { login: b.login, orgId: b.orgId ?? null, roles: b.roles } });
      return id;
    });
    reply.code(201);
    return { id, login: b.login, displayName: b.displayName, orgId: b.orgId ?? null, roles: b.roles };
  });

  app.get('/api/v1/users', { schema: { tags: ['users'], summary: 'Users (admin: all; org_admin: own organisation)' } }, async (req) => {
    const p = caller(req);
    let q = ctx.db.selectFrom('users').select(['id', 'login', 'display_name', 'org_id', 'status', 'created_at']).orderBy('created_at').limit(1000);
    if (!hasPlatformRole(p, 'admin')) {
      const orgs = p.roles.filter((g) => g.role === 'org_admin' && g.orgId).map((g) => g.orgId!);
      if (orgs.length === 0) forbidden();
      q = q.where('org_id', 'in', orgs);
    }
    const rows = await q.execute();
    return { items: rows.map((u) => ({ id: u.id, login: u.login, displayName: u.display_name, orgId: u.org_id, status: u.status, createdAt: u.created_at })) };
  });

  app.post('/api/v1/users/:id/disable', { schema: { tags: ['users'], summary: 'Disable a user (admin; org_admin for its organisation)', params: idParam } }, async (req) => {
    const p = caller(req);
    const id = (req.params as { id: string }).id;
    const u = await ctx.db.selectFrom('users').select(['id', 'org_id']).where('id', '=', id).executeTakeFirst();
    if (!u) return notFound('user');
    if (!hasPlatformRole(p, 'admin') && !(u.org_id && hasOrgRole(p, u.org_id, 'org_admin'))) {
      if (u.org_id && p.roles.some((g) => g.orgId === u.org_id)) forbidden();
      return notFound('user');
    }
    await change(ctx, p.actor, async (c) => {
      await c.tx.updateTable('users').set({ status: 'disabled' }).where('id', '=', id).execute();
      await c.tx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await c.audit({ action: 'user.disable', objectType: 'user', objectId: id });
    });
    return { id, status: 'disabled' };
  });

  app.put('/api/v1/users/:id/roles', {
    schema: {
      tags: ['users'], summary: 'Replace a user\'s roles (admin; org_admin for users of its organisation, organisation roles only)', params: idParam,
      body: { type: 'object', required: ['roles'], additionalProperties: false, properties: { roles: { type: 'array', maxItems: 10, items: roleSchema } } },
    },
  }, async (req) => {
    const p = caller(req);
    const id = (req.params as { id: string }).id;
    const { roles } = req.body as { roles: RoleGrant[] };
    const u = await ctx.db.selectFrom('users').select(['id', 'org_id']).where('id', '=', id).executeTakeFirst();
    if (!u) return notFound('user');
    const isAdmin = hasPlatformRole(p, 'admin');
    if (!isAdmin) {
      if (!u.org_id || !hasOrgRole(p, u.org_id, 'org_admin')) {
        if (u.org_id && p.roles.some((g) => g.orgId === u.org_id)) forbidden();
        return notFound('user');
      }
      if (roles.some((r) => !(ORG_ROLES as readonly string[]).includes(r.role))) forbidden('an org_admin grants organisation roles only');
      const current = await ctx.db.selectFrom('user_roles').select('role').where('user_id', '=', id).execute();
      if (current.some((r) => !(ORG_ROLES as readonly string[]).includes(r.role))) forbidden('this user holds roles an org_admin cannot change');
    }
    if (p.kind === 'user' && p.id === id) forbidden('nobody changes their own roles');
    checkRoles(roles, u.org_id ?? undefined);
    await change(ctx, p.actor, async (c) => {
      for (const r of roles) {
        if (r.regionCode && !(await c.tx.selectFrom('regions').select('code').where('code', '=', r.regionCode).executeTakeFirst())) {
          throw new YzError('REGION_UNKNOWN', `region ${r.regionCode} does not exist`, { field: 'roles' });
        }
      }
      await c.tx.deleteFrom('user_roles').where('user_id', '=', id).execute();
      for (const r of roles) {
        const orgScoped = (ORG_ROLES as readonly string[]).includes(r.role);
        await c.tx.insertInto('user_roles').values({ id: newId(), user_id: id, role: r.role, region_code: r.regionCode ?? null, org_id: orgScoped ? u.org_id : null }).execute();
      }
      await c.audit({ action: 'user.roles', objectType: 'user', objectId: id, data: { roles } });
    });
    return { id, roles };
  });

  app.post('/api/v1/api-keys', {
    schema: {
      tags: ['api-keys'], summary: 'Create an API key (security_officer: platform key; org_admin: key of its organisation). The secret is shown once.',
      body: { type: 'object', required: ['name', 'roles'], additionalProperties: false, properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 }, orgId: { type: 'string', format: 'uuid' },
        roles: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', enum: ALL_ROLES } } } },
    },
  }, async (req, reply) => {
    const p = caller(req);
    if (p.kind !== 'user') forbidden('API keys cannot create API keys');
    const b = req.body as { name: string; orgId?: string; roles: string[] };
    if (b.orgId) {
      if (!hasOrgRole(p, b.orgId, 'org_admin')) forbidden();
      if (b.roles.some((r) => !(ORG_ROLES as readonly string[]).includes(r))) forbidden('organisation keys carry organisation roles only');
    } else {
      if (!hasPlatformRole(p, 'security_officer')) forbidden();
      if (b.roles.some((r) => r !== 'auditor' && r !== 'security_officer')) forbidden('platform keys carry auditor or security_officer only');
    }
    const id = newId();
    const secret = randomToken(32);
    await change(ctx, p.actor, async (c) => {
      await c.tx.insertInto('api_keys').values({ id, secret_hash: sha256Hex(secret), name: b.name, org_id: b.orgId ?? null, roles: JSON.stringify(b.roles), created_by: p.id, created_at: c.at, revoked_at: null }).execute();
      await c.audit({ action: 'api_key.create', objectType: 'api_key', objectId: id, data: { name: b.name, orgId: b.orgId ?? null, roles: b.roles } });
    });
    reply.code(201);
    return { id, name: b.name, orgId: b.orgId ?? null, roles: b.roles, token: `yzk_${id}_${secret}` };
  });

  app.post('/api/v1/api-keys/:id/revoke', { schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: idParam } }, async (req) => {
    const p = caller(req);
    const id = (req.params as { id: string }).id;
    const k = await ctx.db.selectFrom('api_keys').select(['id', 'org_id']).where('id', '=', id).executeTakeFirst();
    const allowed = k && (k.org_id ? hasOrgRole(p, k.org_id, 'org_admin') : hasPlatformRole(p, 'security_officer'));
    if (!k || !allowed) return notFound('API key');
    await change(ctx, p.actor, async (c) => {
      await c.tx.updateTable('api_keys').set({ revoked_at: c.at }).where('id', '=', id).execute();
      await c.audit({ action: 'api_key.revoke', objectType: 'api_key', objectId: id });
    });
    return { id, revoked: true };
  });
}
