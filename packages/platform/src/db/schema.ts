/**
 * Table shapes shared by SQLite and PostgreSQL. Times are ISO 8601 UTC strings (they sort as text on both engines),
 * booleans are 0/1 integers and JSON is text, so that one set of migrations and queries serves both.
 */
import type { Generated, Kysely, Transaction } from 'kysely';

export interface RegionTable { code: string; name: string; parent_code: string | null; level: string; created_at: string }
export interface OrganisationTable {
  id: string; uscc: string; name: string; type: string; region_code: string; legal_rep_person_id: string | null;
  status: string; parent_id: string | null; created_at: string; updated_at: string;
}
export interface PersonTable {
  id: string; org_id: string; name: string; id_enc: Uint8Array; id_index: string; id_masked: string; phone: string | null; created_at: string;
}
export interface UserTable {
  id: string; login: string; password_hash: string; display_name: string; org_id: string | null; person_id: string | null;
  status: string; created_at: string; failed_logins: Generated<number>; locked_until: string | null;
}
export interface UserRoleTable { id: string; user_id: string; role: string; region_code: string | null; org_id: string | null }
export interface SessionTable { id_hash: string; user_id: string; csrf: string; created_at: string; expires_at: string }
export interface ApiKeyTable {
  id: string; secret_hash: string; name: string; org_id: string | null; roles: string; created_by: string; created_at: string; revoked_at: string | null;
}
export interface ApplicationTable {
  id: string; kind: string; org_id: string; applicant_user_id: string; agent_person_id: string | null; status: string;
  seal_requests: string; target_seal_id: string | null; note: string | null; rejection_reason: string | null;
  region_code: string; forwarded_from: string | null; decided_by: string | null; created_at: string; updated_at: string;
}
export interface MaterialTable {
  id: string; application_id: string; name: string; content_type: string; size: number; sha256: string; created_at: string;
}
export interface BlobTable { sha256: string; data: Uint8Array; size: number }
export interface SealTable {
  id: string; es_id: string; seal_code: string; kind: string; name: string; org_id: string; holder_person_id: string | null;
  custodian_user_id: string | null; status: string; key_ref: string | null; cert_serial: string | null; cert_der: Uint8Array | null;
  seseal: Uint8Array | null; image_sha256: string | null; image_source: string; comparison_score: number | null;
  valid_from: string; valid_to: string; last_used_at: string | null; supersedes: string | null; superseded_by: string | null;
  application_id: string | null; filing_status: string; created_at: string; updated_at: string;
}
export interface SealEventTable { id: string; seal_id: string; at: string; status: string; event: string }
export interface KeyTable { id: string; algorithm: string; wrapped: Uint8Array; public_spki: Uint8Array; purpose: string; created_at: string }
export interface NotificationTable {
  id: string; user_id: string | null; org_id: string | null; kind: string; dedupe_key: string | null; text: string; data: string; created_at: string; read_at: string | null;
}
export interface FilingTable {
  id: string; seal_id: string; event: string; target: string; payload: string; status: string; attempts: number;
  next_attempt_at: string; last_error: string | null; claimed_by: string | null; claimed_until: string | null; created_at: string; done_at: string | null;
}
export interface JobRunTable { job: string; period: string; instance: string; at: string }
export interface AuditEventTable {
  seq: number; at: string; actor: string; action: string; object_type: string; object_id: string; data: string; leaf_hash: string;
}
export interface AuditStateTable { id: number; size: number; frontier: string }
export interface TreeHeadTable { size: number; root: string; at: string; signature: string; key_id: string }
export interface SettingTable { name: string; value: string }
export interface CrlTable { number: number; der: Uint8Array; created_at: string }
export interface CaIssuedTable { serial_hex: string; profile: string; subject: string; not_after: string; issued_at: string; der: Uint8Array }
export interface CaRevocationTable { serial_hex: string; revocation_date: string; reason: string | null }

export interface Database {
  regions: RegionTable;
  organisations: OrganisationTable;
  persons: PersonTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  applications: ApplicationTable;
  materials: MaterialTable;
  blobs: BlobTable;
  seals: SealTable;
  seal_events: SealEventTable;
  keys: KeyTable;
  notifications: NotificationTable;
  filing_outbox: FilingTable;
  job_runs: JobRunTable;
  audit_events: AuditEventTable;
  audit_state: AuditStateTable;
  audit_tree_heads: TreeHeadTable;
  settings: SettingTable;
  crls: CrlTable;
  ca_issued: CaIssuedTable;
  ca_revocations: CaRevocationTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction. */
export type Q = Kysely<Database>;
export type { Generated };
