/**
 * Two platform instances on one PostgreSQL schema (design.md "Storage and scale"): bootstrap races, scheduled jobs
 * that act once, and concurrent re-issue of one seal yielding exactly one new seal. Needs DATABASE_URL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_URL, TestClock, dropSchema, login, seedWorld, startPlatform, upload, ADMIN_PASSWORD, type Harness, type World } from './helpers.js';
import { runJobs, directoryAdapter } from '../src/index.js';

describe('two instances on one PostgreSQL', { skip: PG_URL ? false : 'DATABASE_URL not set' }, () => {
  let one: Harness;
  let two: Harness;
  let w: World;
  const clock = new TestClock();
  const schema = `t_multi_${Date.now().toString(36)}`;
  before(async () => {
    // Both start at once on an empty schema: migrations, CA, seal maker, TSA and admin must come out exactly once.
    [one, two] = await Promise.all([
      startPlatform({ pg: true, schema, clock, instanceId: 'one' }),
      startPlatform({ pg: true, schema, clock, instanceId: 'two' }),
    ]);
    w = await seedWorld(one);
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await dropSchema(schema);
  });

  test('bootstrap ran once', async () => {
    const db = one.platform.ctx.db;
    const admins = await db.selectFrom('users').select('id').where('login', '=', 'admin').execute();
    assert.equal(admins.length, 1);
    const cas = await db.selectFrom('keys').select('id').where('purpose', '=', 'ca').execute();
    const caKey = await db.selectFrom('settings').select('value').where('name', '=', 'ca_key_id').executeTakeFirstOrThrow();
    assert.ok(cas.some((k) => k.id === caKey.value));
    assert.equal((await db.selectFrom('ca_issued').select('serial_hex').where('profile', '=', 'seal-maker').execute()).length, 1);
    // The second instance serves the same data.
    assert.equal((await login(two, 'admin', ADMIN_PASSWORD).then((c) => c.get('/api/v1/regions'))).json.items.length, 4);
  });

  test('concurrent re-issue of one seal through both instances yields exactly one new seal', async () => {
    const a = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'legal_name', name: '遂平甲公司' }, { kind: 'contract', name: '遂平甲公司合同专用章' }] });
    await upload(w.aAdmin, a.json.id);
    await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/forward`);
    const ids = (await w.reviewerCity.post(`/api/v1/applications/${a.json.id}/approve`)).json.sealIds as string[];
    for (const id of ids) await w.aAdmin.post(`/api/v1/seals/${id}/confirm`);
    const apps: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'reissue', targetSealId: ids[0] });
      assert.equal(r.status, 201);
      await upload(w.aAdmin, r.json.id);
      await w.reviewerCounty.post(`/api/v1/applications/${r.json.id}/forward`);
      apps.push(r.json.id);
    }
    const cityOnTwo = await login(two, 'rev-city', 'correct-horse-battery-staple');
    const results = await Promise.all([
      w.reviewerCity.post(`/api/v1/applications/${apps[0]}/approve`),
      cityOnTwo.post(`/api/v1/applications/${apps[1]}/approve`),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], results.map((r) => r.body).join('\n'));
    const successors = await one.platform.ctx.db.selectFrom('seals').select(['id']).where('supersedes', '=', ids[0]!).execute();
    assert.equal(successors.length, 1);
    const failed = results.find((r) => r.status === 409)!;
    assert.equal(failed.json.code, 'INVALID_STATE');
    const loser = await w.aAdmin.get(`/api/v1/applications/${apps[results[0]!.status === 409 ? 0 : 1]}`);
    assert.equal(loser.json.status, 'forwarded', 'the losing approval left nothing half-written');
    await w.aAdmin.post(`/api/v1/seals/${successors[0]!.id}/confirm`);
  });

  test('scheduled jobs run on both instances at once act once', async () => {
    clock.advanceDays(366);
    const filing = mkdtempSync(join(tmpdir(), 'yz-filing-'));
    const [r1, r2] = await Promise.all([runJobs(one.platform.ctx, directoryAdapter(filing)), runJobs(two.platform.ctx, directoryAdapter(filing))]);
    const db = one.platform.ctx.db;
    const active = await db.selectFrom('seal_events').select(['seal_id']).where('event', '=', 'dormant').execute();
    assert.equal(r1.suspended + r2.suspended, active.length);
    assert.equal(new Set(active.map((e) => e.seal_id)).size, active.length, 'each seal suspended once');
    assert.ok(active.length >= 2);
    const rows = await db.selectFrom('filing_outbox').selectAll().execute();
    assert.equal(r1.filed + r2.filed, rows.length, 'each filing delivered once');
    assert.ok(rows.every((r) => r.status === 'done' && r.attempts === 1));
    assert.equal(Number(r1.crlIssued) + Number(r2.crlIssued), 1, 'the stale CRL is replaced by one instance');

    // Reminders: reactivate nothing, move to the last 30 days of the remaining active seal set.
    const pending = await db.selectFrom('seals').select(['id']).where('status', '=', 'active').execute();
    assert.equal(pending.length, 0, 'all dormant seals suspended');
    await db.updateTable('seals').set({ status: 'active', last_used_at: new Date(clock.t).toISOString() }).where('status', '=', 'suspended').execute();
    clock.advanceDays(730 - 366 - 10);
    const [q1, q2] = await Promise.all([runJobs(one.platform.ctx, directoryAdapter(filing)), runJobs(two.platform.ctx, directoryAdapter(filing))]);
    const notes = await db.selectFrom('notifications').select(['dedupe_key']).where('kind', '=', 'seal.renewal_reminder').execute();
    assert.equal(q1.reminded + q2.reminded, notes.length);
    assert.equal(new Set(notes.map((n) => n.dedupe_key)).size, notes.length, 'one reminder per seal');
    assert.ok(notes.length >= 2);
    // Both instances signed the head of the same size at most once.
    const heads = await db.selectFrom('audit_tree_heads').select(['size']).execute();
    assert.equal(new Set(heads.map((h) => h.size)).size, heads.length);
  });
});
