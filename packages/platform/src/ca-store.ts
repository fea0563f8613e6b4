/**
 * The platform CA's `CaStore` (from @yinzhang/pki) over the platform database, bound to one transaction so that a
 * certificate, its seal and the audit event commit together.
 */
import type { CaSettings, CaStore, IssuedRecord, RevocationRecord, CertificateProfile, RevocationReason } from '@yinzhang/pki';
import { fromBase64, toBase64 } from '@yinzhang/gm';
import type { Q } from './db/schema.js';

export class DbCaStore implements CaStore {
  private pendingCrlNumber: number | undefined;
  constructor(private readonly q: Q, private readonly at: () => string) {}

  async loadCaCertificate(): Promise<Uint8Array | undefined> {
    const r = await this.q.selectFrom('settings').select('value').where('name', '=', 'ca_certificate').executeTakeFirst();
    return r ? fromBase64(r.value) : undefined;
  }
  async saveCaCertificate(der: Uint8Array): Promise<void> {
    await this.q.insertInto('settings').values({ name: 'ca_certificate', value: toBase64(der) }).execute();
  }
  async loadSettings(): Promise<CaSettings> {
    const r = await this.q.selectFrom('settings').select('value').where('name', '=', 'ca_settings').executeTakeFirst();
    return r ? (JSON.parse(r.value) as CaSettings) : { crlDistributionPoints: [], crlValidityHours: 7 * 24 };
  }
  async saveSettings(s: CaSettings): Promise<void> {
    await this.q.deleteFrom('settings').where('name', '=', 'ca_settings').execute();
    await this.q.insertInto('settings').values({ name: 'ca_settings', value: JSON.stringify(s) }).execute();
  }
  async saveIssued(r: IssuedRecord): Promise<void> {
    await this.q.insertInto('ca_issued').values({
      serial_hex: r.serialHex, profile: r.profile, subject: r.subject, not_after: r.notAfter.toISOString(), issued_at: this.at(), der: r.der,
    }).execute();
  }
  async findIssued(serialHex: string): Promise<IssuedRecord | undefined> {
    const r = await this.q.selectFrom('ca_issued').selectAll().where('serial_hex', '=', serialHex).executeTakeFirst();
    return r ? { serialHex: r.serial_hex, profile: r.profile as CertificateProfile, subject: r.subject, notAfter: new Date(r.not_after), issuedAt: new Date(r.issued_at), der: new Uint8Array(r.der) } : undefined;
  }
  async saveRevocation(r: RevocationRecord): Promise<void> {
    const exists = await this.q.selectFrom('ca_revocations').select('serial_hex').where('serial_hex', '=', r.serialHex).executeTakeFirst();
    if (!exists) await this.q.insertInto('ca_revocations').values({ serial_hex: r.serialHex, revocation_date: r.revocationDate.toISOString(), reason: r.reason ?? null }).execute();
  }
  async listRevocations(): Promise<RevocationRecord[]> {
    const rows = await this.q.selectFrom('ca_revocations').selectAll().orderBy('revocation_date').execute();
    return rows.map((r) => ({ serialHex: r.serial_hex, revocationDate: new Date(r.revocation_date), ...(r.reason ? { reason: r.reason as RevocationReason } : {}) }));
  }
  async nextCrlNumber(): Promise<bigint> {
    const r = await this.q.selectFrom('crls').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
    this.pendingCrlNumber = Number(r?.n ?? 0) + 1;
    return BigInt(this.pendingCrlNumber);
  }
  async saveCrl(der: Uint8Array): Promise<void> {
    if (this.pendingCrlNumber === undefined) await this.nextCrlNumber();
    await this.q.insertInto('crls').values({ number: this.pendingCrlNumber!, der, created_at: this.at() }).execute();
    this.pendingCrlNumber = undefined;
  }
}
