/** @yinzhang/platform — the electronic-seal platform: domain, storage, HTTP API, jobs, audit log, keystore, filing. */
export { createPlatform, openContext, type Platform, type PlatformOptions } from './platform.js';
export { verifyAudit, type AuditExport, type AuditVerdict, type TreeHead } from './audit/verify.js';
export { exportAudit, signTreeHead } from './audit/heads.js';
export { leafHash, nodeHash, rootOf, inclusionProof, consistencyProof } from './audit/merkle.js';
export { isValidUscc, isValidIdNumber, usccCheckChar, idCheckChar, maskIdNumber } from './checkdigits.js';
export type { Clock } from './util.js';
export { runJobs, startScheduler, directoryAdapter, type FilingAdapter, type JobReport } from './jobs.js';
export { openDatabase } from './db/connect.js';

export { readAuditFromDatabase } from './audit/source.js';
export { runDemo, DEMO_PASSWORD, type DemoReport } from './demo.js';
