/**
 * Opens the database: SQLite (better-sqlite3, WAL) in the data directory by default, PostgreSQL when a URL is given.
 * `schema` (PostgreSQL only) isolates a test run or a tenant in its own search path.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenOptions { dataDir: string; databaseUrl?: string | undefined; schema?: string | undefined }

export interface OpenedDb { db: Kysely<Database>; dialect: Dialect; close(): Promise<void> }

export async function openDatabase(o: OpenOptions): Promise<OpenedDb> {
  if (o.databaseUrl) {
    const pg = (await import('pg')).default;
    // int8 (count(*), sums) as JS numbers: our counts stay far below 2^53.
    pg.types.setTypeParser(20, (v: string) => Number(v));
    const schema = o.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('bad schema name');
    const pool = new pg.Pool({ connectionString: o.databaseUrl, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    if (schema) {
      const c = await pool.connect();
      try {
        await c.query(`create schema if not exists ${schema}`).catch((e: { code?: string }) => {
          // Two instances creating the schema at once: the loser sees a unique violation; the schema exists.
          if (e.code !== '23505') throw e;
        });
      } finally {
        c.release();
      }
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const SqliteDb = (await import('better-sqlite3')).default;
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const file = new SqliteDb(join(o.dataDir, 'yinzhang.db'));
  file.pragma('journal_mode = WAL');
  file.pragma('busy_timeout = 5000');
  file.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  await sql`select 1`.execute(db);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
