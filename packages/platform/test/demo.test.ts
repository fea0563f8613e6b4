import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform, runDemo, verifyAudit, exportAudit } from '../src/index.js';

test('demo fills a fresh instance: region tree, organisations, users of every role, seals in every state; the audit log verifies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yz-demo-'));
  const p = await createPlatform({ dataDir: dir, env: { YINZHANG_ADMIN_PASSWORD: 'demo-admin-password' } });
  try {
    const r = await runDemo(p, 'demo-admin-password');
    assert.equal(r.productionSkipped, undefined);
    assert.equal(r.organisations, 3);
    const roles = new Set(r.users.flatMap((u) => u.roles.split(',')));
    for (const role of ['security_officer', 'auditor', 'reviewer', 'org_admin', 'custodian', 'approver', 'member']) assert.ok(roles.has(role), role);
    for (const status of ['active', 'suspended', 'revoked', 'pending_confirmation', 'expired']) assert.ok((r.seals[status] ?? 0) >= 1, `a ${status} seal: ${JSON.stringify(r.seals)}`);
    const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'org1-member', password: r.password } });
    assert.equal(login.statusCode, 200);
    const v = await verifyAudit(await exportAudit(p.ctx.db));
    assert.equal(v.ok, true, JSON.stringify(v.divergence));
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
