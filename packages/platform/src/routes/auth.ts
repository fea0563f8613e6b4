/** Login (password → HttpOnly session cookie + CSRF token), logout, and "who am I". */
import { YzError } from '@yinzhang/gm';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { change } from '../context.js';
import { caller } from '../http.js';
import { DUMMY_HASH, verifyPassword } from '../passwords.js';
import { SESSION_COOKIE, sha256Hex } from '../auth/principal.js';
import { addDays, iso, randomToken } from '../util.js';

const SESSION_HOURS = 12;
/** After this many consecutive failures an account is locked for LOCK_MINUTES. */
export const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;

export function authRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'], summary: 'Log in with login and password; sets an HttpOnly session cookie and returns the CSRF token',
      body: { type: 'object', required: ['login', 'password'], additionalProperties: false, properties: {
        login: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 256 } } },
    },
    config: { public: true },
  }, async (req, reply) => {
    const { login, password } = req.body as { login: string; password: string };
    const user = await ctx.db.selectFrom('users').select(['id', 'password_hash', 'status', 'failed_logins', 'locked_until']).where('login', '=', login).executeTakeFirst();
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    const now = ctx.clock.now();
    if (user?.locked_until && user.locked_until > iso(now)) {
      throw new YzError('LOGIN_FAILED', `too many failed logins: try again after ${user.locked_until}`);
    }
    if (!user || !ok || user.status !== 'active') {
      if (user) {
        const failures = Number(user.failed_logins) + 1;
        const lock = failures >= MAX_FAILURES;
        await change(ctx, `user:${user.id}`, async (c) => {
          await c.tx.updateTable('users').set({ failed_logins: lock ? 0 : failures, locked_until: lock ? iso(new Date(now.getTime() + LOCK_MINUTES * 60_000)) : null }).where('id', '=', user.id).execute();
          if (lock) await c.audit({ action: 'auth.locked', objectType: 'user', objectId: user.id, data: { failures, minutes: LOCK_MINUTES } });
        });
      }
      throw new YzError('LOGIN_FAILED', 'wrong login or password');
    }
    const token = randomToken();
    const csrf = randomToken();
    await change(ctx, `user:${user.id}`, async (c) => {
      await c.tx.insertInto('sessions').values({
        id_hash: sha256Hex(token), user_id: user.id, csrf, created_at: c.at, expires_at: iso(addDays(c.now, SESSION_HOURS / 24)),
      }).execute();
      await c.tx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
      await c.audit({ action: 'auth.login', objectType: 'user', objectId: user.id });
    });
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'strict', path: '/api', maxAge: SESSION_HOURS * 3600 });
    return { userId: user.id, csrfToken: csrf };
  });

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'End the session' } }, async (req, reply) => {
    const p = caller(req);
    const token = req.cookies[SESSION_COOKIE];
    if (token) await ctx.db.deleteFrom('sessions').where('id_hash', '=', sha256Hex(token)).execute();
    reply.clearCookie(SESSION_COOKIE, { path: '/api' });
    return { ok: true, userId: p.id };
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'The caller, its roles and (for sessions) the CSRF token' } }, async (req) => {
    const p = caller(req);
    let csrfToken: string | undefined;
    const token = req.cookies[SESSION_COOKIE];
    if (p.kind === 'user' && token) {
      csrfToken = (await ctx.db.selectFrom('sessions').select('csrf').where('id_hash', '=', sha256Hex(token)).executeTakeFirst())?.csrf;
    }
    return { kind: p.kind, id: p.id, orgId: p.orgId, roles: p.roles, ...(csrfToken ? { csrfToken } : {}) };
  });
}
