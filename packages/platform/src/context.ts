/** What every route, job and bootstrap step works with: the database, the clock, the keystore and the audit log. */
import type { Kysely } from 'kysely';
import type { Database, Q } from './db/schema.js';
import type { Dialect } from './db/connect.js';
import type { SoftwareKeystore } from './keystore.js';
import { appendAudit, type AuditEvent } from './audit/log.js';
import { iso, type Clock } from './util.js';

export interface PlatformConfig {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (tests give each run its own). */
  schema?: string | undefined;
  /** Name of this instance in job claims. */
  instanceId: string;
  maxUploadBytes: number;
  filingDir: string;
}

export interface Ctx {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
  keystore: SoftwareKeystore;
  /** Encrypts personal data (ID numbers) at rest; derived from the KEK. */
  dataKey: Uint8Array;
  /** Keyed index of ID numbers, so duplicates can be found without decrypting. */
  indexKey: Uint8Array;
  config: PlatformConfig;
}

export interface Change {
  tx: Q;
  now: Date;
  at: string;
  audit(ev: Omit<AuditEvent, 'actor'> & { actor?: string }): Promise<number>;
}

/** One state change: a transaction in which every audit event is appended before commit, or nothing is. */
export async function change<T>(ctx: Ctx, actor: string, fn: (c: Change) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const at = iso(now);
    return fn({ tx, now, at, audit: (ev) => appendAudit(tx, ctx.dialect, at, { actor, ...ev }) });
  });
}
