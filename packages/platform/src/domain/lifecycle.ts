/**
 * Seal lifecycle: pending_confirmation → active ⇄ suspended → revoked; `expired` once validity has passed.
 * Every transition is a conditional update (so concurrent requests or instances cannot both act), a dated public
 * history entry, an audit event, a filing outbox row and, where someone should know, a notification.
 */
import { YzError } from '@yinzhang/gm';
import type { Change, Ctx } from '../context.js';
import type { ApplicationTable, SealTable } from '../db/schema.js';
import { newId } from '../util.js';
import type { SealRequest } from './seal-kinds.js';
import { notify } from './notifications.js';
import { produceSeal, revokeCertificate } from './production.js';

export const SEAL_STATUSES = ['pending_confirmation', 'active', 'suspended', 'revoked', 'expired'] as const;
export const RENEWAL_WINDOW_DAYS = 30;

/** 信阳 第十一条: renewal only within the last 30 days of validity (and before it ends). */
export function checkRenewalWindow(seal: Pick<SealTable, 'valid_to'>, now: Date): void {
  const left = Date.parse(seal.valid_to) - now.getTime();
  if (left <= 0 || left > RENEWAL_WINDOW_DAYS * 86_400_000) {
    throw new YzError('RENEWAL_WINDOW_CLOSED', `renewal is possible only in the last ${RENEWAL_WINDOW_DAYS} days of validity (valid until ${seal.valid_to})`);
  }
}

export const FILING_TARGETS = ['public_security'] as const;

export async function enqueueFiling(c: Change, sealId: string, event: 'produced' | 'changed' | 'revoked', payload: Record<string, unknown>): Promise<void> {
  for (const target of FILING_TARGETS) {
    await c.tx.insertInto('filing_outbox').values({
      id: newId(), seal_id: sealId, event, target, payload: JSON.stringify(payload), status: 'pending', attempts: 0,
      next_attempt_at: c.at, last_error: null, claimed_by: null, claimed_until: null, created_at: c.at, done_at: null,
    }).execute();
  }
  await c.tx.updateTable('seals').set({ filing_status: 'pending' }).where('id', '=', sealId).execute();
}

export async function sealEvent(c: Change, sealId: string, status: string, event: string): Promise<void> {
  await c.tx.insertInto('seal_events').values({ id: newId(), seal_id: sealId, at: c.at, status, event }).execute();
}

/** Moves a seal from one of `from` to `to`; false when another request got there first. */
export async function transition(c: Change, seal: SealTable, from: string[], to: string, event: string, extra: Record<string, unknown> = {}): Promise<boolean> {
  const r = await c.tx.updateTable('seals').set({ status: to, updated_at: c.at }).where('id', '=', seal.id).where('status', 'in', from).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await sealEvent(c, seal.id, to, event);
  await c.audit({ action: `seal.${event}`, objectType: 'seal', objectId: seal.id, data: { from: seal.status, to, sealCode: seal.seal_code, ...extra } });
  await enqueueFiling(c, seal.id, to === 'revoked' ? 'revoked' : 'changed', { esId: seal.es_id, sealCode: seal.seal_code, status: to, event, at: c.at });
  await notify(c, { orgId: seal.org_id, kind: `seal.${event}`, text: `印章「${seal.name}」状态变更为 ${to}`, data: { sealId: seal.id } });
  return true;
}

export async function revokeSeal(ctx: Ctx, c: Change, seal: SealTable, reason: 'superseded' | 'cessationOfOperation' | 'keyCompromise' | 'affiliationChanged', event = 'revoke'): Promise<boolean> {
  if (!(await transition(c, seal, ['active', 'suspended', 'pending_confirmation'], 'revoked', event, { reason }))) return false;
  if (seal.cert_serial) await revokeCertificate(ctx, c, seal.cert_serial, reason);
  return true;
}

async function loadSeal(c: Change, id: string): Promise<SealTable> {
  const s = await c.tx.selectFrom('seals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw new YzError('NOT_FOUND', 'seal not found');
  return s;
}

/** Carries out an approved application inside the approving transaction; returns the seals produced. */
export async function fulfilApplication(ctx: Ctx, c: Change, app: ApplicationTable, actor: string): Promise<string[]> {
  const requests = JSON.parse(app.seal_requests) as SealRequest[];
  const org = await c.tx.selectFrom('organisations').selectAll().where('id', '=', app.org_id).executeTakeFirstOrThrow();
  if (app.kind === 'issue') {
    const ids: string[] = [];
    for (const r of requests) ids.push(await produceSeal(ctx, c, { org, request: r, applicationId: app.id, actor }));
    return ids;
  }
  const old = await loadSeal(c, app.target_seal_id!);
  switch (app.kind) {
    case 'renew': {
      checkRenewalWindow(old, c.now);
      if (old.superseded_by) throw new YzError('INVALID_STATE', 'this seal was already renewed or re-issued');
      const id = await produceSeal(ctx, c, { org, request: requests[0]!, applicationId: app.id, actor, supersedes: old, renewal: true });
      const r = await c.tx.updateTable('seals').set({ superseded_by: id, updated_at: c.at }).where('id', '=', old.id).where('superseded_by', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new YzError('INVALID_STATE', 'this seal was already renewed or re-issued');
      return [id];
    }
    case 'reissue': {
      // 信阳 第十五条: the old seal is revoked in the same transaction that produces the new one.
      if (!(await revokeSeal(ctx, c, old, 'superseded', 'reissue'))) throw new YzError('INVALID_STATE', 'the seal was already revoked or re-issued');
      const id = await produceSeal(ctx, c, { org, request: requests[0]!, applicationId: app.id, actor, supersedes: old });
      await c.tx.updateTable('seals').set({ superseded_by: id }).where('id', '=', old.id).execute();
      return [id];
    }
    case 'revoke':
      if (!(await revokeSeal(ctx, c, old, 'cessationOfOperation'))) throw new YzError('INVALID_STATE', 'the seal is already revoked');
      return [];
    case 'reactivate':
      if (!(await transition(c, old, ['suspended'], 'active', 'reactivate'))) throw new YzError('INVALID_STATE', 'the seal is not suspended');
      // Reactivation restarts the one-year dormancy clock (广东 第十二条).
      await c.tx.updateTable('seals').set({ last_used_at: c.at }).where('id', '=', old.id).execute();
      return [];
    default:
      throw new YzError('INVALID_ARGUMENT', `unknown application kind ${app.kind}`);
  }
}
