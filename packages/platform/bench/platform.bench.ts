/**
 * Platform benchmark on SQLite (PostgreSQL when DATABASE_URL is set):
 *  - seal productions/s: approval of issue applications (10 seals each) — key in the keystore, certificate from the
 *    platform CA, seal-image impression, SESeal V4 signed by the seal maker, audit events, filing rows;
 *  - public status lookups/s over real HTTP (16 in flight), with GET /api/v1/health on the same server as reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'yz-bench-'));
const pg = process.env.DATABASE_URL;
const schema = pg ? `bench_${Date.now().toString(36)}` : undefined;
const platform = await createPlatform({ dataDir: dir, databaseUrl: pg, schema, env: { YINZHANG_ADMIN_PASSWORD: 'bench-admin-password', YINZHANG_KEK: 'ab'.repeat(32) } });
const app = platform.app;

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let session = { cookie: '', csrf: '' };
async function call(method: string, url: string, body?: unknown, s = session, raw?: { payload: Buffer; headers: Record<string, string> }): Promise<J> {
  const r = await app.inject({ method: method as 'GET', url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(raw?.headers ?? {}) }, ...(raw ? { payload: raw.payload } : body !== undefined ? { payload: body as object } : {}) });
  if (r.statusCode >= 400) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
  return JSON.parse(r.body) as J;
}
async function login(l: string, p: string) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: l, password: p } });
  return { cookie: String(r.headers['set-cookie']).split(';')[0]!, csrf: (JSON.parse(r.body) as { csrfToken: string }).csrfToken };
}

session = await login('admin', 'bench-admin-password');
await call('POST', '/api/v1/regions', { code: '410000', name: '河南省' });
await call('POST', '/api/v1/regions', { code: '411700', name: '驻马店市', parentCode: '410000' });
const org = await call('POST', '/api/v1/organisations', { uscc: '91350100M000100Y43', name: '基准测试有限公司', type: 'enterprise', regionCode: '411700' });
await call('POST', '/api/v1/users', { login: 'org-admin', password: 'bench-password-1', displayName: 'oa', orgId: org.id, roles: [{ role: 'org_admin' }] });
await call('POST', '/api/v1/users', { login: 'reviewer', password: 'bench-password-1', displayName: 'rv', roles: [{ role: 'reviewer', regionCode: '411700' }] });
const oa = await login('org-admin', 'bench-password-1');
const rv = await login('reviewer', 'bench-password-1');
const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
const boundary = 'bench';
const multipart = { payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER = 10;
const codes: string[] = [];
let produced = 0;
const t0 = performance.now();
for (let i = 0; i < ROUNDS; i++) {
  const seals = Array.from({ length: PER }, (_, k) => ({ kind: k % 2 ? 'contract' : 'legal_name', name: k % 2 ? `基准测试有限公司合同专用章` : '基准测试有限公司' }));
  const a = await call('POST', '/api/v1/applications', { orgId: org.id, kind: 'issue', seals }, oa);
  await call('POST', `/api/v1/applications/${a.id}/materials`, undefined, oa, multipart);
  const done = await call('POST', `/api/v1/applications/${a.id}/approve`, undefined, rv);
  produced += done.sealIds.length;
  if (i === 0) for (const id of done.sealIds as string[]) codes.push((await call('GET', `/api/v1/seals/${id}`, undefined, oa)).sealCode);
}
const prodSecs = (performance.now() - t0) / 1000;
console.log(`seal production (key + certificate + impression + SESeal, via approval): ${(produced / prodSecs).toFixed(1)} seals/s (${produced} seals, ${pg ? 'PostgreSQL' : 'SQLite'})`);

const address = await app.listen({ port: 0, host: '127.0.0.1' });
async function hammer(urls: string[], n: number, inflight = 16): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: inflight }, async () => {
    while (next < n) {
      const u = urls[next++ % urls.length]!;
      const r = await fetch(address + u);
      if (r.status !== 200) throw new Error(`${u}: ${r.status}`);
      await r.arrayBuffer();
    }
  }));
  return n / ((performance.now() - start) / 1000);
}
const N = Number(process.env.BENCH_LOOKUPS ?? 3000);
await hammer(['/api/v1/health'], 300);
const ref = await hammer(['/api/v1/health'], N);
const lookups = await hammer(codes.map((c) => `/api/v1/public/seals/${c}`), N);
console.log(`public status lookups over HTTP: ${lookups.toFixed(0)} req/s (reference GET /api/v1/health on the same server: ${ref.toFixed(0)} req/s, ratio ${(lookups / ref).toFixed(2)})`);

await platform.close();
if (schema) {
  const pgm = (await import('pg')).default;
  const c = new pgm.Client({ connectionString: pg });
  await c.connect();
  await c.query(`drop schema ${schema} cascade`);
  await c.end();
}
rmSync(dir, { recursive: true, force: true });
