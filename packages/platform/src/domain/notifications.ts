/** In-app notifications; `dedupeKey` makes a job's notice idempotent when two instances run it. */
import type { Change } from '../context.js';
import { newId } from '../util.js';

export async function notify(c: Change, n: { userId?: string | null; orgId?: string | null; kind: string; text: string; data?: Record<string, unknown>; dedupeKey?: string }): Promise<boolean> {
  if (n.dedupeKey) {
    const exists = await c.tx.selectFrom('notifications').select('id').where('dedupe_key', '=', n.dedupeKey).executeTakeFirst();
    if (exists) return false;
  }
  await c.tx.insertInto('notifications').values({
    id: newId(), user_id: n.userId ?? null, org_id: n.orgId ?? null, kind: n.kind, dedupe_key: n.dedupeKey ?? null, text: n.text,
    data: JSON.stringify(n.data ?? {}), created_at: c.at, read_at: null,
  }).execute();
  return true;
}
