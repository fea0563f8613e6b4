/**
 * Scheduled jobs, safe with several instances: every action is a conditional update or a deduplicated insert, so an
 * instance that loses a race simply does nothing; filing rows are claimed with a lease before dispatch.
 *  - expiry: seals past their validity become `expired`;
 *  - renewal reminders 30 days before expiry (信阳 第十一条);
 *  - dormancy: an active seal unused for one year is suspended (广东 第十二条);
 *  - filing dispatch with retries and exponential back-off;
 *  - a fresh CRL once the newest is a day old (CRLs are valid for a week);
 *  - signing the audit tree head.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { change, type Ctx } from './context.js';
import { transition } from './domain/lifecycle.js';
import { notify } from './domain/notifications.js';
import { signTreeHead } from './audit/heads.js';
import { refreshCrl } from './domain/production.js';
import { addDays, iso } from './util.js';

export const DORMANCY_DAYS = 365;
export const REMINDER_DAYS = 30;
export const FILING_MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const BATCH = 200;

export interface JobReport { expired: number; reminded: number; suspended: number; filed: number; filingFailed: number; crlIssued: boolean; treeHeadSize: number }

/** How a filing is delivered; `directory` writes one JSON file per event for offline exchange. */
export interface FilingAdapter { name: string; deliver(row: { id: string; target: string; event: string; payload: string }): Promise<void> }

export function directoryAdapter(dir: string): FilingAdapter {
  return {
    name: 'directory',
    async deliver(row) {
      const d = join(dir, row.target);
      mkdirSync(d, { recursive: true });
      const tmp = join(d, `.${row.id}.tmp`);
      writeFileSync(tmp, JSON.stringify({ id: row.id, event: row.event, ...JSON.parse(row.payload) as object }, null, 2) + '\n');
      renameSync(tmp, join(d, `${row.id}.json`));
    },
  };
}

const isUniqueViolation = (e: unknown): boolean => /unique|duplicate key/i.test(String((e as Error)?.message ?? e));

export async function runJobs(ctx: Ctx, adapter: FilingAdapter = directoryAdapter(ctx.config.filingDir)): Promise<JobReport> {
  const report: JobReport = { expired: 0, reminded: 0, suspended: 0, filed: 0, filingFailed: 0, crlIssued: false, treeHeadSize: 0 };
  const now = ctx.clock.now();
  const nowIso = iso(now);

  const expiring = await ctx.db.selectFrom('seals').selectAll().where('status', 'in', ['active', 'suspended', 'pending_confirmation']).where('valid_to', '<=', nowIso).limit(BATCH).execute();
  for (const s of expiring) {
    if (await change(ctx, 'system:jobs', (c) => transition(c, s, ['active', 'suspended', 'pending_confirmation'], 'expired', 'expire'))) report.expired++;
  }

  const soon = await ctx.db.selectFrom('seals').selectAll().where('status', '=', 'active').where('superseded_by', 'is', null)
    .where('valid_to', '>', nowIso).where('valid_to', '<=', iso(addDays(now, REMINDER_DAYS))).limit(BATCH).execute();
  for (const s of soon) {
    try {
      const sent = await change(ctx, 'system:jobs', (c) => notify(c, {
        orgId: s.org_id, kind: 'seal.renewal_reminder', dedupeKey: `renewal-reminder:${s.id}`,
        text: `印章「${s.name}」将于 ${s.valid_to.slice(0, 10)} 到期，请在到期前30日内申请续期`, data: { sealId: s.id, validTo: s.valid_to },
      }));
      if (sent) report.reminded++;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // the other instance sent it
    }
  }

  const cutoff = iso(addDays(now, -DORMANCY_DAYS));
  const dormant = await ctx.db.selectFrom('seals').selectAll().where('status', '=', 'active')
    .where((eb) => eb.or([eb('last_used_at', '<=', cutoff), eb.and([eb('last_used_at', 'is', null), eb('valid_from', '<=', cutoff)])])).limit(BATCH).execute();
  for (const s of dormant) {
    if (await change(ctx, 'system:jobs', (c) => transition(c, s, ['active'], 'suspended', 'dormant', { unusedSince: s.last_used_at ?? s.valid_from }))) report.suspended++;
  }

  const due = await ctx.db.selectFrom('filing_outbox').select(['id']).where('status', '=', 'pending').where('next_attempt_at', '<=', nowIso).limit(BATCH).execute();
  for (const { id } of due) {
    const lease = iso(new Date(now.getTime() + LEASE_MS));
    const claim = await ctx.db.updateTable('filing_outbox').set({ claimed_by: ctx.config.instanceId, claimed_until: lease })
      .where('id', '=', id).where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', nowIso)])).executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue;
    const row = await ctx.db.selectFrom('filing_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    try {
      await adapter.deliver(row);
      await change(ctx, 'system:filing', async (c) => {
        await c.tx.updateTable('filing_outbox').set({ status: 'done', done_at: c.at, attempts: row.attempts + 1, claimed_until: null }).where('id', '=', id).execute();
        const left = await c.tx.selectFrom('filing_outbox').select('id').where('seal_id', '=', row.seal_id).where('status', '!=', 'done').executeTakeFirst();
        if (!left) await c.tx.updateTable('seals').set({ filing_status: 'filed' }).where('id', '=', row.seal_id).execute();
        await c.audit({ action: 'filing.delivered', objectType: 'seal', objectId: row.seal_id, data: { filingId: id, target: row.target, event: row.event, adapter: adapter.name } });
      });
      report.filed++;
    } catch (e) {
      const attempts = row.attempts + 1;
      const failed = attempts >= FILING_MAX_ATTEMPTS;
      const backoffMs = Math.min(30_000 * 2 ** (attempts - 1), 86_400_000);
      await change(ctx, 'system:filing', async (c) => {
        await c.tx.updateTable('filing_outbox').set({
          attempts, status: failed ? 'failed' : 'pending', next_attempt_at: iso(new Date(now.getTime() + backoffMs)),
          last_error: String((e as Error)?.message ?? e).slice(0, 500), claimed_until: null,
        }).where('id', '=', id).execute();
        if (failed) {
          await c.tx.updateTable('seals').set({ filing_status: 'failed' }).where('id', '=', row.seal_id).execute();
          await c.audit({ action: 'filing.failed', objectType: 'seal', objectId: row.seal_id, data: { filingId: id, target: row.target, attempts } });
        }
      });
      report.filingFailed++;
    }
  }

  report.crlIssued = await refreshCrl(ctx);
  report.treeHeadSize = (await signTreeHead(ctx)).size;
  return report;
}

/** Runs the jobs every `intervalMs`; errors are logged by code only. */
export function startScheduler(ctx: Ctx, intervalMs: number, log: (msg: string) => void): () => void {
  let running = false;
  const t = setInterval(() => {
    if (running) return;
    running = true;
    runJobs(ctx).catch((e: unknown) => log(`jobs failed: ${(e as { code?: string }).code ?? (e as Error).name}`)).finally(() => { running = false; });
  }, intervalMs);
  t.unref();
  return () => clearInterval(t);
}
