/**
 * The schema, as Kysely migrations run at every start on SQLite and PostgreSQL alike. Only the binary column type
 * differs (blob / bytea). Never edit a migration that has shipped; add a new one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { YzError } from '@yinzhang/gm';
import type { Dialect } from './connect.js';

function m001(dialect: Dialect): Migration {
  const bin = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('regions')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_code', 'text')
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('organisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('uscc', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text', (c) => c.notNull())
        .addColumn('legal_rep_person_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('persons')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('id_enc', bin, (c) => c.notNull())
        .addColumn('id_index', 'text', (c) => c.notNull())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('persons_org_idx', ['org_id', 'id_index']).execute();
      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text')
        .addColumn('person_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('user_roles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text')
        .addColumn('org_id', 'text').execute();
      await db.schema.createIndex('user_roles_user').on('user_roles').column('user_id').execute();
      await db.schema.createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text')
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text').execute();
      await db.schema.createTable('applications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('applicant_user_id', 'text', (c) => c.notNull())
        .addColumn('agent_person_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('seal_requests', 'text', (c) => c.notNull())
        .addColumn('target_seal_id', 'text')
        .addColumn('note', 'text')
        .addColumn('rejection_reason', 'text')
        .addColumn('region_code', 'text', (c) => c.notNull())
        .addColumn('forwarded_from', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createIndex('applications_org').on('applications').column('org_id').execute();
      await db.schema.createTable('materials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('blobs')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('data', bin, (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull()).execute();
      await db.schema.createTable('seals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('es_id', 'text', (c) => c.notNull().unique())
        .addColumn('seal_code', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('holder_person_id', 'text')
        .addColumn('custodian_user_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('key_ref', 'text')
        .addColumn('cert_serial', 'text')
        .addColumn('cert_der', bin)
        .addColumn('seseal', bin)
        .addColumn('image_sha256', 'text')
        .addColumn('image_source', 'text', (c) => c.notNull())
        .addColumn('comparison_score', 'real')
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_to', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('supersedes', 'text')
        .addColumn('superseded_by', 'text')
        .addColumn('application_id', 'text')
        .addColumn('filing_status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createIndex('seals_org').on('seals').column('org_id').execute();
      // A renewal keeps the seal code (new esID); a re-issue gets a new code.
      await db.schema.createIndex('seals_code').on('seals').column('seal_code').execute();
      await db.schema.createTable('ca_issued')
        .addColumn('serial_hex', 'text', (c) => c.primaryKey())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('der', bin, (c) => c.notNull()).execute();
      await db.schema.createTable('ca_revocations')
        .addColumn('serial_hex', 'text', (c) => c.primaryKey())
        .addColumn('revocation_date', 'text', (c) => c.notNull())
        .addColumn('reason', 'text').execute();
      await db.schema.createTable('seal_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('seal_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull()).execute();
      await db.schema.createIndex('seal_events_seal').on('seal_events').column('seal_id').execute();
      await db.schema.createTable('keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('wrapped', bin, (c) => c.notNull())
        .addColumn('public_spki', bin, (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text')
        .addColumn('org_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.unique())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text').execute();
      await db.schema.createTable('filing_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('seal_id', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('done_at', 'text').execute();
      await db.schema.createTable('job_runs')
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_runs_pk', ['job', 'period']).execute();
      await db.schema.createTable('audit_events')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('object_type', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('leaf_hash', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('audit_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('frontier', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('audit_tree_heads')
        .addColumn('size', 'integer', (c) => c.primaryKey())
        .addColumn('root', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('settings')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('crls')
        .addColumn('number', 'integer', (c) => c.primaryKey())
        .addColumn('der', bin, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull()).execute();
      await sql`insert into audit_state (id, size, frontier) values (1, 0, '[]')`.execute(db);
    },
  };
}

/** Login throttling (等保: handling of repeated authentication failures). */
const m002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('users').addColumn('locked_until', 'text').execute();
  },
};

export async function migrate(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => ({ '001_initial': m001(dialect), '002_login_throttle': m002 }) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'yz_migrations', migrationLockTableName: 'yz_migrations_lock', ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new YzError('STORAGE_FAILED', `database migration failed: ${(error as Error).message ?? String(error)}`, undefined, { cause: error });
}
