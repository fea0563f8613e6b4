/**
 * `yinzhang demo`: fills a fresh instance through its own HTTP API (so every step is authorised and audited like a
 * real one): a province → city → county tree, organisations, users of every role and seals in every state.
 */
import { YzError } from '@yinzhang/gm';
import type { Platform } from './platform.js';
import { isValidIdNumber, idCheckChar, usccCheckChar } from './checkdigits.js';

export const DEMO_PASSWORD = 'yinzhang-demo-2026';

interface Sess { cookie: string; csrf: string }
// Responses of our own API, read loosely: the demo only picks ids and lists out of them.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PNG_1PX = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201f5a1e1cc0000000049454e44ae426082', 'hex');
const PDF_MIN = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export interface DemoReport { users: { login: string; roles: string }[]; organisations: number; seals: Record<string, number>; password: string; productionSkipped?: string }

export async function runDemo(platform: Platform, adminPassword: string): Promise<DemoReport> {
  const app = platform.app;
  const call = async (s: Sess | null, method: string, url: string, body?: unknown, raw?: { payload: Buffer; headers: Record<string, string> }): Promise<Json> => {
    const headers: Record<string, string> = { ...(raw?.headers ?? {}) };
    if (s) Object.assign(headers, { cookie: s.cookie, 'x-csrf-token': s.csrf });
    const r = await app.inject({ method: method as 'GET', url, headers, ...(raw ? { payload: raw.payload } : body !== undefined ? { payload: body as object } : {}) });
    const json = (r.body ? JSON.parse(r.body) : {}) as Json;
    if (r.statusCode >= 400) throw new YzError(json.code ?? 'INTERNAL', `${method} ${url}: ${json.detail ?? r.statusCode}`);
    return json;
  };
  const login = async (l: string, pw: string): Promise<Sess> => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: l, password: pw } });
    if (r.statusCode !== 200) throw new YzError('LOGIN_FAILED', `demo: login ${l} failed`);
    return { cookie: String(r.headers['set-cookie']).split(';')[0]!, csrf: (JSON.parse(r.body) as { csrfToken: string }).csrfToken };
  };
  const upload = (s: Sess, appId: string, name: string, type: string, data: Buffer) => {
    const boundary = '----yzdemo' + Math.random().toString(16).slice(2);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`), data, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return call(s, 'POST', `/api/v1/applications/${appId}/materials`, undefined, { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  };
  const uscc = (stem: string) => stem + usccCheckChar(stem);
  const idNo = (stem: string) => { const v = stem + idCheckChar(stem); if (!isValidIdNumber(v)) throw new Error('demo id'); return v; };

  const admin = await login('admin', adminPassword);
  for (const [code, name, parentCode] of [['410000', '河南省', undefined], ['411700', '驻马店市', '410000'], ['411728', '遂平县', '411700'], ['411500', '信阳市', '410000']] as const) {
    await call(admin, 'POST', '/api/v1/regions', { code, name, ...(parentCode ? { parentCode } : {}) });
  }
  const users: DemoReport['users'] = [];
  const mkUser = async (s: Sess, login: string, displayName: string, roles: object[], orgId?: string) => {
    await call(s, 'POST', '/api/v1/users', { login, password: DEMO_PASSWORD, displayName, roles, ...(orgId ? { orgId } : {}) });
    users.push({ login, roles: roles.map((r) => (r as { role: string }).role).join(',') });
  };
  await mkUser(admin, 'security', '安全保密管理员', [{ role: 'security_officer' }]);
  await mkUser(admin, 'auditor', '安全审计员', [{ role: 'auditor' }]);
  await mkUser(admin, 'reviewer-suiping', '遂平县审核员', [{ role: 'reviewer', regionCode: '411728' }]);
  await mkUser(admin, 'reviewer-zhumadian', '驻马店市审核员', [{ role: 'reviewer', regionCode: '411700' }]);
  await mkUser(admin, 'reviewer-xinyang', '信阳市审核员', [{ role: 'reviewer', regionCode: '411500' }]);

  const orgs = [
    { uscc: uscc('91411728MA9XY0001'), name: '遂平示例食品有限公司', regionCode: '411728', rep: ['张三', '41172819800101123'] },
    { uscc: uscc('91411700MA9XY0002'), name: '驻马店示例物流有限公司', regionCode: '411700', rep: ['李四', '41170019850202234'] },
    { uscc: uscc('12411500MB0000000'), name: '信阳市示例事业单位', regionCode: '411500', rep: ['王五', '41150019900303345'] },
  ];
  const orgIds: string[] = [];
  for (const [i, o] of orgs.entries()) {
    const created = await call(admin, 'POST', '/api/v1/organisations', {
      uscc: o.uscc, name: o.name, type: i === 2 ? 'institution' : 'enterprise', regionCode: o.regionCode,
      legalRepresentative: { name: o.rep[0], idNumber: idNo(o.rep[1]!), phone: `1380000000${i}` },
    });
    orgIds.push(created.id);
    await mkUser(admin, `org${i + 1}-admin`, `${o.name} 管理员`, [{ role: 'org_admin' }], created.id);
    await mkUser(admin, `org${i + 1}-custodian`, `${o.name} 印章保管人`, [{ role: 'custodian' }], created.id);
    await mkUser(admin, `org${i + 1}-approver`, `${o.name} 用章审批人`, [{ role: 'approver' }], created.id);
    await mkUser(admin, `org${i + 1}-member`, `${o.name} 员工`, [{ role: 'member' }], created.id);
  }

  const seals: Record<string, number> = {};
  let productionSkipped: string | undefined;
  try {
    const county = await login('reviewer-suiping', DEMO_PASSWORD);
    const city = await login('reviewer-zhumadian', DEMO_PASSWORD);
    const xinyang = await login('reviewer-xinyang', DEMO_PASSWORD);
    const sec = await login('security', DEMO_PASSWORD);
    // 1: five-seal set through county → city (遂平 第七条).
    const o1 = await login('org1-admin', DEMO_PASSWORD);
    const a1 = await call(o1, 'POST', '/api/v1/applications', { orgId: orgIds[0], kind: 'issue', preset: 'market_entity_set', note: '新办企业五章' });
    await upload(o1, a1.id, '营业执照.pdf', 'application/pdf', PDF_MIN);
    await call(county, 'POST', `/api/v1/applications/${a1.id}/forward`);
    const f1 = await call(city, 'POST', `/api/v1/applications/${a1.id}/approve`);
    const ids1 = f1.sealIds as string[];
    for (const id of ids1.slice(0, 4)) await call(o1, 'POST', `/api/v1/seals/${id}/confirm`);
    // ids1[4] stays pending_confirmation; ids1[3] suspended; ids1[2] revoked by application.
    await call(o1, 'POST', `/api/v1/seals/${ids1[3]}/suspend`, { reason: '印章保管人离职，暂停使用' });
    const r1 = await call(o1, 'POST', '/api/v1/applications', { orgId: orgIds[0], kind: 'revoke', targetSealId: ids1[2], note: '不再使用' });
    await call(county, 'POST', `/api/v1/applications/${r1.id}/forward`);
    await call(city, 'POST', `/api/v1/applications/${r1.id}/approve`);
    // 2: a rejected application and a re-issue.
    const o2 = await login('org2-admin', DEMO_PASSWORD);
    const a2 = await call(o2, 'POST', '/api/v1/applications', { orgId: orgIds[1], kind: 'issue', seals: [{ kind: 'legal_name', name: orgs[1]!.name }, { kind: 'contract', name: `${orgs[1]!.name}合同专用章` }] });
    await upload(o2, a2.id, '申请表.pdf', 'application/pdf', PDF_MIN);
    const f2 = await call(city, 'POST', `/api/v1/applications/${a2.id}/approve`);
    for (const id of f2.sealIds as string[]) await call(o2, 'POST', `/api/v1/seals/${id}/confirm`);
    const a2b = await call(o2, 'POST', '/api/v1/applications', { orgId: orgIds[1], kind: 'issue', seals: [{ kind: 'finance', name: `${orgs[1]!.name}财务专用章` }] });
    await call(city, 'POST', `/api/v1/applications/${a2b.id}/reject`, { reason: '缺少营业执照副本，请补充后重新申请' });
    const re = await call(o2, 'POST', '/api/v1/applications', { orgId: orgIds[1], kind: 'reissue', targetSealId: (f2.sealIds as string[])[1], note: '印章介质遗失' });
    await upload(o2, re.id, '遗失声明.png', 'image/png', PNG_1PX);
    const fr = await call(city, 'POST', `/api/v1/applications/${re.id}/approve`);
    await call(o2, 'POST', `/api/v1/seals/${(fr.sealIds as string[])[0]}/confirm`);
    // 3: an institution with an official seal, left active.
    const o3 = await login('org3-admin', DEMO_PASSWORD);
    const a3 = await call(o3, 'POST', '/api/v1/applications', { orgId: orgIds[2], kind: 'issue', seals: [{ kind: 'legal_name', name: orgs[2]!.name }] });
    await upload(o3, a3.id, '法人证书.pdf', 'application/pdf', PDF_MIN);
    const f3 = await call(xinyang, 'POST', `/api/v1/applications/${a3.id}/approve`);
    await call(o3, 'POST', `/api/v1/seals/${(f3.sealIds as string[])[0]}/confirm`);
    // 4: an expired seal. Seals are valid for two years, so for this one seal (demo data only) the platform clock is
    // set back 731 days while it is produced and confirmed; the expiry job then marks it expired today.
    const realClock = platform.ctx.clock;
    platform.ctx.clock = { now: () => new Date(realClock.now().getTime() - 731 * 86_400_000) };
    try {
      const a4 = await call(o3, 'POST', '/api/v1/applications', { orgId: orgIds[2], kind: 'issue', seals: [{ kind: 'finance', name: `${orgs[2]!.name}财务专用章` }], note: '演示: 已过期的印章' });
      await upload(o3, a4.id, '法人证书.pdf', 'application/pdf', PDF_MIN);
      const f4 = await call(xinyang, 'POST', `/api/v1/applications/${a4.id}/approve`);
      await call(o3, 'POST', `/api/v1/seals/${(f4.sealIds as string[])[0]}/confirm`);
    } finally {
      platform.ctx.clock = realClock;
    }
    await call(sec, 'POST', '/api/v1/jobs/run');
    const list = await call(admin, 'GET', '/api/v1/seals?limit=100');
    for (const s of list.items as { status: string }[]) seals[s.status] = (seals[s.status] ?? 0) + 1;
  } catch (e) {
    if ((e as YzError).code !== 'PRODUCTION_UNAVAILABLE') throw e;
    productionSkipped = (e as Error).message;
  }
  const orgCount = (await call(admin, 'GET', '/api/v1/organisations?limit=100')).items.length as number;
  return { users, organisations: orgCount, seals, password: DEMO_PASSWORD, ...(productionSkipped ? { productionSkipped } : {}) };
}
