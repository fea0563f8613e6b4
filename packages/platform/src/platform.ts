/**
 * Starting a platform instance: open the database, run migrations, make sure the platform's keys and the first
 * admin exist (once, even when two instances start together), build the HTTP server.
 */
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type OpenedDb } from './db/connect.js';
import { migrate } from './db/migrations.js';
import { SoftwareKeystore, deriveKey, loadKek } from './keystore.js';
import { change, type Ctx, type PlatformConfig } from './context.js';
import { hashPassword } from './passwords.js';
import { buildServer } from './server.js';
import { newId, systemClock, type Clock } from './util.js';
import type { Kysely } from 'kysely';
import { YzError } from '@yinzhang/gm';
import { bootstrapPki } from './domain/production.js';

export interface PlatformOptions {
  dataDir?: string;
  databaseUrl?: string | undefined;
  schema?: string | undefined;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  logger?: boolean;
  /** Where the JSON request log goes (tests); default stdout when `logger` is set. */
  logStream?: NodeJS.WritableStream;
  instanceId?: string;
  maxUploadBytes?: number;
}

export interface Platform {
  ctx: Ctx;
  app: FastifyInstance;
  /** Set only on the start that created the admin account with a generated password (print it once). */
  generatedAdminPassword?: string;
  close(): Promise<void>;
}

async function claimSetting(ctx: Ctx, name: string, value: string): Promise<boolean> {
  try {
    await ctx.db.insertInto('settings').values({ name, value }).execute();
    return true;
  } catch {
    return false;
  }
}

async function ensureAuditKey(ctx: Ctx): Promise<void> {
  if (await ctx.db.selectFrom('settings').select('value').where('name', '=', 'audit_key_id').executeTakeFirst()) return;
  await ctx.db.transaction().execute(async (tx) => {
    const { ref } = await ctx.keystore.generate(tx, 'audit');
    await tx.insertInto('settings').values({ name: 'audit_key_id', value: ref.id }).execute();
  }).catch(async (e: unknown) => {
    // Another instance won the race; its key is the audit key.
    if (!(await ctx.db.selectFrom('settings').select('value').where('name', '=', 'audit_key_id').executeTakeFirst())) throw e;
  });
}

/** Fails fast when this instance's KEK is not the one the platform's keys were wrapped under (e.g. a second instance without YINZHANG_KEK). */
async function checkKek(ctx: Ctx): Promise<void> {
  const id = (await ctx.db.selectFrom('settings').select('value').where('name', '=', 'audit_key_id').executeTakeFirstOrThrow()).value;
  try {
    await ctx.keystore.load(ctx.db, id);
  } catch (e) {
    throw new YzError('AUTHENTICATION_FAILED', 'the key-encryption key does not open this platform\'s keys: give every instance the same YINZHANG_KEK', undefined, { cause: e });
  }
}

async function ensureAdmin(ctx: Ctx, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!(await claimSetting(ctx, 'admin_created', 'pending'))) return undefined;
  const fromEnv = env.YINZHANG_ADMIN_PASSWORD;
  const password = fromEnv && fromEnv.length > 0 ? fromEnv : randomBytes(18).toString('base64url');
  const hash = await hashPassword(password);
  await change(ctx, 'system', async (c) => {
    const id = newId();
    await c.tx.insertInto('users').values({ id, login: 'admin', password_hash: hash, display_name: '平台管理员', org_id: null, person_id: null, status: 'active', created_at: c.at }).execute();
    await c.tx.insertInto('user_roles').values({ id: newId(), user_id: id, role: 'admin', region_code: null, org_id: null }).execute();
    await c.tx.updateTable('settings').set({ value: c.at }).where('name', '=', 'admin_created').execute();
    await c.audit({ action: 'user.create', objectType: 'user', objectId: id, data: { login: 'admin', roles: [{ role: 'admin' }], bootstrap: true } });
  });
  return fromEnv ? undefined : password;
}

export async function openContext(o: PlatformOptions = {}): Promise<{ ctx: Ctx; opened: OpenedDb }> {
  const env = o.env ?? process.env;
  const dataDir = resolve(o.dataDir ?? env.YINZHANG_DATA ?? './data');
  const databaseUrl = o.databaseUrl ?? (env.DATABASE_URL || undefined);
  const opened = await openDatabase({ dataDir, databaseUrl, schema: o.schema });
  await migrate(opened.db as unknown as Kysely<unknown>, opened.dialect, o.schema);
  const kek = loadKek(dataDir, env);
  const clock = o.clock ?? systemClock;
  const config: PlatformConfig = {
    dataDir, databaseUrl, schema: o.schema, instanceId: o.instanceId ?? newId(), maxUploadBytes: o.maxUploadBytes ?? 10 * 1024 * 1024,
    filingDir: join(dataDir, 'filing'),
  };
  const ctx: Ctx = {
    db: opened.db, dialect: opened.dialect, clock, keystore: new SoftwareKeystore(kek, clock),
    dataKey: deriveKey(kek, 'personal-data'), indexKey: deriveKey(kek, 'personal-index'), config,
  };
  return { ctx, opened };
}

export async function createPlatform(o: PlatformOptions = {}): Promise<Platform> {
  const env = o.env ?? process.env;
  const { ctx, opened } = await openContext(o);
  let generatedAdminPassword: string | undefined;
  let app: FastifyInstance;
  try {
    await ensureAuditKey(ctx);
    await checkKek(ctx);
    await bootstrapPki(ctx);
    generatedAdminPassword = await ensureAdmin(ctx, env);
    app = await buildServer(ctx, { logger: o.logger ?? false, ...(o.logStream ? { logStream: o.logStream } : {}) });
    await app.ready();
  } catch (e) {
    await opened.close();
    throw e;
  }
  return {
    ctx, app, ...(generatedAdminPassword ? { generatedAdminPassword } : {}),
    async close() {
      await app.close();
      await opened.close();
    },
  };
}
