/**
 * Seal production (制章): a fresh SM2 key in the keystore, a signer certificate from the platform CA whose validity
 * is the seal's, the impression (generated, or an uploaded one with its comparison score), a seal code, and the
 * GB/T 38540 V4 SESeal signed by the platform's seal maker. The seal starts `pending_confirmation`: the applicant
 * confirms it before it becomes active (广东 第十条).
 */
import { YzError, createSigner, fromBase64, toBase64 } from '@yinzhang/gm';
import { CertificateAuthority, DEFAULT_CA_SETTINGS, issueCertificate } from '@yinzhang/pki';
import { buildSeal } from '@yinzhang/ses';
import { change, type Change, type Ctx } from '../context.js';
import type { OrganisationTable, Q, SealTable } from '../db/schema.js';
import { DbCaStore } from '../ca-store.js';
import { addDays, iso, newId } from '../util.js';
import { revealIdNumber } from './persons.js';
import { getBlob, putBlob } from './blob-store.js';
import { sealClass, sesType, type SealRequest } from './seal-kinds.js';
import { enqueueFiling, sealEvent } from './lifecycle.js';
import { notify } from './notifications.js';
import { importImpression, renderImpression, requireMatch, type Impression } from './picture.js';

export const SEAL_VALIDITY_DAYS = 730;
export const VID = 'yinzhang';

async function setting(q: Q, name: string): Promise<string | undefined> {
  return (await q.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

async function lockRow(ctx: Ctx, q: Q, name: string): Promise<void> {
  // Serialises CA-wide counters (CRL numbers, seal codes) across instances; SQLite has one writer anyway.
  if (ctx.dialect === 'postgres') await q.selectFrom('settings').select('name').where('name', '=', name).forUpdate().execute();
}

export async function openCa(ctx: Ctx, c: { tx: Q; at: string }): Promise<CertificateAuthority> {
  const keyId = await setting(c.tx, 'ca_key_id');
  if (!keyId) throw new YzError('PRODUCTION_UNAVAILABLE', 'the platform CA is not initialised');
  return CertificateAuthority.open(new DbCaStore(c.tx, () => c.at), await ctx.keystore.signer(c.tx, keyId));
}

/** First start: platform CA, seal-maker and TSA certificates and keys (once, even with two instances starting). */
export async function bootstrapPki(ctx: Ctx): Promise<void> {
  if (await setting(ctx.db, 'ca_key_id')) return;
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('settings').values({ name: 'ca_key_id', value: 'pending' }).execute();
      const at = iso(ctx.clock.now());
      const store = new DbCaStore(tx, () => at);
      const { ref: caRef, key: caKey } = await ctx.keystore.generate(tx, 'ca');
      const caSigner = createSigner(caKey);
      // Issued here rather than by CertificateAuthority.init so that validity follows the platform clock.
      const now = ctx.clock.now();
      const root = await issueCertificate({ profile: 'root', subject: 'CN=yinzhang 电子印章平台根CA,O=yinzhang,C=CN', issuer: { signer: caSigner }, notBefore: now, days: 3650 });
      await store.saveSettings(DEFAULT_CA_SETTINGS);
      await store.saveCaCertificate(root.der);
      const ca = await CertificateAuthority.open(store, caSigner);
      await tx.updateTable('settings').set({ value: caRef.id }).where('name', '=', 'ca_key_id').execute();
      for (const [profile, cn] of [['seal-maker', 'yinzhang 制章者'], ['tsa', 'yinzhang 时间戳服务']] as const) {
        const { ref, key } = await ctx.keystore.generate(tx, profile);
        const cert = await ca.issue({ profile, subject: `CN=${cn},O=yinzhang,C=CN`, publicKey: key.publicKey, notBefore: now, days: 1825 });
        await tx.insertInto('settings').values([{ name: `${profile}_key_id`, value: ref.id }, { name: `${profile}_certificate`, value: toBase64(cert.der) }]).execute();
      }
      await tx.insertInto('settings').values([{ name: 'crl_lock', value: '' }, { name: 'seal_code_lock', value: '' }]).execute();
    });
  } catch (e) {
    if (await setting(ctx.db, 'ca_key_id')) return; // the other instance did it
    throw e;
  }
  // An empty CRL from the start, so relying parties can always fetch one.
  await ctx.db.transaction().execute(async (tx) => {
    const at = iso(ctx.clock.now());
    const ca = await openCa(ctx, { tx, at });
    await lockRow(ctx, tx, 'crl_lock');
    if (!(await tx.selectFrom('crls').select('number').executeTakeFirst())) await ca.issueCrl(ctx.clock.now());
  });
}

export async function revokeCertificate(ctx: Ctx, c: Change, serialHex: string, reason: 'superseded' | 'cessationOfOperation' | 'keyCompromise' | 'affiliationChanged'): Promise<void> {
  const ca = await openCa(ctx, c);
  await lockRow(ctx, c.tx, 'crl_lock');
  await ca.revoke(serialHex, reason, c.now);
  const crl = await ca.issueCrl(c.now);
  await c.audit({ action: 'ca.revoke', objectType: 'certificate', objectId: serialHex, data: { reason, crlNumber: Number(crl.crlNumber ?? 0n) } });
}

/** CRLs are valid for 7 days; a fresh one is issued once the newest is a day old, so relying parties never see a stale one. */
export const CRL_REFRESH_MS = 86_400_000;

export async function refreshCrl(ctx: Ctx): Promise<boolean> {
  return change(ctx, 'system:jobs', async (c) => {
    await lockRow(ctx, c.tx, 'crl_lock');
    const last = await c.tx.selectFrom('crls').select(['created_at']).orderBy('number', 'desc').limit(1).executeTakeFirst();
    if (last && Date.parse(last.created_at) + CRL_REFRESH_MS > c.now.getTime()) return false;
    const crl = await (await openCa(ctx, c)).issueCrl(c.now);
    await c.audit({ action: 'ca.crl', objectType: 'crl', objectId: String(crl.crlNumber ?? ''), data: { nextUpdate: crl.nextUpdate?.toISOString() ?? null } });
    return true;
  });
}

/** 13-digit seal code: the region code and a 7-digit running number within it. */
async function nextSealCode(ctx: Ctx, q: Q, regionCode: string): Promise<string> {
  await lockRow(ctx, q, 'seal_code_lock');
  const name = `seal_seq_${regionCode}`;
  const cur = Number((await setting(q, name)) ?? '0') + 1;
  if (cur === 1) await q.insertInto('settings').values({ name, value: '1' }).execute();
  else await q.updateTable('settings').set({ value: String(cur) }).where('name', '=', name).execute();
  return regionCode + String(cur).padStart(7, '0');
}

const dnValue = (s: string): string => s.replace(/[,=+<>#;"\\/]/g, ' ').trim() || '-';

export interface ProduceInput { org: OrganisationTable; request: SealRequest; applicationId: string; actor: string; supersedes?: SealTable; renewal?: boolean }

export async function produceSeal(ctx: Ctx, c: Change, input: ProduceInput): Promise<string> {
  const { org, request, supersedes } = input;
  const ca = await openCa(ctx, c);
  const makerKeyId = await setting(c.tx, 'seal-maker_key_id');
  const makerCert = await setting(c.tx, 'seal-maker_certificate');
  if (!makerKeyId || !makerCert) throw new YzError('PRODUCTION_UNAVAILABLE', 'no seal-maker certificate');
  const personal = sealClass(request.kind) !== 'official';
  let identifyCode: string | undefined;
  if (personal && request.holderPersonId) {
    const person = await c.tx.selectFrom('persons').select(['id', 'id_enc']).where('id', '=', request.holderPersonId).executeTakeFirst();
    if (person) identifyCode = revealIdNumber(ctx, person);
  }
  // A renewal keeps the seal code (it is the same seal, 信阳 第十一条); a re-issue gets a new one.
  const renewal = supersedes !== undefined && input.renewal === true;
  const sealCode = renewal ? supersedes.seal_code : await nextSealCode(ctx, c.tx, org.region_code);
  const generation = renewal ? Number(supersedes.es_id.slice(-2)) + 1 : 1;
  const esId = sealCode + String(generation).padStart(2, '0');
  const validFrom = new Date(Math.floor(c.now.getTime() / 1000) * 1000);
  const validTo = addDays(validFrom, SEAL_VALIDITY_DAYS);

  const { ref, key } = await ctx.keystore.generate(c.tx, 'seal');
  const cert = await ca.issue({
    profile: 'signer', subject: `CN=${dnValue(request.name)},O=${dnValue(org.name)},C=CN`, publicKey: key.publicKey,
    notBefore: validFrom, notAfter: validTo, ...(personal && identifyCode ? { identifyCode } : { organizationCode: org.uscc }),
  });
  let picture: Impression;
  let source = 'generated';
  let score: number | null = null;
  const spec = { kind: request.kind, name: request.name, sealCode, taxId: org.uscc };
  if (request.impressionMaterialId) {
    const m = await c.tx.selectFrom('materials').select(['sha256', 'content_type']).where('id', '=', request.impressionMaterialId).where('application_id', '=', input.applicationId).executeTakeFirst();
    if (!m || (m.content_type !== 'image/png' && m.content_type !== 'image/jpeg')) throw new YzError('INVALID_ARGUMENT', 'impressionMaterialId must name a PNG/JPEG material of this application');
    const imported = importImpression((await getBlob(ctx, c.tx, m.sha256))!, spec);
    requireMatch(imported);
    picture = imported;
    score = imported.score;
    source = 'uploaded';
  } else {
    picture = renderImpression(spec);
  }
  const makerSigner = await ctx.keystore.signer(c.tx, makerKeyId);
  const seseal = await buildSeal({
    version: 4, vid: VID, esID: esId, type: sesType(request.kind), name: request.name, signerCertificates: [cert.der],
    createDate: validFrom, validStart: validFrom, validEnd: validTo,
    picture: { type: 'png', data: picture.png, widthMm: picture.widthMm, heightMm: picture.heightMm },
    maker: { signer: makerSigner, certificate: fromBase64(makerCert) },
  });
  const imageSha = await putBlob(ctx, c.tx, picture.png);
  const id = newId();
  const row: SealTable = {
    id, es_id: esId, seal_code: sealCode, kind: request.kind, name: request.name, org_id: org.id, holder_person_id: request.holderPersonId ?? null,
    custodian_user_id: null, status: 'pending_confirmation', key_ref: ref.id, cert_serial: cert.serialHex, cert_der: cert.der, seseal,
    image_sha256: imageSha, image_source: source, comparison_score: score, valid_from: iso(validFrom), valid_to: iso(validTo),
    last_used_at: null, supersedes: supersedes?.id ?? null, superseded_by: null, application_id: input.applicationId, filing_status: 'pending',
    created_at: c.at, updated_at: c.at,
  };
  await c.tx.insertInto('seals').values(row).execute();
  await sealEvent(c, id, 'pending_confirmation', 'produce');
  await c.audit({ action: 'seal.produce', objectType: 'seal', objectId: id, data: {
    esId, sealCode, kind: request.kind, orgId: org.id, certSerial: cert.serialHex, keyRef: ref.id, imageSource: source, comparisonScore: score,
    supersedes: supersedes?.id ?? null, validTo: row.valid_to,
  } });
  await enqueueFiling(c, id, 'produced', { esId, sealCode, kind: request.kind, name: request.name, uscc: org.uscc, validFrom: row.valid_from, validTo: row.valid_to });
  await notify(c, { orgId: org.id, kind: 'seal.produced', text: `印章「${request.name}」已制作，请确认后启用`, data: { sealId: id } });
  return id;
}

