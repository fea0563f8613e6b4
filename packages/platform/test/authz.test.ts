/**
 * Authorization matrix: every route × every outsider (no login, another organisation's roles, a reviewer of another
 * region, another organisation's API key) against objects of organisation A → 401/403/404, and never A's data.
 * Insiders without the right (a member of A) get 403/404 on every change. The route list is checked against the
 * OpenAPI document, so a new route without a row here fails the test.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS, Client, PDF, dropSchema, multipart, seedWorld, startPlatform, upload, uscc, type World } from './helpers.js';

interface Row { method: string; url: string; body?: unknown; multipart?: boolean; kind: 'deny' | 'scoped' }

for (const backend of BACKENDS) {
  describe(`authorization matrix on ${backend.name}`, { skip: backend.skip }, () => {
    let w: World;
    let rows: Row[];
    let markers: string[];
    let outsiders: [string, Client][];
    before(async () => {
      w = await seedWorld(await startPlatform({ pg: backend.pg }));
      const a = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'legal_name', name: '遂平甲公司' }] });
      const mat = await upload(w.aAdmin, a.json.id);
      await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/forward`);
      const done = await w.reviewerCity.post(`/api/v1/applications/${a.json.id}/approve`);
      assert.equal(done.status, 200, done.body);
      const sealId = done.json.sealIds[0] as string;
      const seal = (await w.aAdmin.get(`/api/v1/seals/${sealId}`)).json;
      const open = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'contract', name: '遂平甲公司合同专用章' }] });
      const key = await w.aAdmin.post('/api/v1/api-keys', { name: 'a-key', orgId: w.orgA.id, roles: ['member'] });
      const bKey = await w.bAdmin.post('/api/v1/api-keys', { name: 'b-key', orgId: w.orgB.id, roles: ['org_admin'] });
      const note = (await w.aAdmin.get('/api/v1/notifications')).json.items[0];
      const aMemberId = (await w.aMember.get('/api/v1/auth/me')).json.id;
      const persons = (await w.aAdmin.get(`/api/v1/organisations/${w.orgA.id}/persons`)).json.items;
      markers = [w.orgA.uscc, '遂平甲公司', seal.sealCode, seal.esId, persons[0].idNumberMasked, '张三', seal.certSerial];
      const A = w.orgA.id, S = sealId, AP = open.json.id;
      rows = [
        { method: 'GET', url: '/api/v1/auth/me', kind: 'scoped' },
        { method: 'POST', url: '/api/v1/regions', body: { code: '411702', name: '驿城区', parentCode: '411700' }, kind: 'deny' },
        { method: 'GET', url: '/api/v1/regions', kind: 'scoped' },
        { method: 'POST', url: '/api/v1/organisations', body: { uscc: uscc('91411728MA45N0003'), name: 'x', type: 'enterprise', regionCode: '411728' }, kind: 'deny' },
        { method: 'GET', url: '/api/v1/organisations', kind: 'scoped' },
        { method: 'GET', url: `/api/v1/organisations/${A}`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/organisations/${A}/deregister`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/organisations/${A}/persons`, body: { name: '赵六', idNumber: '11010519491231002X' }, kind: 'deny' },
        { method: 'GET', url: `/api/v1/organisations/${A}/persons`, kind: 'deny' },
        { method: 'POST', url: '/api/v1/users', body: { login: 'intruder', password: 'x'.repeat(12), displayName: 'x', orgId: A, roles: [{ role: 'org_admin' }] }, kind: 'deny' },
        { method: 'GET', url: '/api/v1/users', kind: 'scoped' },
        { method: 'POST', url: `/api/v1/users/${aMemberId}/disable`, kind: 'deny' },
        { method: 'PUT', url: `/api/v1/users/${aMemberId}/roles`, body: { roles: [{ role: 'org_admin' }] }, kind: 'deny' },
        { method: 'POST', url: '/api/v1/api-keys', body: { name: 'k', orgId: A, roles: ['org_admin'] }, kind: 'deny' },
        { method: 'POST', url: `/api/v1/api-keys/${key.json.id}/revoke`, kind: 'deny' },
        { method: 'POST', url: '/api/v1/applications', body: { orgId: A, kind: 'issue', seals: [{ kind: 'legal_name', name: 'x' }] }, kind: 'deny' },
        { method: 'GET', url: '/api/v1/applications', kind: 'scoped' },
        { method: 'GET', url: `/api/v1/applications?orgId=${A}`, kind: 'scoped' },
        { method: 'GET', url: `/api/v1/applications/${AP}`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/applications/${AP}/materials`, multipart: true, kind: 'deny' },
        { method: 'GET', url: `/api/v1/applications/${a.json.id}/materials/${mat.json.id}`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/applications/${AP}/forward`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/applications/${AP}/approve`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/applications/${AP}/reject`, body: { reason: '无权驳回' }, kind: 'deny' },
        { method: 'POST', url: `/api/v1/applications/${AP}/cancel`, kind: 'deny' },
        { method: 'GET', url: '/api/v1/seals', kind: 'scoped' },
        { method: 'GET', url: `/api/v1/seals?orgId=${A}`, kind: 'scoped' },
        { method: 'GET', url: `/api/v1/seals/${S}`, kind: 'deny' },
        { method: 'GET', url: `/api/v1/seals/${S}/seseal`, kind: 'deny' },
        { method: 'GET', url: `/api/v1/seals/${S}/certificate`, kind: 'deny' },
        { method: 'GET', url: `/api/v1/seals/${S}/image`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/seals/${S}/confirm`, kind: 'deny' },
        { method: 'POST', url: `/api/v1/seals/${S}/suspend`, body: { reason: '恶意停用' }, kind: 'deny' },
        { method: 'PUT', url: `/api/v1/seals/${S}/custodian`, body: { userId: aMemberId }, kind: 'deny' },
        { method: 'POST', url: `/api/v1/seals/${S}/revoke`, body: { reason: 'keyCompromise' }, kind: 'deny' },
        { method: 'GET', url: '/api/v1/notifications', kind: 'scoped' },
        { method: 'POST', url: `/api/v1/notifications/${note.id}/read`, kind: 'deny' },
        { method: 'POST', url: '/api/v1/jobs/run', kind: 'deny' },
        { method: 'GET', url: '/api/v1/audit/events', kind: 'deny' },
        { method: 'GET', url: '/api/v1/audit/tree-heads', kind: 'deny' },
        { method: 'POST', url: '/api/v1/audit/tree-heads', kind: 'deny' },
        { method: 'GET', url: '/api/v1/audit/proofs/inclusion?seq=1&size=2', kind: 'deny' },
        { method: 'GET', url: '/api/v1/audit/proofs/consistency?first=1&second=2', kind: 'deny' },
        { method: 'GET', url: '/api/v1/audit/export', kind: 'deny' },
      ];
      outsiders = [['anonymous', w.anon], ['org B admin', w.bAdmin], ['org B member', w.bMember], ['reviewer of another region', w.reviewerOther], ['org B API key', new Client(w.h, undefined, bKey.json.token)]];
    });
    after(async () => {
      await w.h.close();
      if (w.h.schema) await dropSchema(w.h.schema);
    });

    const send = (c: Client, r: Row) => {
      if (r.multipart) { const m = multipart('x.pdf', 'application/pdf', PDF); return c.req(r.method, r.url, undefined, m); }
      return c.req(r.method, r.url, r.method === 'GET' ? undefined : (r.body ?? {}));
    };

    test('every API route is in the matrix', async () => {
      const doc = (await w.anon.get('/api/openapi.json')).json as { paths: Record<string, Record<string, { security?: unknown[] }>> };
      const covered = new Set(rows.map((r) => `${r.method} ${r.url.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}')}`));
      const exempt = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'GET /api/v1/health']);
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const key = `${method.toUpperCase()} ${path.replace(/\{(id|mid)\}/g, '{id}')}`;
          if (exempt.has(key) || (Array.isArray(op.security) && op.security.length === 0)) continue;
          assert.ok(covered.has(key), `route ${key} missing from the authorization matrix`);
        }
      }
    });

    test('outsiders get 401/403/404 (or their own scope), never data of organisation A', async () => {
      for (const [who, c] of outsiders) {
        for (const r of rows) {
          const res = await send(c, r);
          const where = `${who}: ${r.method} ${r.url} → ${res.status}`;
          if (who === 'anonymous') assert.equal(res.status, 401, where);
          else if (r.kind === 'deny') assert.ok([403, 404].includes(res.status), where + ' ' + res.body.slice(0, 200));
          else assert.ok([200, 403].includes(res.status), where);
          for (const m of markers) assert.ok(!res.body.includes(m), `${where} leaks ${m}`);
        }
      }
    });

    test('a member of A cannot change anything', async () => {
      for (const r of rows.filter((x) => x.method !== 'GET')) {
        const res = await send(w.aMember, r);
        assert.ok([403, 404].includes(res.status), `member: ${r.method} ${r.url} → ${res.status} ${res.body.slice(0, 200)}`);
      }
    });

    test('the auditor changes nothing (separation of duties); the admin cannot read the audit log', async () => {
      for (const r of rows.filter((x) => x.method !== 'GET' && x.url !== '/api/v1/audit/tree-heads')) {
        const res = await send(w.auditor, r);
        assert.ok([403, 404].includes(res.status), `auditor: ${r.method} ${r.url} → ${res.status} ${res.body.slice(0, 200)}`);
      }
      for (const r of rows.filter((x) => x.url.startsWith('/api/v1/audit/'))) {
        assert.equal((await send(w.admin, r)).status, 403, `admin: ${r.method} ${r.url}`);
      }
    });
  });
}
