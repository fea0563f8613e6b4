/**
 * An internal certification authority behind two seams: `CaStore` (where certificates, revocations and CRL numbers
 * live — a directory for the CLI, the platform's database elsewhere) and a gm `Signer` for the CA key (a PEM file
 * for the CLI, the platform's keystore or an HSM elsewhere). No Node-only imports here.
 */
import { ErrorCode, YzError, bytesEqual } from '@yinzhang/gm/portable';
import type { PublicKey, Signer } from '@yinzhang/gm';
import { parseCertificate, type Certificate } from './certificate.js';
import { issueCrl, type Crl, type RevocationReason, REVOCATION_REASONS } from './crl.js';
import { issueCertificate, publicKeySpkiOf, type CertificateProfile } from './issue.js';
import type { Name } from './name.js';

export interface IssuedRecord {
  serialHex: string;
  profile: CertificateProfile;
  subject: string;
  notAfter: Date;
  issuedAt: Date;
  der: Uint8Array;
}

export interface RevocationRecord {
  serialHex: string;
  revocationDate: Date;
  reason?: RevocationReason;
}

export interface CaSettings {
  /** CRL distribution point URIs written into every issued (non-root) certificate. */
  crlDistributionPoints: string[];
  /** CRL validity (nextUpdate − thisUpdate), in hours. */
  crlValidityHours: number;
}

export const DEFAULT_CA_SETTINGS: CaSettings = { crlDistributionPoints: [], crlValidityHours: 7 * 24 };

/** Persistence for one CA. Implementations must make `nextCrlNumber` monotonic and `saveRevocation` idempotent. */
export interface CaStore {
  loadCaCertificate(): Promise<Uint8Array | undefined>;
  saveCaCertificate(der: Uint8Array): Promise<void>;
  loadSettings(): Promise<CaSettings>;
  saveSettings(settings: CaSettings): Promise<void>;
  saveIssued(record: IssuedRecord): Promise<void>;
  findIssued(serialHex: string): Promise<IssuedRecord | undefined>;
  saveRevocation(record: RevocationRecord): Promise<void>;
  listRevocations(): Promise<RevocationRecord[]>;
  /** Returns the next CRL number (1, 2, …) and remembers it. */
  nextCrlNumber(): Promise<bigint>;
  saveCrl(der: Uint8Array): Promise<void>;
}

export interface IssueOptions {
  profile: Exclude<CertificateProfile, 'root'>;
  subject: string | Name;
  publicKey: PublicKey | Uint8Array;
  days?: number;
  notBefore?: Date;
  notAfter?: Date;
  organizationCode?: string;
  identifyCode?: string;
}

/** Strips leading zeros and lower-cases a serial given by a user ("0A1B", "0x0a1b", "0a:1b"). */
export function normaliseSerialHex(s: string): string {
  const h = s.trim().replace(/^0x/i, '').replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(h)) throw new YzError(ErrorCode.INVALID_ARGUMENT, `not a hexadecimal serial number: "${s}"`);
  const t = h.replace(/^0+(?=.)/, '');
  return t.length % 2 ? '0' + t : t;
}

export class CertificateAuthority {
  private constructor(
    readonly store: CaStore,
    readonly signer: Signer,
    readonly certificate: Certificate,
  ) {}

  /** Creates a self-signed root in an empty store. */
  static async init(opts: { store: CaStore; signer: Signer; subject: string; days?: number; settings?: Partial<CaSettings> }): Promise<CertificateAuthority> {
    if (await opts.store.loadCaCertificate()) throw new YzError(ErrorCode.CA_EXISTS, 'this CA store already holds a CA');
    const cert = await issueCertificate({ profile: 'root', subject: opts.subject, issuer: { signer: opts.signer }, days: opts.days ?? 3650 });
    await opts.store.saveSettings({ ...DEFAULT_CA_SETTINGS, ...opts.settings });
    await opts.store.saveCaCertificate(cert.der);
    return new CertificateAuthority(opts.store, opts.signer, cert);
  }

  /** Opens an existing CA; the signer must hold the key of the CA certificate. */
  static async open(store: CaStore, signer: Signer): Promise<CertificateAuthority> {
    const der = await store.loadCaCertificate();
    if (!der) throw new YzError(ErrorCode.CA_NOT_INITIALISED, 'no CA in this store (run `yinzhang ca init` first)');
    const cert = parseCertificate(der);
    if (!bytesEqual(publicKeySpkiOf(signer.publicKey), cert.spki)) throw new YzError(ErrorCode.ALGORITHM_KEY_MISMATCH, 'the CA key does not match the CA certificate');
    return new CertificateAuthority(store, signer, cert);
  }

  async issue(opts: IssueOptions): Promise<Certificate> {
    const settings = await this.store.loadSettings();
    const cert = await issueCertificate({
      profile: opts.profile,
      subject: opts.subject,
      publicKey: opts.publicKey,
      issuer: { certificate: this.certificate, signer: this.signer },
      crlDistributionPoints: settings.crlDistributionPoints,
      ...(opts.days !== undefined ? { days: opts.days } : {}),
      ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
      ...(opts.notAfter ? { notAfter: opts.notAfter } : {}),
      ...(opts.organizationCode ? { organizationCode: opts.organizationCode } : {}),
      ...(opts.identifyCode ? { identifyCode: opts.identifyCode } : {}),
    });
    await this.store.saveIssued({ serialHex: cert.serialHex, profile: opts.profile, subject: cert.subject.toString(), notAfter: cert.notAfter, issuedAt: new Date(), der: cert.der });
    return cert;
  }

  /** Revokes a certificate this CA issued. Revoking twice keeps the first record. */
  async revoke(serial: string, reason: RevocationReason = 'unspecified', at: Date = new Date()): Promise<RevocationRecord> {
    const serialHex = normaliseSerialHex(serial);
    if (!(reason in REVOCATION_REASONS) || reason === 'removeFromCRL') throw new YzError(ErrorCode.INVALID_ARGUMENT, `unknown revocation reason ${reason}`);
    if (!(await this.store.findIssued(serialHex))) throw new YzError(ErrorCode.CERT_NOT_FOUND, `this CA issued no certificate with serial ${serialHex}`);
    const existing = (await this.store.listRevocations()).find((r) => r.serialHex === serialHex);
    if (existing) return existing;
    const rec: RevocationRecord = { serialHex, revocationDate: new Date(Math.floor(at.getTime() / 1000) * 1000), ...(reason !== 'unspecified' ? { reason } : {}) };
    await this.store.saveRevocation(rec);
    return rec;
  }

  /** Issues the next CRL (number from the store) covering every revocation so far. */
  async issueCrl(now: Date = new Date()): Promise<Crl> {
    const settings = await this.store.loadSettings();
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const crl = await issueCrl({
      issuer: { certificate: this.certificate, signer: this.signer },
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + settings.crlValidityHours * 3_600_000),
      crlNumber: await this.store.nextCrlNumber(),
      revoked: await this.store.listRevocations(),
    });
    await this.store.saveCrl(crl.der);
    return crl;
  }
}
