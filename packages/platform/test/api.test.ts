import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, PDF, auditSize, dropSchema, idNumber, login, seedWorld, startPlatform, upload, uscc, Client, type World } from './helpers.js';

const wrongCheck = (v: string): string => v.slice(0, 17) + (v[17] === '0' ? '1' : '0');

for (const backend of BACKENDS) {
  describe(`platform API on ${backend.name}`, { skip: backend.skip }, () => {
    let w: World;
    before(async () => {
      w = await seedWorld(await startPlatform({ pg: backend.pg }));
    });
    after(async () => {
      await w.h.close();
      if (w.h.schema) await dropSchema(w.h.schema);
    });

    test('OpenAPI 3.1 document and Swagger UI are served', async () => {
      const r = await w.anon.get('/api/openapi.json');
      assert.equal(r.status, 200);
      assert.equal(r.json.openapi, '3.1.0');
      assert.ok(r.json.paths['/api/v1/applications/{id}/approve']);
      assert.ok(r.json.paths['/api/v1/public/seals/{ref}']);
      // Every API operation documents its errors as RFC 9457 problems, resolvable to the shared schema.
      type Op = { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
      const ops = Object.entries(r.json.paths as Record<string, Record<string, Op>>)
        .filter(([path]) => path.startsWith('/api/v1/')).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => [`${m} ${path}`, op] as const));
      assert.ok(ops.length > 40, `only ${ops.length} operations`);
      const schemas = r.json.components.schemas as Record<string, { title?: string; required?: string[] }>;
      for (const [name, op] of ops) {
        for (const range of ['4XX', '5XX']) {
          const ref = op.responses?.[range]?.content?.['application/problem+json']?.schema?.$ref;
          assert.ok(ref, `${name}: no ${range} problem response`);
          const target = schemas[ref.replace('#/components/schemas/', '')];
          assert.equal(target?.title, 'Problem (RFC 9457)', `${name}: ${ref}`);
          assert.deepEqual(target.required, ['type', 'title', 'status', 'code']);
        }
      }
      // The public status answer is documented field by field, and nothing else may appear in it.
      const pub = r.json.paths['/api/v1/public/seals/{ref}'].get.responses['200'].content['application/json'].schema;
      assert.equal(pub.additionalProperties, false);
      assert.ok(pub.properties.sealCode && pub.properties.history && !pub.properties.holderPersonId);
      const ui = await w.h.platform.app.inject({ method: 'GET', url: '/api/docs/' });
      assert.equal(ui.statusCode, 200);
      assert.match(ui.body, /swagger/i);
    });

    test('login sets an HttpOnly SameSite cookie; wrong password is a 401 problem; CSRF token is required for changes', async () => {
      const bad = await w.anon.post('/api/v1/auth/login', { login: 'admin', password: 'nope' });
      assert.equal(bad.status, 401);
      assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(bad.json.code, 'LOGIN_FAILED');
      const good = await w.h.platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'a-admin', password: 'correct-horse-battery-staple' } });
      const cookie = String(good.headers['set-cookie']);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.match(cookie, /Secure/);
      const noCsrf = new Client(w.h, { ...w.aAdmin.session!, csrf: 'wrong' });
      const r = await noCsrf.req('POST', '/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'legal_name', name: 'x' }] }, { headers: { 'x-csrf-token': 'wrong' } });
      assert.equal(r.status, 403);
      assert.equal(r.json.code, 'CSRF_FAILED');
      // Reading needs no CSRF token; authenticated responses are not cached.
      const me = await noCsrf.get('/api/v1/auth/me');
      assert.equal(me.status, 200);
      assert.equal(me.headers['cache-control'], 'no-store');
      assert.equal(me.headers['x-content-type-options'], 'nosniff');
    });

    test('API keys: shown once, stored hashed, Bearer works, revocation bites, org keys cannot carry platform roles', async () => {
      const k = await w.aAdmin.post('/api/v1/api-keys', { name: 'erp', orgId: w.orgA.id, roles: ['member'] });
      assert.equal(k.status, 201);
      const token = k.json.token as string;
      const row = await w.h.platform.ctx.db.selectFrom('api_keys').selectAll().where('id', '=', k.json.id).executeTakeFirstOrThrow();
      const secret = token.slice('yzk_'.length + 36 + 1); // base64url secrets may contain '_' themselves
      assert.ok(secret.length >= 40);
      assert.ok(!JSON.stringify(row).includes(secret), 'secret not stored in clear');
      const bearer = new Client(w.h, undefined, token);
      const me = await bearer.get('/api/v1/auth/me');
      assert.equal(me.status, 200);
      assert.deepEqual(me.json.roles, [{ role: 'member', orgId: w.orgA.id }]);
      assert.equal((await bearer.get(`/api/v1/organisations/${w.orgB.id}`)).status, 404);
      assert.equal((await w.aAdmin.post('/api/v1/api-keys', { name: 'x', orgId: w.orgA.id, roles: ['admin'] })).status, 403);
      assert.equal((await w.aAdmin.post(`/api/v1/api-keys/${k.json.id}/revoke`)).status, 200);
      assert.equal((await bearer.get('/api/v1/auth/me')).status, 401);
      assert.equal((await new Client(w.h, undefined, 'garbage').get('/api/v1/auth/me')).status, 401);
    });

    test('USCC and ID numbers are checked; persons are stored encrypted and shown masked', async () => {
      const before = await auditSize(w.h);
      const good = uscc('91411728MA45N0009');
      const badUscc = await w.admin.post('/api/v1/organisations', { uscc: good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), name: 'x', type: 'enterprise', regionCode: '411728' });
      assert.equal(badUscc.status, 400);
      assert.equal(badUscc.json.code, 'USCC_INVALID');
      const badId = await w.aAdmin.post(`/api/v1/organisations/${w.orgA.id}/persons`, { name: '李四', idNumber: wrongCheck(idNumber('41172819800101123')) });
      assert.equal(badId.status, 400);
      assert.equal(badId.json.code, 'ID_NUMBER_INVALID');
      const badDate = await w.aAdmin.post(`/api/v1/organisations/${w.orgA.id}/persons`, { name: '李四', idNumber: idNumber('41172819801301123') });
      assert.equal(badDate.json.code, 'ID_NUMBER_INVALID', 'month 13 rejected even with a right check digit');
      assert.equal(await auditSize(w.h), before, 'nothing written for rejected input');
      const id = idNumber('41172819900505456');
      const p = await w.aAdmin.post(`/api/v1/organisations/${w.orgA.id}/persons`, { name: '李四', idNumber: id, phone: '13912345678' });
      assert.equal(p.status, 201);
      assert.equal(p.json.idNumberMasked, `411728${'*'.repeat(8)}${id.slice(-4)}`);
      assert.ok(!JSON.stringify(p.json).includes(id));
      const row = await w.h.platform.ctx.db.selectFrom('persons').selectAll().where('id', '=', p.json.id).executeTakeFirstOrThrow();
      assert.ok(!Buffer.from(row.id_enc).toString('latin1').includes(id), 'ID number not in clear in the database');
      const events = await w.h.platform.ctx.db.selectFrom('audit_events').select('data').execute();
      assert.ok(events.every((e) => !e.data.includes(id)), 'ID number not in the audit log');
      const dup = await w.aAdmin.post(`/api/v1/organisations/${w.orgA.id}/persons`, { name: '李四', idNumber: id });
      assert.equal(dup.status, 409);
      const list = await w.reviewerCounty.get(`/api/v1/organisations/${w.orgA.id}/persons`);
      assert.equal(list.status, 200);
      assert.ok(!list.body.includes(id));
    });

    test('bad input: unknown enum, extra field, 1 MB JSON, malformed JSON → 400 problems and nothing written', async () => {
      const before = await auditSize(w.h);
      const e1 = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'teleport', seals: [{ kind: 'legal_name', name: 'x' }] });
      assert.equal(e1.status, 400);
      assert.equal(e1.json.code, 'VALIDATION_FAILED');
      assert.match(e1.json.detail, /kind/);
      const e2 = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'imperial_seal', name: 'x' }] });
      assert.equal(e2.status, 400);
      const e3 = await w.admin.post('/api/v1/regions', { code: '419900', name: 'x', parentCode: '410000', extra: 1 });
      assert.equal(e3.status, 400);
      const big = await w.admin.req('POST', '/api/v1/regions', undefined, { payload: JSON.stringify({ code: '419900', name: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } });
      assert.equal(big.status, 400);
      assert.equal(big.json.code, 'LIMIT_EXCEEDED');
      const bad = await w.admin.req('POST', '/api/v1/regions', undefined, { payload: '{"code": ', headers: { 'content-type': 'application/json' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
      const notUuid = await w.admin.get('/api/v1/organisations/not-a-uuid');
      assert.equal(notUuid.status, 400);
      assert.equal(await auditSize(w.h), before);
      assert.equal((await w.admin.get('/api/v1/regions')).json.items.some((r: { code: string }) => r.code === '419900'), false);
    });

    test('applications: materials size/type checked; rejection needs a reason; county forwards, city approves (遂平 第七条)', async () => {
      const a = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'legal_name', name: '遂平甲公司' }] });
      assert.equal(a.status, 201);
      assert.equal(a.json.status, 'submitted');
      assert.equal(a.json.regionCode, '411728');
      const before = await auditSize(w.h);
      const tooBig = await upload(w.aAdmin, a.json.id, 'big.pdf', 'application/pdf', Buffer.concat([PDF, Buffer.alloc(70 * 1024)]));
      assert.equal(tooBig.status, 400);
      assert.equal(tooBig.json.code, 'LIMIT_EXCEEDED');
      const exe = await upload(w.aAdmin, a.json.id, 'x.exe', 'application/x-msdownload', Buffer.from('MZ\x90\x00'));
      assert.equal(exe.json.code, 'UPLOAD_TYPE_REJECTED');
      const liar = await upload(w.aAdmin, a.json.id, 'fake.pdf', 'application/pdf', Buffer.from('MZ not a pdf'));
      assert.equal(liar.json.code, 'UPLOAD_TYPE_REJECTED');
      assert.equal(await auditSize(w.h), before);
      const got = await w.h.platform.ctx.db.selectFrom('materials').selectAll().where('application_id', '=', a.json.id).execute();
      assert.equal(got.length, 0, 'no half-written material');
      const okUp = await upload(w.aAdmin, a.json.id);
      assert.equal(okUp.status, 201);
      const dl = await w.reviewerCounty.get(`/api/v1/applications/${a.json.id}/materials/${okUp.json.id}`);
      assert.equal(dl.status, 200);
      assert.equal(dl.body, PDF.toString());
      if (w.h.platform.ctx.dialect === 'sqlite') {
        // embedded default: blobs are files in a content-addressed store under the data directory (design.md)
        const sha: string = okUp.json.sha256;
        const path = join(w.h.platform.ctx.config.dataDir, 'blobs', sha.slice(0, 2), sha);
        assert.deepEqual(readFileSync(path), PDF);
        writeFileSync(path, Buffer.concat([PDF, Buffer.from('altered')]));
        const altered = await w.reviewerCounty.get(`/api/v1/applications/${a.json.id}/materials/${okUp.json.id}`);
        assert.equal(altered.status, 500);
        assert.equal(altered.json.code, 'STORAGE_FAILED');
        writeFileSync(path, PDF);
      }

      assert.equal((await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/reject`, {})).status, 400);
      const blank = await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/reject`, { reason: '   ' });
      assert.equal(blank.json.code, 'REJECTION_REASON_REQUIRED');
      const countyApprove = await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/approve`);
      assert.equal(countyApprove.status, 409);
      assert.match(countyApprove.json.detail, /forward/);
      assert.equal((await w.reviewerOther.post(`/api/v1/applications/${a.json.id}/forward`)).status, 404);
      const fw = await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/forward`);
      assert.equal(fw.status, 200);
      assert.equal(fw.json.status, 'forwarded');
      assert.equal(fw.json.regionCode, '411700');
      assert.equal(fw.json.forwardedFrom, '411728');
      // After forwarding, the county has no say any more.
      assert.equal((await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/reject`, { reason: '材料不全' })).status, 403);
      const rej = await w.reviewerCity.post(`/api/v1/applications/${a.json.id}/reject`, { reason: '营业执照已过期，请更新后再申请' });
      assert.equal(rej.status, 200);
      assert.equal(rej.json.status, 'rejected');
      const seen = await w.aAdmin.get(`/api/v1/applications/${a.json.id}`);
      assert.equal(seen.json.rejectionReason, '营业执照已过期，请更新后再申请');
      const notes = await w.aAdmin.get('/api/v1/notifications');
      assert.ok(notes.json.items.some((n: { text: string }) => n.text.includes('营业执照已过期')), 'applicant is told the reason');
      assert.equal((await upload(w.aAdmin, a.json.id)).status, 409, 'closed application takes no materials');
    });

    test('roles: separation of duties, org_admin grants only org roles, reviewers need a region', async () => {
      const r1 = await w.admin.post('/api/v1/users', { login: 'dual', password: 'x'.repeat(12), displayName: 'd', roles: [{ role: 'admin' }, { role: 'auditor' }] });
      assert.equal(r1.status, 400);
      const r2 = await w.aAdmin.post('/api/v1/users', { login: 'sneaky', password: 'x'.repeat(12), displayName: 'd', orgId: w.orgA.id, roles: [{ role: 'admin' }] });
      assert.equal(r2.status, 403);
      const r3 = await w.aAdmin.post('/api/v1/users', { login: 'a-member2', password: 'x'.repeat(12), displayName: 'd', orgId: w.orgA.id, roles: [{ role: 'member' }] });
      assert.equal(r3.status, 201);
      const r4 = await w.bAdmin.post('/api/v1/users', { login: 'cross', password: 'x'.repeat(12), displayName: 'd', orgId: w.orgA.id, roles: [{ role: 'member' }] });
      assert.equal(r4.status, 403);
      const r5 = await w.admin.post('/api/v1/users', { login: 'rev', password: 'x'.repeat(12), displayName: 'd', roles: [{ role: 'reviewer' }] });
      assert.equal(r5.status, 400);
      // Changing roles: org_admin within its organisation and organisation roles only; nobody changes their own.
      const uid = r3.json.id;
      assert.equal((await w.aAdmin.req('PUT', `/api/v1/users/${uid}/roles`, { roles: [{ role: 'custodian' }] })).status, 200);
      assert.equal((await w.aAdmin.req('PUT', `/api/v1/users/${uid}/roles`, { roles: [{ role: 'security_officer' }] })).status, 403);
      assert.equal((await w.bAdmin.req('PUT', `/api/v1/users/${uid}/roles`, { roles: [{ role: 'member' }] })).status, 404);
      const me = (await w.admin.get('/api/v1/auth/me')).json.id;
      assert.equal((await w.admin.req('PUT', `/api/v1/users/${me}/roles`, { roles: [{ role: 'auditor' }] })).status, 403);
      const c = await login(w.h, 'a-member2', 'x'.repeat(12));
      assert.deepEqual((await c.get('/api/v1/auth/me')).json.roles.map((r: { role: string }) => r.role), ['custodian']);
    });

    test('cursor pagination walks every organisation once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r = await w.admin.get(`/api/v1/organisations?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200);
        assert.ok(r.json.items.length <= 1);
        seen.push(...r.json.items.map((o: { id: string }) => o.id));
        cursor = r.json.nextCursor;
      } while (cursor);
      const all = (await w.admin.get('/api/v1/organisations?limit=100')).json.items.map((o: { id: string }) => o.id);
      assert.deepEqual(seen, all);
      assert.ok(all.length >= 2);
      assert.equal((await w.admin.get('/api/v1/organisations?limit=1000')).status, 400);
    });

    test('five wrong passwords lock the account for 15 minutes (audited); the right password then fails too', async () => {
      const bad = () => w.anon.post('/api/v1/auth/login', { login: 'b-member', password: 'wrong-password' });
      for (let i = 0; i < 5; i++) assert.equal((await bad()).status, 401);
      const locked = await w.anon.post('/api/v1/auth/login', { login: 'b-member', password: 'correct-horse-battery-staple' });
      assert.equal(locked.status, 401);
      assert.match(locked.json.detail, /too many/);
      const ev = (await w.auditor.get('/api/v1/audit/events?limit=1000')).json.items.filter((e: { action: string }) => e.action === 'auth.locked');
      assert.equal(ev.length, 1);
      w.h.clock.t += 16 * 60_000;
      assert.equal((await w.anon.post('/api/v1/auth/login', { login: 'b-member', password: 'correct-horse-battery-staple' })).status, 200);
      w.h.clock.t -= 16 * 60_000;
    });
  });
}
