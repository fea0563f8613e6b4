/**
 * Content-addressed blob store (design.md, "Storage and scale"): files under `<data>/blobs` on the embedded SQLite
 * default, a table in PostgreSQL mode so that several instances share it. Addressed by SHA-256, so re-uploads are
 * idempotent, and a blob whose bytes no longer match its address is refused rather than served.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { YzError } from '@yinzhang/gm';
import type { Ctx } from '../context.js';
import type { Q } from '../db/schema.js';
import { sha256Hex } from './materials.js';

function blobPath(ctx: Ctx, sha: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new YzError('INVALID_ARGUMENT', 'bad blob address');
  return join(ctx.config.dataDir, 'blobs', sha.slice(0, 2), sha);
}

/**
 * Stores `data` and returns its SHA-256. A file written inside a transaction that later rolls back stays behind as an
 * unreferenced blob: harmless, since nothing points at it and its content is its name.
 */
export async function putBlob(ctx: Ctx, q: Q, data: Uint8Array): Promise<string> {
  const sha = sha256Hex(data);
  if (ctx.dialect === 'postgres') {
    const exists = await q.selectFrom('blobs').select('sha256').where('sha256', '=', sha).executeTakeFirst();
    if (!exists) await q.insertInto('blobs').values({ sha256: sha, data, size: data.length }).execute();
    return sha;
  }
  const path = blobPath(ctx, sha);
  if (!existsSync(path)) {
    mkdirSync(join(path, '..'), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, path);
  }
  return sha;
}

export async function getBlob(ctx: Ctx, q: Q, sha: string): Promise<Uint8Array | undefined> {
  if (ctx.dialect === 'postgres') {
    const r = await q.selectFrom('blobs').select('data').where('sha256', '=', sha).executeTakeFirst();
    return r ? new Uint8Array(r.data) : undefined;
  }
  const path = blobPath(ctx, sha);
  if (!existsSync(path)) return undefined;
  const data = new Uint8Array(readFileSync(path));
  if (sha256Hex(data) !== sha) throw new YzError('STORAGE_FAILED', `blob ${sha.slice(0, 12)}… does not match its address (altered on disk)`);
  return data;
}
