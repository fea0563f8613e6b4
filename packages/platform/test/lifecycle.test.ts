import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { parseSeal, verifySeal } from '@yinzhang/ses';
import { createTimestampRequest, parseCertificate, parseCrl, parseTimestampResponse, verifyCertificateSignature, verifyTimestampToken } from '@yinzhang/pki';
import { renderSealPng } from '@yinzhang/seal-image';
import { BACKENDS, PDF, advanceDays, dropSchema, multipart, seedWorld, startPlatform, upload, type Client, type World } from './helpers.js';


/** A valid all-white RGB PNG (no seal ink). */
function whitePng(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 255)]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
for (const backend of BACKENDS) {
  describe(`seal lifecycle through HTTP on ${backend.name}`, { skip: backend.skip }, () => {
    let w: World;
    let caDer: Uint8Array;
    const seals: Record<string, string> = {};
    before(async () => {
      w = await seedWorld(await startPlatform({ pg: backend.pg }));
      const ca = await w.anon.get('/api/v1/public/ca');
      caDer = parseCertificate(new Uint8Array(Buffer.from(ca.body.replace(/-----[^-]+-----|\s/g, ''), 'base64'))).der;
    });
    after(async () => {
      await w.h.close();
      if (w.h.schema) await dropSchema(w.h.schema);
    });

    const active = () => [w.admin, w.aAdmin, w.aMember, w.security, w.reviewerCounty, w.reviewerCity, w.auditor];

    /** Applies, uploads a material, goes county → city when needed, returns the approved application. */
    async function applyAndApprove(body: object, approver: Client = w.reviewerCity, viaCounty = true) {
      const a = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, ...body });
      assert.equal(a.status, 201, a.body);
      assert.equal((await upload(w.aAdmin, a.json.id)).status, 201);
      if (viaCounty) assert.equal((await w.reviewerCounty.post(`/api/v1/applications/${a.json.id}/forward`)).status, 200);
      const ok = await approver.post(`/api/v1/applications/${a.json.id}/approve`);
      assert.equal(ok.status, 200, ok.body);
      assert.equal(ok.json.status, 'fulfilled');
      return ok.json as { id: string; sealIds: string[] };
    }

    test('five-seal set in one application (开封 第十二条): produced, pending confirmation, then confirmed by the applicant (广东 第十条)', async () => {
      const r = await applyAndApprove({ kind: 'issue', preset: 'market_entity_set' });
      assert.equal(r.sealIds.length, 5);
      const got = await Promise.all(r.sealIds.map((id) => w.aMember.get(`/api/v1/seals/${id}`)));
      assert.deepEqual(got.map((g) => g.json.kind).sort(), ['contract', 'finance', 'invoice', 'legal_name', 'legal_representative']);
      for (const g of got) {
        assert.equal(g.json.status, 'pending_confirmation');
        seals[g.json.kind] = g.json.id;
        assert.match(g.json.sealCode, /^411728\d{7}$/);
      }
      // Members may look but not confirm; the custodian and the org admin may.
      assert.equal((await w.aMember.post(`/api/v1/seals/${seals.legal_name}/confirm`)).status, 403);
      assert.equal((await w.bAdmin.post(`/api/v1/seals/${seals.legal_name}/confirm`)).status, 404);
      assert.equal((await w.aCustodian.post(`/api/v1/seals/${seals.legal_name}/confirm`)).json.status, 'active');
      for (const k of ['invoice', 'finance', 'contract', 'legal_representative']) {
        assert.equal((await w.aAdmin.post(`/api/v1/seals/${seals[k]}/confirm`)).json.status, 'active');
      }
      assert.equal((await w.aAdmin.post(`/api/v1/seals/${seals.invoice}/confirm`)).status, 409, 'confirm only once');
      // Custodian: only a user holding the custodian role in A; named by the org admin.
      const custodianId = (await w.aCustodian.get('/api/v1/auth/me')).json.id;
      const memberId = (await w.aMember.get('/api/v1/auth/me')).json.id;
      assert.equal((await w.aAdmin.req('PUT', `/api/v1/seals/${seals.legal_name}/custodian`, { userId: memberId })).status, 400);
      assert.equal((await w.aCustodian.req('PUT', `/api/v1/seals/${seals.legal_name}/custodian`, { userId: custodianId })).status, 403);
      const named = await w.aAdmin.req('PUT', `/api/v1/seals/${seals.legal_name}/custodian`, { userId: custodianId });
      assert.equal(named.json.custodianUserId, custodianId);
      assert.ok((await w.aCustodian.get('/api/v1/notifications')).json.items.some((n: { kind: string }) => n.kind === 'seal.custodian'));
    });

    test('produced seal: SESeal V4 signed by the seal maker, certificate from the platform CA bound to the seal, generated impression', async () => {
      const s = (await w.aAdmin.get(`/api/v1/seals/${seals.legal_name}`)).json;
      const esl = await w.h.platform.app.inject({ method: 'GET', url: `/api/v1/seals/${s.id}/seseal`, headers: { cookie: w.aAdmin.session!.cookie } });
      const der = new Uint8Array(esl.rawPayload);
      const parsed = parseSeal(der);
      assert.equal(parsed.version, 4);
      assert.equal(parsed.esID, s.esId);
      assert.equal(parsed.property.name, '遂平甲公司');
      const v = await verifySeal(der, { trustAnchors: [caDer], at: new Date(w.h.clock.t) });
      assert.equal(v.checks.sealSignature, 'passed');
      assert.equal(v.checks.certificateChain, 'passed');
      const entry = parsed.property.certList[0]!;
      assert.equal(entry.kind, 'certificate');
      const cert = parseCertificate(entry.kind === 'certificate' ? entry.der : new Uint8Array());
      assert.equal(cert.serialHex, s.certSerial);
      assert.equal(await verifyCertificateSignature(cert, parseCertificate(caDer)), true);
      assert.equal(cert.notAfter.toISOString(), new Date(s.validTo).toISOString(), 'seal validity = certificate validity');
      // The stored picture is what seal-image renders for this seal (same generator, same spec).
      const img = await w.h.platform.app.inject({ method: 'GET', url: `/api/v1/seals/${s.id}/image`, headers: { cookie: w.aAdmin.session!.cookie } });
      assert.deepEqual(new Uint8Array(img.rawPayload), renderSealPng({ kind: 'legal_name', name: '遂平甲公司', sealCode: s.sealCode }));
      assert.equal(s.imageSource, 'generated');
    });

    test('public status: no login, no personal data; history dated', async () => {
      const rep = (await w.aAdmin.get(`/api/v1/seals/${seals.legal_representative}`)).json;
      const pub = await w.anon.get(`/api/v1/public/seals/${rep.sealCode}`);
      assert.equal(pub.status, 200);
      assert.equal(pub.json.status, 'active');
      assert.equal(pub.json.valid, true);
      assert.equal(pub.json.name, '张*', 'holder name masked');
      assert.ok(!pub.body.includes('张三'));
      assert.ok(!/\d{17}[\dX]/.test(pub.body.replace(rep.sealCode, '').replace(rep.esId, '').replace(pub.json.organisation.uscc, '')), 'no ID number');
      assert.ok(!pub.body.includes(w.aAdmin.session!.userId));
      assert.deepEqual(pub.json.history.map((h: { status: string }) => h.status), ['pending_confirmation', 'active']);
      assert.equal((await w.anon.get(`/api/v1/public/seals/${rep.esId}`)).json.esId, rep.esId);
      assert.equal((await w.anon.get('/api/v1/public/seals/0000000000000')).status, 404);
    });

    test('uploaded impression is compared and its score kept; renewal outside the window is refused (信阳 第十一条)', async () => {
      const b = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'contract', name: '遂平甲公司合同专用章' }] });
      const png = Buffer.from(renderSealPng({ kind: 'contract', name: '遂平甲公司合同专用章', sealCode: '4117280000099' }));
      const m = multipart('impression.png', 'image/png', png);
      assert.equal((await w.aAdmin.req('POST', `/api/v1/applications/${b.json.id}/materials?impressionFor=3`, undefined, m)).status, 400);
      const pdfAsImpression = multipart('x.pdf', 'application/pdf', PDF);
      assert.equal((await w.aAdmin.req('POST', `/api/v1/applications/${b.json.id}/materials?impressionFor=0`, undefined, pdfAsImpression)).json.code, 'UPLOAD_TYPE_REJECTED');
      const up = await w.aAdmin.req('POST', `/api/v1/applications/${b.json.id}/materials?impressionFor=0`, undefined, m);
      assert.equal(up.status, 201, up.body);
      assert.equal(up.json.comparison.match, true, 'compared at upload, shown before approval');
      assert.ok(up.json.comparison.score >= up.json.comparison.threshold);
      assert.equal((await w.aAdmin.get(`/api/v1/applications/${b.json.id}`)).json.seals[0].impressionMaterialId, up.json.id);
      await w.reviewerCounty.post(`/api/v1/applications/${b.json.id}/forward`);
      const ok = await w.reviewerCity.post(`/api/v1/applications/${b.json.id}/approve`);
      assert.equal(ok.status, 200, ok.body);
      const s = (await w.aAdmin.get(`/api/v1/seals/${ok.json.sealIds[0]}`)).json;
      assert.equal(s.imageSource, 'uploaded');
      assert.ok(s.comparisonScore > 0.5 && s.comparisonScore <= 1, `score ${s.comparisonScore}`);
      const early = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'renew', targetSealId: seals.legal_name });
      assert.equal(early.status, 409);
      assert.equal(early.json.code, 'RENEWAL_WINDOW_CLOSED');
    });

    test('a mismatching impression is shown as such at upload and stops production; an image without seal ink is refused (广东 第十条)', async () => {
      const b = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'contract', name: '遂平甲公司合同专用章' }] });
      const other = Buffer.from(renderSealPng({ kind: 'finance', name: '另一家完全不同的公司财务专用章', sealCode: '4117280000099' }));
      const up = await w.aAdmin.req('POST', `/api/v1/applications/${b.json.id}/materials?impressionFor=0`, undefined, multipart('other.png', 'image/png', other));
      assert.equal(up.status, 201, up.body);
      assert.equal(up.json.comparison.match, false);
      assert.ok(up.json.comparison.score < up.json.comparison.threshold, `score ${up.json.comparison.score}`);
      // A white image has no seal ink: refused at upload, nothing stored.
      const before = (await w.aAdmin.get(`/api/v1/applications/${b.json.id}`)).json;
      const blank = await w.aAdmin.req('POST', `/api/v1/applications/${b.json.id}/materials?impressionFor=0`, undefined, multipart('white.png', 'image/png', whitePng(200)));
      assert.equal(blank.status, 400);
      assert.equal(blank.json.code, 'IMPRESSION_NOT_FOUND');
      const after = (await w.aAdmin.get(`/api/v1/applications/${b.json.id}`)).json;
      assert.equal(before.materials.length, 1);
      assert.deepEqual(after.materials, before.materials);
      assert.equal(after.seals[0].impressionMaterialId, up.json.id);
      // Approval produces nothing: 409 with the score, the application still waits for a decision, no seal exists.
      await w.reviewerCounty.post(`/api/v1/applications/${b.json.id}/forward`);
      const sealsBefore = (await w.aAdmin.get(`/api/v1/seals?orgId=${w.orgA.id}`)).json;
      assert.ok(sealsBefore.items.length > 0, JSON.stringify(sealsBefore));
      const no = await w.reviewerCity.post(`/api/v1/applications/${b.json.id}/approve`);
      assert.equal(no.status, 409, no.body);
      assert.equal(no.json.code, 'IMPRESSION_MISMATCH');
      assert.equal(no.json.errors.match, false);
      assert.equal((await w.aAdmin.get(`/api/v1/applications/${b.json.id}`)).json.status, 'forwarded');
      assert.deepEqual((await w.aAdmin.get(`/api/v1/seals?orgId=${w.orgA.id}`)).json, sealsBefore);
      const rej = await w.reviewerCity.post(`/api/v1/applications/${b.json.id}/reject`, { reason: '上传的印模与备案印模不一致' });
      assert.equal(rej.status, 200, rej.body);
    });

    test('re-issue revokes the old seal atomically (信阳 第十五条); revoke by application puts the certificate on the CRL', async () => {
      const old = (await w.aAdmin.get(`/api/v1/seals/${seals.finance}`)).json;
      const r = await applyAndApprove({ kind: 'reissue', targetSealId: seals.finance, note: '介质遗失' });
      const neu = (await w.aAdmin.get(`/api/v1/seals/${r.sealIds[0]}`)).json;
      const before = (await w.aAdmin.get(`/api/v1/seals/${seals.finance}`)).json;
      assert.equal(before.status, 'revoked');
      assert.equal(before.supersededBy, neu.id);
      assert.equal(neu.supersedes, old.id);
      assert.notEqual(neu.sealCode, old.sealCode, 're-issue gets a new seal code');
      // A second re-issue of the revoked seal is refused at submission.
      assert.equal((await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'reissue', targetSealId: seals.finance })).status, 409);
      await applyAndApprove({ kind: 'revoke', targetSealId: seals.contract });
      const crlRes = await w.h.platform.app.inject({ method: 'GET', url: '/api/v1/public/crl' });
      assert.equal(crlRes.headers['content-type'], 'application/pkix-crl');
      const crl = parseCrl(new Uint8Array(crlRes.rawPayload));
      const contract = (await w.aAdmin.get(`/api/v1/seals/${seals.contract}`)).json;
      const serials = [...crl.revoked.keys()];
      assert.ok(serials.includes(old.certSerial) && serials.includes(contract.certSerial));
      const pub = (await w.anon.get(`/api/v1/public/seals/${contract.esId}`)).json;
      assert.equal(pub.status, 'revoked');
      assert.equal(pub.valid, false);
      seals.finance = neu.id;
      await w.aAdmin.post(`/api/v1/seals/${neu.id}/confirm`);
    });

    test('suspend and reactivate by application; dormancy after a simulated year (广东 第十二条); reminders; renewal in the window; expiry', async () => {
      assert.equal((await w.aMember.post(`/api/v1/seals/${seals.invoice}/suspend`, { reason: '保管人离职' })).status, 403);
      assert.equal((await w.aAdmin.post(`/api/v1/seals/${seals.invoice}/suspend`, { reason: '保管人离职' })).json.status, 'suspended');
      await applyAndApprove({ kind: 'reactivate', targetSealId: seals.invoice });
      assert.equal((await w.aAdmin.get(`/api/v1/seals/${seals.invoice}`)).json.status, 'active');

      await advanceDays(w, 366, active());
      assert.equal((await w.aAdmin.post('/api/v1/jobs/run')).status, 403);
      const run1 = await w.security.post('/api/v1/jobs/run');
      assert.equal(run1.status, 200);
      assert.equal(run1.json.crlIssued, true, 'a stale CRL is replaced');
      const crlNow = parseCrl(new Uint8Array((await w.h.platform.app.inject({ method: 'GET', url: '/api/v1/public/crl' })).rawPayload));
      assert.ok(crlNow.nextUpdate!.getTime() > w.h.clock.t, 'published CRL is current');
      assert.ok(run1.json.suspended >= 4, JSON.stringify(run1.json));
      const legal = (await w.aAdmin.get(`/api/v1/seals/${seals.legal_name}`)).json;
      assert.equal(legal.status, 'suspended');
      assert.equal(legal.history.at(-1).event, 'dormant');
      assert.equal((await w.security.post('/api/v1/jobs/run')).json.suspended, 0, 'second run does nothing');
      await applyAndApprove({ kind: 'reactivate', targetSealId: seals.legal_name });

      await advanceDays(w, 706 - 366, active());
      const run2 = (await w.security.post('/api/v1/jobs/run')).json;
      assert.ok(run2.reminded >= 1);
      assert.equal((await w.security.post('/api/v1/jobs/run')).json.reminded, 0, 'one reminder per seal');
      const notes = (await w.aAdmin.get('/api/v1/notifications')).json.items as { kind: string; data: { sealId: string } }[];
      assert.ok(notes.some((n) => n.kind === 'seal.renewal_reminder' && n.data.sealId === seals.legal_name));

      const r = await applyAndApprove({ kind: 'renew', targetSealId: seals.legal_name });
      const renewed = (await w.aAdmin.get(`/api/v1/seals/${r.sealIds[0]}`)).json;
      const old = (await w.aAdmin.get(`/api/v1/seals/${seals.legal_name}`)).json;
      assert.equal(renewed.sealCode, old.sealCode, 'renewal keeps the seal code');
      assert.equal(renewed.esId, old.sealCode + '02');
      assert.equal(old.supersededBy, renewed.id);
      assert.equal((await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'renew', targetSealId: seals.legal_name })).status, 201, 'submission allowed');
      await w.aAdmin.post(`/api/v1/seals/${renewed.id}/confirm`);

      await advanceDays(w, 30, active());
      const run3 = (await w.security.post('/api/v1/jobs/run')).json;
      assert.ok(run3.expired >= 1);
      const pubOld = (await w.anon.get(`/api/v1/public/seals/${old.esId}`)).json;
      assert.equal(pubOld.status, 'expired');
      const pubCode = (await w.anon.get(`/api/v1/public/seals/${old.sealCode}`)).json;
      assert.equal(pubCode.esId, renewed.esId, 'seal code resolves to the current generation');
      assert.equal(pubCode.status, 'active');
      assert.deepEqual(pubCode.generations.map((g: { status: string }) => g.status), ['expired', 'active']);
    });

    test('filing outbox: directory adapter wrote one file per event; seals show filed; audit log verifies', async () => {
      await w.security.post('/api/v1/jobs/run');
      const dir = join(w.h.dir, 'filing', 'public_security');
      const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      const rows = await w.h.platform.ctx.db.selectFrom('filing_outbox').selectAll().execute();
      assert.equal(files.length, rows.length);
      assert.ok(rows.every((r) => r.status === 'done'));
      const one = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as { esId: string; event: string };
      assert.ok(one.esId && one.event);
      const s = (await w.aAdmin.get(`/api/v1/seals/${seals.invoice}`)).json;
      assert.equal(s.filingStatus, 'filed');
      const exp = await w.auditor.get('/api/v1/audit/export');
      const { verifyAudit } = await import('../src/index.js');
      const v = await verifyAudit(exp.json);
      assert.equal(v.ok, true, JSON.stringify(v.divergence));
      assert.ok(v.headsChecked >= 1);
    });

    test('deregistering the organisation revokes all its live seals at once; no new applications except revocation', async () => {
      const fresh = await applyAndApprove({ kind: 'issue', seals: [{ kind: 'legal_name', name: '遂平甲公司' }, { kind: 'audit', name: '遂平甲公司审验专用章' }] });
      await w.aAdmin.post(`/api/v1/seals/${fresh.sealIds[0]}/confirm`);
      const live = (await w.aAdmin.get(`/api/v1/seals?orgId=${w.orgA.id}&limit=100`)).json.items.filter((s: { status: string }) => ['active', 'suspended', 'pending_confirmation'].includes(s.status));
      assert.ok(live.length >= 3, JSON.stringify(live));
      assert.equal((await w.aAdmin.post(`/api/v1/organisations/${w.orgA.id}/deregister`)).status, 403);
      const r = await w.admin.post(`/api/v1/organisations/${w.orgA.id}/deregister`);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.json.status, 'deregistered');
      assert.deepEqual([...r.json.revokedSealIds].sort(), live.map((s: { id: string }) => s.id).sort());
      for (const s of live) assert.equal((await w.anon.get(`/api/v1/public/seals/${s.esId}`)).json.status, 'revoked');
      const again = await w.aAdmin.post('/api/v1/applications', { orgId: w.orgA.id, kind: 'issue', seals: [{ kind: 'legal_name', name: 'x' }] });
      assert.equal(again.status, 409);
      assert.equal((await w.admin.post(`/api/v1/organisations/${w.orgA.id}/deregister`)).status, 409);
    });

    test('RFC 3161 time-stamps from the platform TSA verify against the platform CA; garbage gets a rejection', async () => {
      const data = new TextEncoder().encode('合同正文');
      const req = createTimestampRequest({ data, hashAlgorithm: 'sm3', certReq: true });
      const r = await w.h.platform.app.inject({ method: 'POST', url: '/api/v1/public/tsa', headers: { 'content-type': 'application/timestamp-query' }, payload: Buffer.from(req.der) });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/timestamp-reply');
      const v = await verifyTimestampToken(new Uint8Array(r.rawPayload), { data, nonce: req.nonce!, trustAnchors: [parseCertificate(caDer)] });
      assert.equal(v.valid, true, v.problems.join('; '));
      assert.equal(v.genTime?.getTime(), Math.floor(w.h.clock.t / 1000) * 1000);
      const bad = await w.h.platform.app.inject({ method: 'POST', url: '/api/v1/public/tsa', headers: { 'content-type': 'application/timestamp-query' }, payload: Buffer.from('garbage') });
      assert.equal(bad.statusCode, 200);
      assert.notEqual(parseTimestampResponse(new Uint8Array(bad.rawPayload)).status, 'granted');
      const huge = await w.h.platform.app.inject({ method: 'POST', url: '/api/v1/public/tsa', headers: { 'content-type': 'application/timestamp-query' }, payload: Buffer.alloc(20_000) });
      assert.equal(huge.statusCode, 400);
    });
  });
}
