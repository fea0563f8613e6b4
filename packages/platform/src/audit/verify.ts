/**
 * Recomputes the audit log from its rows and names the first divergence: a missing or reordered event (deleted
 * rows), an event whose content no longer matches its leaf (edited row), a log shorter than its recorded state or
 * a signed tree head (truncation), or a tree head whose root or signature does not match (rewritten history).
 * Pure computation — works the same on a live database and on an export.
 *
 * Heads stored in the database cannot prove that the newest rows were not cut off together with the heads that
 * covered them and the state row: whoever can write the database can do all three. Heads kept outside it (an auditor's
 * saved copy of `POST /api/v1/audit/tree-heads`, a filed copy) close that gap: pass them as `anchors`, and the log must
 * still contain and extend every one of them (宿迁 第二十四条: an independent audit whose records stay true and complete).
 */
import { SignatureAlgorithms, fromBase64, getCryptoProvider, toHex } from '@yinzhang/gm';
import { entryBytes, parseFrontier, treeHeadMessage, type StoredEvent } from './log.js';
import { frontierAppend, frontierRoot, leafHash, type FrontierNode } from './merkle.js';

export interface AuditExport {
  format: 'yinzhang-audit-export-v1';
  events: (StoredEvent & { leaf_hash: string })[];
  state: { size: number; frontier: string } | null;
  treeHeads: { size: number; root: string; at: string; signature: string; key_id: string }[];
  /** SPKI (base64) of the audit key, by key id. */
  auditKeys: Record<string, string>;
}

export interface AuditVerdict {
  ok: boolean;
  size: number;
  root: string;
  headsChecked: number;
  divergence?: { seq?: number; treeHeadSize?: number; reason: string };
}

export type TreeHead = AuditExport['treeHeads'][number];

export async function verifyAudit(x: AuditExport, anchors: TreeHead[] = []): Promise<AuditVerdict> {
  // Same-size duplicates (an anchor that is also stored) are each checked: a differing root or signature still fails.
  const heads = [...x.treeHeads, ...anchors];
  const events = [...x.events].sort((a, b) => Number(a.seq) - Number(b.seq));
  const roots = new Map<number, string>();
  let frontier: FrontierNode[] = [];
  const headSizes = new Set(heads.map((h) => Number(h.size)));
  const done = (divergence: AuditVerdict['divergence'], n: number): AuditVerdict =>
    ({ ok: false, size: n, root: toHex(frontierRoot(frontier)), headsChecked: 0, ...(divergence ? { divergence } : {}) });
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const want = i + 1;
    if (Number(e.seq) !== want) {
      return done({ seq: want, reason: Number(e.seq) > want ? `event ${want} is missing (deleted)` : `event ${e.seq} appears twice` }, i);
    }
    const leaf = leafHash(entryBytes({ ...e, seq: Number(e.seq) }));
    if (toHex(leaf) !== e.leaf_hash) return done({ seq: want, reason: `event ${want} was altered: its content no longer matches its leaf hash` }, i);
    frontier = frontierAppend(frontier, leaf);
    if (headSizes.has(want)) roots.set(want, toHex(frontierRoot(frontier)));
  }
  const n = events.length;
  const root = toHex(frontierRoot(frontier));
  if (x.state) {
    if (Number(x.state.size) !== n) {
      return { ok: false, size: n, root, headsChecked: 0, divergence: { seq: Math.min(n, Number(x.state.size)) + 1, reason: `log holds ${n} events but its state records ${x.state.size} (rows deleted or truncated)` } };
    }
    if (toHex(frontierRoot(parseFrontier(x.state.frontier))) !== root) {
      return { ok: false, size: n, root, headsChecked: 0, divergence: { reason: 'recorded tree state does not match the recomputed root (rows rewritten)' } };
    }
  }
  let checked = 0;
  for (const h of [...heads].sort((a, b) => Number(a.size) - Number(b.size))) {
    const size = Number(h.size);
    if (size > n) return { ok: false, size: n, root, headsChecked: checked, divergence: { seq: n + 1, treeHeadSize: size, reason: `a signed tree head covers ${size} events but only ${n} remain (truncated)` } };
    const spki = x.auditKeys[h.key_id];
    // A malformed signature or key is just as much a failed check as a wrong one.
    const valid = spki !== undefined && await getCryptoProvider().verify({
      algorithm: SignatureAlgorithms['SM2-with-SM3'], spki: fromBase64(spki), data: treeHeadMessage(size, h.root, h.at), signature: fromBase64(h.signature),
    }).catch(() => false);
    if (!valid) return { ok: false, size: n, root, headsChecked: checked, divergence: { treeHeadSize: size, reason: `signature on the tree head of size ${size} does not verify` } };
    const mine = size === 0 ? toHex(frontierRoot([])) : roots.get(size);
    if (mine !== h.root) {
      const prev = heads.map((t) => Number(t.size)).filter((s) => s < size && roots.get(s) !== undefined).reduce((a, b) => Math.max(a, b), 0);
      return { ok: false, size: n, root, headsChecked: checked, divergence: { seq: prev + 1, treeHeadSize: size, reason: `events ${prev + 1}..${size} were rewritten: the root no longer matches the signed tree head of size ${size}` } };
    }
    checked++;
  }
  return { ok: true, size: n, root, headsChecked: checked };
}

