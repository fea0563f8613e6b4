/**
 * Test harness: a fresh platform per suite on SQLite (temp dir) or, when DATABASE_URL is set, on PostgreSQL in a
 * schema of its own. Requests go through fastify.inject (no sockets).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createPlatform, type Platform } from '../src/index.js';
import type { Clock } from '../src/util.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const PG_URL = process.env.DATABASE_URL;

export class TestClock implements Clock {
  t: number;
  constructor(start = Date.parse('2026-01-10T08:00:00Z')) { this.t = start; }
  now(): Date { return new Date(this.t); }
  advanceDays(d: number): void { this.t += d * 86_400_000; }
}

export interface Harness {
  platform: Platform;
  clock: TestClock;
  dir: string;
  schema?: string;
  close(): Promise<void>;
}

export async function startPlatform(o: { pg?: boolean; dir?: string; schema?: string; clock?: TestClock; instanceId?: string } = {}): Promise<Harness> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'yz-platform-'));
  const clock = o.clock ?? new TestClock();
  const schema = o.pg ? (o.schema ?? `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`) : undefined;
  const platform = await createPlatform({
    dataDir: dir, clock, schema, databaseUrl: o.pg ? PG_URL : undefined, instanceId: o.instanceId,
    env: { YINZHANG_ADMIN_PASSWORD: ADMIN_PASSWORD, YINZHANG_KEK: 'aa'.repeat(32) }, maxUploadBytes: 64 * 1024,
  });
  return {
    platform, clock, dir, ...(schema ? { schema } : {}),
    async close() {
      await platform.close();
      if (!o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await c.end();
  }
}

export interface Session { cookie: string; csrf: string; userId: string }

// Response bodies are read loosely in tests (the assertions check the shape).
export interface Res { status: number; json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, unknown>; body: string }

export class Client {
  creds?: { login: string; password: string };
  constructor(readonly h: Harness, public session?: Session, readonly bearer?: string) {}

  /** Sessions follow the platform clock: after a simulated jump in time, log in again. */
  async relogin(): Promise<void> {
    if (!this.creds) return;
    this.session = (await login(this.h, this.creds.login, this.creds.password)).session;
  }

  async req(method: string, url: string, body?: unknown, extra: { headers?: Record<string, string>; payload?: Buffer | string } = {}): Promise<Res> {
    const headers: Record<string, string> = { ...(extra.headers ?? {}) };
    if (this.session) {
      headers.cookie = this.session.cookie;
      headers['x-csrf-token'] ??= this.session.csrf;
    }
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const r = await this.h.platform.app.inject({
      method: method as 'GET', url, headers,
      ...(extra.payload !== undefined ? { payload: extra.payload } : body !== undefined ? { payload: body as object } : {}),
    });
    let json: unknown;
    try { json = r.body ? JSON.parse(r.body) : undefined; } catch { json = undefined; }
    return { status: r.statusCode, json, headers: r.headers as Record<string, unknown>, body: r.body };
  }
  get(url: string) { return this.req('GET', url); }
  post(url: string, body?: unknown) { return this.req('POST', url, body ?? {}); }
}

export async function login(h: Harness, loginName: string, password: string): Promise<Client> {
  const r = await h.platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: loginName, password } });
  if (r.statusCode !== 200) throw new Error(`login ${loginName} failed: ${r.statusCode} ${r.body}`);
  const setCookie = String(r.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const body = JSON.parse(r.body) as { csrfToken: string; userId: string };
  const c = new Client(h, { cookie, csrf: body.csrfToken, userId: body.userId });
  c.creds = { login: loginName, password };
  return c;
}

/** A valid USCC / ID number from a 17-character stem (the check character computed independently of the code under test). */
export function uscc(stem17: string): string {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY', W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const s = [...stem17].reduce((acc, ch, i) => acc + A.indexOf(ch) * W[i]!, 0);
  return stem17 + A[(31 - (s % 31)) % 31];
}
export function idNumber(stem17: string): string {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...stem17].reduce((acc, ch, i) => acc + Number(ch) * W[i]!, 0);
  return stem17 + '10X98765432'[s % 11];
}

export const PASSWORD = 'correct-horse-battery-staple';

export interface World {
  h: Harness;
  admin: Client; security: Client; auditor: Client;
  reviewerCounty: Client; reviewerCity: Client; reviewerOther: Client;
  orgA: { id: string; uscc: string; legalRepId: string }; orgB: { id: string; uscc: string };
  aAdmin: Client; aCustodian: Client; aApprover: Client; aMember: Client;
  bAdmin: Client; bMember: Client;
  anon: Client;
}

/** Regions 410000 → 411700 → 411728 (county) and 410000 → 411500; org A in the county, org B in 411500. */
export async function seedWorld(h: Harness): Promise<World> {
  const admin = await login(h, 'admin', ADMIN_PASSWORD);
  const ok = async (p: Promise<Res>, status = 201) => {
    const r = await p;
    if (r.status !== status) throw new Error(`seed: ${r.status} ${r.body}`);
    return r.json;
  };
  for (const [code, name, parentCode] of [['410000', '河南省'], ['411700', '驻马店市', '410000'], ['411728', '遂平县', '411700'], ['411500', '信阳市', '410000']] as const) {
    await ok(admin.post('/api/v1/regions', { code, name, ...(parentCode ? { parentCode } : {}) }));
  }
  const orgA = await ok(admin.post('/api/v1/organisations', {
    uscc: uscc('91411728MA45N0001'), name: '遂平甲公司', type: 'enterprise', regionCode: '411728',
    legalRepresentative: { name: '张三', idNumber: idNumber('41172819800101123'), phone: '13800000001' },
  }));
  const orgB = await ok(admin.post('/api/v1/organisations', { uscc: uscc('91411500MA45N0002'), name: '信阳乙公司', type: 'enterprise', regionCode: '411500' }));
  const mk = async (loginName: string, roles: object[], orgId?: string) => {
    await ok(admin.post('/api/v1/users', { login: loginName, password: PASSWORD, displayName: loginName, roles, ...(orgId ? { orgId } : {}) }));
    return login(h, loginName, PASSWORD);
  };
  const [security, auditor, reviewerCounty, reviewerCity, reviewerOther, aAdmin, aCustodian, aApprover, aMember, bAdmin, bMember] = await Promise.all([
    mk('security', [{ role: 'security_officer' }]),
    mk('auditor', [{ role: 'auditor' }]),
    mk('rev-county', [{ role: 'reviewer', regionCode: '411728' }]),
    mk('rev-city', [{ role: 'reviewer', regionCode: '411700' }]),
    mk('rev-other', [{ role: 'reviewer', regionCode: '411500' }]),
    mk('a-admin', [{ role: 'org_admin' }], orgA.id),
    mk('a-custodian', [{ role: 'custodian' }], orgA.id),
    mk('a-approver', [{ role: 'approver' }], orgA.id),
    mk('a-member', [{ role: 'member' }], orgA.id),
    mk('b-admin', [{ role: 'org_admin' }], orgB.id),
    mk('b-member', [{ role: 'member' }], orgB.id),
  ]);
  return {
    h, admin, security: security!, auditor: auditor!, reviewerCounty: reviewerCounty!, reviewerCity: reviewerCity!, reviewerOther: reviewerOther!,
    orgA: { id: orgA.id, uscc: orgA.uscc, legalRepId: orgA.legalRepPersonId }, orgB: { id: orgB.id, uscc: orgB.uscc },
    aAdmin: aAdmin!, aCustodian: aCustodian!, aApprover: aApprover!, aMember: aMember!, bAdmin: bAdmin!, bMember: bMember!,
    anon: new Client(h),
  };
}

export async function advanceDays(w: World, days: number, clients: Client[] = Object.values(w).filter((c): c is Client => c instanceof Client)): Promise<void> {
  w.h.clock.advanceDays(days);
  await Promise.all(clients.map((c) => c.relogin()));
}

export function multipart(name: string, type: string, data: Buffer, field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----yztest' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`), data, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export async function upload(c: Client, appId: string, name = 'licence.pdf', type = 'application/pdf', data: Buffer = PDF): Promise<Res> {
  const m = multipart(name, type, data);
  return c.req('POST', `/api/v1/applications/${appId}/materials`, undefined, { payload: m.payload, headers: m.headers });
}

/** Backends to run a suite on: SQLite always, PostgreSQL when DATABASE_URL is set (otherwise reported as skipped). */
export const BACKENDS: { name: string; pg: boolean; skip: string | false }[] = [
  { name: 'sqlite', pg: false, skip: false },
  { name: 'postgres', pg: true, skip: PG_URL ? false : 'DATABASE_URL not set' },
];

export async function auditSize(h: Harness): Promise<number> {
  const s = await h.platform.ctx.db.selectFrom('audit_state').select('size').executeTakeFirstOrThrow();
  return Number(s.size);
}
