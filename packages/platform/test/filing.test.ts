import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS, dropSchema, seedWorld, startPlatform, upload, type World } from './helpers.js';
import { runJobs, type FilingAdapter } from '../src/index.js';
import { FILING_MAX_ATTEMPTS } from '../src/jobs.js';

for (const backend of BACKENDS) {
  describe(`filing outbox retries on ${backend.name}`, { skip: backend.skip }, () => {
    let w: World;
    let sealId: string;
    before(async () => {
      w = await seedWorld(await startPlatform({ pg: backend.pg }));
      const a = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'legal_name', name: '遂平甲公司' }] });
      await upload(w.aAdmin, a.json.id);
      await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/forward`);
      sealId = (await w.reviewerCity.post(`/api/v1/applications/${a.json.id}/approve`)).json.sealIds[0];
    });
    after(async () => {
      await w.h.close();
      if (w.h.schema) await dropSchema(w.h.schema);
    });

    test('a failing target is retried with exponential back-off, succeeds later, and gives up after the limit', async () => {
      const ctx = w.h.platform.ctx;
      let calls = 0;
      let up = false;
      const delivered: string[] = [];
      const flaky: FilingAdapter = { name: 'flaky', async deliver(row) { calls++; if (!up) throw new Error('target unreachable'); delivered.push(row.id); } };
      const r1 = await runJobs(ctx, flaky);
      assert.equal(r1.filingFailed, 1);
      let row = await ctx.db.selectFrom('filing_outbox').selectAll().where('seal_id', '=', sealId).executeTakeFirstOrThrow();
      assert.equal(row.attempts, 1);
      assert.equal(row.status, 'pending');
      assert.equal(row.last_error, 'target unreachable');
      assert.equal(Date.parse(row.next_attempt_at) - w.h.clock.t, 30_000);
      await runJobs(ctx, flaky);
      assert.equal(calls, 1, 'not retried before its time');
      w.h.clock.t += 31_000;
      await runJobs(ctx, flaky);
      row = await ctx.db.selectFrom('filing_outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(row.attempts, 2);
      assert.equal(Date.parse(row.next_attempt_at) - w.h.clock.t, 60_000, 'back-off doubles');
      up = true;
      w.h.clock.t += 61_000;
      await runJobs(ctx, flaky);
      row = await ctx.db.selectFrom('filing_outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'done');
      assert.deepEqual(delivered, [row.id]);
      assert.equal((await w.aAdmin.get(`/api/v1/seals/${sealId}`)).json.filingStatus, 'filed');

      // A change enqueues a new row; a target that never comes back ends as failed, visible on the seal.
      await w.aAdmin.post(`/api/v1/seals/${sealId}/confirm`);
      const down: FilingAdapter = { name: 'down', async deliver() { throw new Error('gone'); } };
      for (let i = 0; i < FILING_MAX_ATTEMPTS; i++) {
        await runJobs(ctx, down);
        w.h.clock.t += 86_400_000;
      }
      const last = await ctx.db.selectFrom('filing_outbox').selectAll().where('seal_id', '=', sealId).where('event', '=', 'changed').executeTakeFirstOrThrow();
      assert.equal(last.status, 'failed');
      assert.equal(last.attempts, FILING_MAX_ATTEMPTS);
      assert.equal((await ctx.db.selectFrom('seals').select('filing_status').where('id', '=', sealId).executeTakeFirstOrThrow()).filing_status, 'failed');
    });
  });
}
