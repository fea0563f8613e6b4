import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, dropSchema, seedWorld, startPlatform, PG_URL, type World } from './helpers.js';
import { verifyAudit, type AuditExport } from '../src/index.js';
import { frontierAppend, type FrontierNode } from '../src/audit/merkle.js';
import { serialiseFrontier } from '../src/audit/log.js';

// An independent RFC 9162 verifier (§2.1.3.2 and §2.1.4.2) over Node's OpenSSL SM3, sharing no code with the platform.
const sm3 = (...parts: Buffer[]): Buffer => createHash('sm3').update(Buffer.concat(parts)).digest();
const node = (l: Buffer, r: Buffer): Buffer => sm3(Buffer.from([1]), l, r);

function verifyInclusion(index: number, size: number, leaf: Buffer, path: Buffer[], root: Buffer): boolean {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = node(p, r);
      if ((fn & 1) === 0) while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
    } else {
      r = node(r, p);
    }
    fn >>= 1; sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

function verifyConsistency(first: number, second: number, proof: Buffer[], firstRoot: Buffer, secondRoot: Buffer): boolean {
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  let path = proof;
  if ((first & (first - 1)) === 0) path = [firstRoot, ...proof];
  let fn = first - 1, sn = second - 1;
  while ((fn & 1) === 1) { fn >>= 1; sn >>= 1; }
  let fr = path[0]!, sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      fr = node(c, fr); sr = node(c, sr);
      if ((fn & 1) === 0) while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1; sn >>= 1;
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(import.meta.dirname, '../../cli/bin/yinzhang.js'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', ...env } });

for (const backend of BACKENDS) {
  describe(`audit log on ${backend.name}`, { skip: backend.skip }, () => {
    let w: World;
    before(async () => {
      w = await seedWorld(await startPlatform({ pg: backend.pg }));
      assert.equal((await w.auditor.post('/api/v1/audit/tree-heads')).status, 201);
    });
    after(async () => {
      await w.h.close();
      if (w.h.schema) await dropSchema(w.h.schema);
    });

    test('only the auditor reads the log; admin cannot (separation of duties)', async () => {
      assert.equal((await w.admin.get('/api/v1/audit/events')).status, 403);
      assert.equal((await w.aAdmin.get('/api/v1/audit/export')).status, 403);
      assert.equal((await w.anon.get('/api/v1/audit/events')).status, 401);
      const ev = await w.auditor.get('/api/v1/audit/events?limit=5');
      assert.equal(ev.json.items[0].seq, 1);
      assert.equal(ev.json.items[0].action, 'user.create');
    });

    test('leaf hashes are SM3(0x00 ‖ entry); inclusion and consistency proofs verify with an independent verifier', async () => {
      const exp = (await w.auditor.get('/api/v1/audit/export')).json as AuditExport;
      const e = exp.events[2]!;
      const entry = Buffer.from(JSON.stringify([e.seq, e.at, e.actor, e.action, e.object_type, e.object_id, e.data]));
      assert.equal(sm3(Buffer.from([0]), entry).toString('hex'), e.leaf_hash);
      const n = exp.events.length;
      for (const [seq, size] of [[1, n], [n, n], [3, 7], [8, 8], [5, n - 1]] as const) {
        const p = (await w.auditor.get(`/api/v1/audit/proofs/inclusion?seq=${seq}&size=${size}`)).json;
        assert.ok(verifyInclusion(p.leafIndex, p.treeSize, hex(p.leafHash), p.path.map(hex), hex(p.root)), `inclusion ${seq}/${size}`);
        assert.equal(verifyInclusion(p.leafIndex, p.treeSize, hex(exp.events[(seq % n)]!.leaf_hash), p.path.map(hex), hex(p.root)), seq === 1 && n === 1, 'wrong leaf fails');
      }
      const head = (await w.auditor.get('/api/v1/audit/tree-heads')).json.items[0];
      const full = (await w.auditor.get(`/api/v1/audit/proofs/inclusion?seq=1&size=${head.size}`)).json;
      assert.equal(full.root, head.root, 'proof root = signed tree head root');
      for (const [a, b] of [[1, n], [4, 8], [6, n], [n - 1, n], [7, 7]] as const) {
        const c = (await w.auditor.get(`/api/v1/audit/proofs/consistency?first=${a}&second=${b}`)).json;
        assert.ok(verifyConsistency(a, b, c.proof.map(hex), hex(c.firstRoot), hex(c.secondRoot)), `consistency ${a}→${b}`);
        if (a !== b) assert.equal(verifyConsistency(a, b, c.proof.map(hex), hex(c.secondRoot), hex(c.secondRoot)), false);
      }
      assert.equal((await w.auditor.get(`/api/v1/audit/proofs/inclusion?seq=${n + 5}&size=${n + 5}`)).status, 400);
    });

    test('editing, deleting or truncating audit rows is detected and the first divergence named (API export and CLI)', async () => {
      const exp = (await w.auditor.get('/api/v1/audit/export')).json as AuditExport;
      assert.equal((await verifyAudit(exp)).ok, true);
      const clone = (): AuditExport => JSON.parse(JSON.stringify(exp)) as AuditExport;

      const edited = clone();
      edited.events[4]!.data = edited.events[4]!.data.replace('}', ',"x":1}');
      let v = await verifyAudit(edited);
      assert.equal(v.ok, false);
      assert.equal(v.divergence?.seq, 5);
      assert.match(v.divergence!.reason, /altered/);

      // Edited together with its leaf hash and the stored state: the signed tree head still catches it.
      const forged = clone();
      const f = forged.events[2]!;
      f.actor = 'user:someone-else';
      f.leaf_hash = sm3(Buffer.from([0]), Buffer.from(JSON.stringify([f.seq, f.at, f.actor, f.action, f.object_type, f.object_id, f.data]))).toString('hex');
      forged.state = null;
      v = await verifyAudit(forged);
      assert.equal(v.ok, false);
      assert.match(v.divergence!.reason, /rewritten|tree head/);

      const deleted = clone();
      deleted.events.splice(6, 1);
      v = await verifyAudit(deleted);
      assert.equal(v.divergence?.seq, 7);
      assert.match(v.divergence!.reason, /missing/);

      const truncated = clone();
      truncated.events.splice(-3);
      v = await verifyAudit(truncated);
      assert.equal(v.ok, false);
      assert.match(v.divergence!.reason, /truncated|deleted/);

      const badSig = clone();
      badSig.treeHeads[0]!.signature = Buffer.from('garbage').toString('base64');
      assert.equal((await verifyAudit(badSig)).ok, false);

      const file = join(w.h.dir, 'export.json');
      writeFileSync(file, JSON.stringify(exp));
      const ok = cli(['audit', 'verify', '--export', file]);
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /intact/);
      writeFileSync(file, JSON.stringify(edited));
      const bad = cli(['audit', 'verify', '--export', file, '--json']);
      assert.equal(bad.status, 1);
      assert.equal(JSON.parse(bad.stdout).divergence.seq, 5);
      writeFileSync(file, 'not json');
      assert.equal(cli(['audit', 'verify', '--export', file]).status, 2);
    });

    test('cutting off the newest events together with their tree heads and the state row is caught by a head kept outside (--head)', async () => {
      const db = w.h.platform.ctx.db;
      const args = backend.pg ? ['audit', 'verify', '--schema', w.h.schema!] : ['audit', 'verify', '--data', w.h.dir];
      const env = backend.pg ? { DATABASE_URL: PG_URL } : { DATABASE_URL: '' };
      const saved = (await w.auditor.post('/api/v1/audit/tree-heads')).json as { size: number };
      const headFile = join(w.h.dir, 'saved-head.json');
      writeFileSync(headFile, JSON.stringify(saved));
      assert.equal(cli([...args, '--head', headFile], env).status, 0);

      // The cover-up someone with write access to the database can do: rows, heads and state all made consistent.
      const keep = saved.size - 3;
      const cutEvents = await db.selectFrom('audit_events').selectAll().where('seq', '>', keep).execute();
      const cutHeads = await db.selectFrom('audit_tree_heads').selectAll().where('size', '>', keep).execute();
      const state = await db.selectFrom('audit_state').selectAll().executeTakeFirstOrThrow();
      await db.deleteFrom('audit_events').where('seq', '>', keep).execute();
      await db.deleteFrom('audit_tree_heads').where('size', '>', keep).execute();
      const leaves = await db.selectFrom('audit_events').select('leaf_hash').orderBy('seq').execute();
      const frontier = leaves.reduce((f, r) => frontierAppend(f, Buffer.from(r.leaf_hash, 'hex')), [] as FrontierNode[]);
      await db.updateTable('audit_state').set({ size: keep, frontier: serialiseFrontier(frontier) }).where('id', '=', 1).execute();
      try {
        assert.equal(cli(args, env).status, 0, 'from inside the database alone the cut is invisible');
        const r = cli([...args, '--head', headFile], env);
        assert.equal(r.status, 1, r.stdout);
        assert.match(r.stdout, new RegExp(`first at event ${keep + 1}.*truncated`));
        // A head whose signature was tampered with is no anchor.
        writeFileSync(headFile, JSON.stringify({ ...saved, root: '00'.repeat(32) }));
        assert.equal(cli([...args, '--head', headFile], env).status, 1);
        writeFileSync(headFile, '{"size":"x"}');
        assert.equal(cli([...args, '--head', headFile], env).status, 2);
      } finally {
        await db.insertInto('audit_events').values(cutEvents).execute();
        if (cutHeads.length) await db.insertInto('audit_tree_heads').values(cutHeads).execute();
        await db.updateTable('audit_state').set({ size: state.size, frontier: state.frontier }).where('id', '=', 1).execute();
      }
      writeFileSync(headFile, JSON.stringify(saved));
      assert.equal(cli([...args, '--head', headFile], env).status, 0);
    });

    test('tampering with the live database is detected by `yinzhang audit verify` on the database itself', async () => {
      const db = w.h.platform.ctx.db;
      const args = backend.pg ? ['audit', 'verify', '--schema', w.h.schema!] : ['audit', 'verify', '--data', w.h.dir];
      const env = backend.pg ? { DATABASE_URL: PG_URL } : { DATABASE_URL: '' };
      assert.equal(cli(args, env).status, 0);
      const row = await db.selectFrom('audit_events').selectAll().where('seq', '=', 9).executeTakeFirstOrThrow();
      await db.updateTable('audit_events').set({ action: 'nothing.happened' }).where('seq', '=', 9).execute();
      let r = cli(args, env);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /first at event 9/);
      await db.updateTable('audit_events').set({ action: row.action }).where('seq', '=', 9).execute();
      const row3 = await db.selectFrom('audit_events').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
      await db.deleteFrom('audit_events').where('seq', '=', 3).execute();
      r = cli(args, env);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /first at event 3/);
      await db.insertInto('audit_events').values(row3).execute();
      assert.equal(cli(args, env).status, 0);
      const size = Number((await db.selectFrom('audit_state').select('size').executeTakeFirstOrThrow()).size);
      await db.deleteFrom('audit_events').where('seq', '>', size - 2).execute();
      r = cli(args, env);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /truncated|deleted/);
    });
  });
}
