/** In-app notifications for the caller (own, and those of organisations it has a role in); jobs run on demand. */
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { caller, idParam } from '../http.js';
import { forbidden, hasPlatformRole } from '../auth/roles.js';
import { iso, notFound } from '../util.js';
import { runJobs } from '../jobs.js';

export function notificationRoutes(app: FastifyInstance, ctx: Ctx): void {
  const mine = (p: ReturnType<typeof caller>) => {
    const orgIds = [...new Set(p.roles.filter((g) => g.orgId).map((g) => g.orgId!))];
    return ctx.db.selectFrom('notifications').where((eb) => eb.or([
      eb('user_id', '=', p.kind === 'user' ? p.id : '-'), ...(orgIds.length ? [eb.and([eb('org_id', 'in', orgIds), eb('user_id', 'is', null)])] : []),
    ]));
  };

  app.get('/api/v1/notifications', { schema: { tags: ['notifications'], summary: 'Notifications for the caller, newest first',
    querystring: { type: 'object', additionalProperties: false, properties: { unread: { type: 'boolean' } } } } }, async (req) => {
    const p = caller(req);
    let q = mine(p).selectAll().orderBy('created_at', 'desc').limit(200);
    if ((req.query as { unread?: boolean }).unread) q = q.where('read_at', 'is', null);
    const rows = await q.execute();
    return { items: rows.map((n) => ({ id: n.id, kind: n.kind, text: n.text, data: JSON.parse(n.data) as unknown, orgId: n.org_id, createdAt: n.created_at, readAt: n.read_at })) };
  });

  app.post('/api/v1/notifications/:id/read', { schema: { tags: ['notifications'], summary: 'Mark read', params: idParam } }, async (req) => {
    const p = caller(req);
    const id = (req.params as { id: string }).id;
    const n = await mine(p).select('id').where('id', '=', id).executeTakeFirst();
    if (!n) return notFound('notification');
    await ctx.db.updateTable('notifications').set({ read_at: iso(ctx.clock.now()) }).where('id', '=', id).execute();
    return { id, read: true };
  });

  app.post('/api/v1/jobs/run', { schema: { tags: ['operations'], summary: 'Run the scheduled jobs now (security_officer)' } }, async (req) => {
    if (!hasPlatformRole(caller(req), 'security_officer')) forbidden();
    return runJobs(ctx);
  });
}
