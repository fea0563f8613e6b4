/**
 * Who is calling: a session cookie (web UI; unsafe methods also need the session's CSRF token in `X-CSRF-Token`)
 * or an API key (`Authorization: Bearer yzk_<id>_<secret>`, stored as a SHA-256 of the secret — it is random,
 * so a slow KDF adds nothing).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { YzError } from '@yinzhang/gm';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import { iso } from '../util.js';
import type { Principal, RoleGrant, Role } from './roles.js';

export const SESSION_COOKIE = 'yz_session';
export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

const safeEq = (a: string, b: string): boolean => {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export async function userRoles(ctx: Ctx, userId: string): Promise<RoleGrant[]> {
  const rows = await ctx.db.selectFrom('user_roles').select(['role', 'region_code', 'org_id']).where('user_id', '=', userId).execute();
  return rows.map((r) => ({ role: r.role as Role, regionCode: r.region_code, orgId: r.org_id }));
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function resolvePrincipal(ctx: Ctx, req: FastifyRequest): Promise<Principal | null> {
  const authz = req.headers.authorization;
  if (authz !== undefined) {
    const m = /^Bearer yzk_([0-9a-f-]{36})_([A-Za-z0-9_-]{20,100})$/.exec(authz);
    if (!m) throw new YzError('UNAUTHENTICATED', 'malformed API key');
    const key = await ctx.db.selectFrom('api_keys').selectAll().where('id', '=', m[1]!).executeTakeFirst();
    if (!key || key.revoked_at || !safeEq(key.secret_hash, sha256Hex(m[2]!))) throw new YzError('UNAUTHENTICATED', 'unknown or revoked API key');
    const roles = (JSON.parse(key.roles) as Role[]).map((role): RoleGrant => ({ role, orgId: key.org_id }));
    return { kind: 'api_key', id: key.id, actor: `api_key:${key.id}`, roles, orgId: key.org_id };
  }
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token) return null;
  const s = await ctx.db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!s || s.expires_at <= iso(ctx.clock.now())) throw new YzError('UNAUTHENTICATED', 'session expired; log in again');
  if (UNSAFE.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEq(sent, s.csrf)) throw new YzError('CSRF_FAILED', 'missing or wrong X-CSRF-Token header');
  }
  const user = await ctx.db.selectFrom('users').select(['id', 'status', 'org_id']).where('id', '=', s.user_id).executeTakeFirst();
  if (!user || user.status !== 'active') throw new YzError('UNAUTHENTICATED', 'account disabled');
  return { kind: 'user', id: user.id, actor: `user:${user.id}`, roles: await userRoles(ctx, user.id), orgId: user.org_id };
}
