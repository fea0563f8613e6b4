/**
 * The audit log (design.md "Audit"; 宿迁 第十八、二十四条; 遂平 第十七条): every state change appends one event in the
 * same transaction, as a leaf of the SM3 Merkle tree. The row lock on audit_state serialises appenders across
 * instances (PostgreSQL) — SQLite has a single writer anyway.
 */
import { fromHex, toHex, utf8 } from '@yinzhang/gm';
import type { Q } from '../db/schema.js';
import type { Dialect } from '../db/connect.js';
import { frontierAppend, frontierRoot, leafHash, type FrontierNode } from './merkle.js';

export interface AuditEvent {
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  /** Facts about the change; never secrets and never clear ID numbers. */
  data?: Record<string, unknown>;
}

export interface StoredEvent { seq: number; at: string; actor: string; action: string; object_type: string; object_id: string; data: string }

/** The bytes a leaf commits to: every column except the stored hash, in a fixed order. */
export const entryBytes = (e: StoredEvent): Uint8Array =>
  utf8(JSON.stringify([e.seq, e.at, e.actor, e.action, e.object_type, e.object_id, e.data]));

export const serialiseFrontier = (f: FrontierNode[]): string => JSON.stringify(f.map((n) => [n.h, toHex(n.hash)]));
export const parseFrontier = (s: string): FrontierNode[] =>
  (JSON.parse(s) as [number, string][]).map(([h, hash]) => ({ h, hash: fromHex(hash) }));

export async function appendAudit(tx: Q, dialect: Dialect, at: string, ev: AuditEvent): Promise<number> {
  const lock = tx.selectFrom('audit_state').select(['size', 'frontier']).where('id', '=', 1);
  const state = dialect === 'postgres' ? await lock.forUpdate().executeTakeFirstOrThrow() : await lock.executeTakeFirstOrThrow();
  const seq = Number(state.size) + 1;
  const row: StoredEvent = {
    seq, at, actor: ev.actor, action: ev.action, object_type: ev.objectType, object_id: ev.objectId, data: JSON.stringify(ev.data ?? {}),
  };
  const leaf = leafHash(entryBytes(row));
  const frontier = frontierAppend(parseFrontier(state.frontier), leaf);
  await tx.insertInto('audit_events').values({ ...row, leaf_hash: toHex(leaf) }).execute();
  await tx.updateTable('audit_state').set({ size: seq, frontier: serialiseFrontier(frontier) }).where('id', '=', 1).execute();
  return seq;
}

export async function currentHead(q: Q): Promise<{ size: number; root: Uint8Array }> {
  const s = await q.selectFrom('audit_state').select(['size', 'frontier']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { size: Number(s.size), root: frontierRoot(parseFrontier(s.frontier)) };
}

/** Leaf hashes 1..size as stored (proofs are served from these; `audit verify` recomputes them). */
export async function storedLeaves(q: Q, size: number): Promise<Uint8Array[]> {
  const rows = await q.selectFrom('audit_events').select(['leaf_hash']).where('seq', '<=', size).orderBy('seq').execute();
  return rows.map((r) => fromHex(r.leaf_hash));
}

export const treeHeadMessage = (size: number, rootHex: string, at: string): Uint8Array =>
  utf8(`yinzhang-audit-tree-head-v1\n${size}\n${rootHex}\n${at}\n`);

