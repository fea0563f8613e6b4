/**
 * The CLI's CA store: one directory per CA.
 *   ca.json (settings), ca.pem, ca-key.pem (PKCS#8, mode 0600), issued/<serial>.pem + .json, revoked.json,
 *   crlnumber, crl.pem (latest CRL).
 * Writes go through a temporary file and rename; a lock directory serialises concurrent CLI runs. Node-only.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, YzError, createSigner, importPrivateKey, pemDecode, pemEncode, type PrivateKey, type Signer } from '@yinzhang/gm';
import { DEFAULT_CA_SETTINGS, normaliseSerialHex, type CaSettings, type CaStore, type IssuedRecord, type RevocationRecord } from './ca.js';
import { type RevocationReason } from './crl.js';

function ioError(path: string, e: unknown): YzError {
  return new YzError(ErrorCode.FILE_UNREADABLE, `cannot access ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { path });
}

export class DirectoryCaStore implements CaStore {
  constructor(readonly dir: string) {}

  private p(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  private read(name: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(this.p(name)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw ioError(this.p(name), e);
    }
  }

  private write(name: string, data: Uint8Array | string, secret = false): void {
    const path = this.p(name);
    const tmp = `${path}.tmp-${process.pid}`;
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(tmp, data, { mode: secret ? 0o600 : 0o644 });
      renameSync(tmp, path);
    } catch (e) {
      throw ioError(path, e);
    }
  }

  private readJson<T>(name: string): T | undefined {
    const b = this.read(name);
    if (!b) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(b)) as T;
    } catch (e) {
      throw new YzError(ErrorCode.FILE_UNREADABLE, `${this.p(name)} is not valid JSON`, undefined, { cause: e });
    }
  }

  /** Runs `fn` holding the directory lock (a lock directory; stale after 30 s). */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const lock = this.p('.lock');
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw ioError(this.dir, e);
    }
    for (let i = 0; ; i++) {
      try {
        mkdirSync(lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(lock, e);
        try {
          if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { recursive: true, force: true });
        } catch {
          // raced with the owner removing it
        }
        if (i > 200) throw new YzError(ErrorCode.FILE_UNREADABLE, `CA directory ${this.dir} is locked by another process`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      return await fn();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }

  exists(): boolean {
    return existsSync(this.p('ca.pem'));
  }

  async loadCaCertificate(): Promise<Uint8Array | undefined> {
    const b = this.read('ca.pem');
    return b ? pemDecode(b, ['CERTIFICATE']).der : undefined;
  }

  async saveCaCertificate(der: Uint8Array): Promise<void> {
    this.write('ca.pem', pemEncode('CERTIFICATE', der));
  }

  async loadSettings(): Promise<CaSettings> {
    return { ...DEFAULT_CA_SETTINGS, ...this.readJson<Partial<CaSettings>>('ca.json') };
  }

  async saveSettings(settings: CaSettings): Promise<void> {
    this.write('ca.json', JSON.stringify({ format: 1, ...settings }, null, 2) + '\n');
  }

  async saveIssued(r: IssuedRecord): Promise<void> {
    this.write(join('issued', `${r.serialHex}.pem`), pemEncode('CERTIFICATE', r.der));
    const meta = { serialHex: r.serialHex, profile: r.profile, subject: r.subject, notAfter: r.notAfter.toISOString(), issuedAt: r.issuedAt.toISOString() };
    this.write(join('issued', `${r.serialHex}.json`), JSON.stringify(meta, null, 2) + '\n');
  }

  async findIssued(serialHex: string): Promise<IssuedRecord | undefined> {
    const s = normaliseSerialHex(serialHex);
    const meta = this.readJson<{ profile: IssuedRecord['profile']; subject: string; notAfter: string; issuedAt: string }>(join('issued', `${s}.json`));
    const pem = this.read(join('issued', `${s}.pem`));
    if (!meta || !pem) return undefined;
    return { serialHex: s, profile: meta.profile, subject: meta.subject, notAfter: new Date(meta.notAfter), issuedAt: new Date(meta.issuedAt), der: pemDecode(pem, ['CERTIFICATE']).der };
  }

  async saveRevocation(r: RevocationRecord): Promise<void> {
    const list = await this.listRevocations();
    if (list.some((x) => x.serialHex === r.serialHex)) return;
    list.push(r);
    this.write('revoked.json', JSON.stringify(list.map((x) => ({ ...x, revocationDate: x.revocationDate.toISOString() })), null, 2) + '\n');
  }

  async listRevocations(): Promise<RevocationRecord[]> {
    const raw = this.readJson<{ serialHex: string; revocationDate: string; reason?: RevocationReason }[]>('revoked.json') ?? [];
    return raw.map((x) => ({ serialHex: x.serialHex, revocationDate: new Date(x.revocationDate), ...(x.reason ? { reason: x.reason } : {}) }));
  }

  async nextCrlNumber(): Promise<bigint> {
    const b = this.read('crlnumber');
    const n = b ? BigInt(new TextDecoder().decode(b).trim() || '0') + 1n : 1n;
    this.write('crlnumber', n.toString() + '\n');
    return n;
  }

  async saveCrl(der: Uint8Array): Promise<void> {
    this.write('crl.pem', pemEncode('X509 CRL', der));
  }

  /** The CA private key file (PKCS#8 PEM, 0600). */
  saveCaKey(key: PrivateKey): void {
    this.write('ca-key.pem', key.toPem(), true);
  }

  loadCaSigner(): Signer {
    const b = this.read('ca-key.pem');
    if (!b) throw new YzError(ErrorCode.CA_NOT_INITIALISED, `no CA key in ${this.dir}`);
    return createSigner(importPrivateKey(b));
  }
}
