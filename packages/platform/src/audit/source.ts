/** Reads the audit log straight from a database (no migrations, no keys) for `yinzhang audit verify`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { YzError } from '@yinzhang/gm';
import { openDatabase } from '../db/connect.js';
import { exportAudit } from './heads.js';
import type { AuditExport } from './verify.js';

export async function readAuditFromDatabase(o: { dataDir: string; databaseUrl?: string | undefined; schema?: string | undefined }): Promise<AuditExport> {
  if (!o.databaseUrl && !existsSync(join(o.dataDir, 'yinzhang.db'))) {
    throw new YzError('FILE_UNREADABLE', `no platform database in ${o.dataDir}`, { path: o.dataDir });
  }
  const db = await openDatabase(o);
  try {
    return await exportAudit(db.db);
  } finally {
    await db.close();
  }
}
