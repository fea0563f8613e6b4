/**
 * Software keystore (design.md "Keys"): private keys are stored only as SM4-CTR + HMAC-SM3 encrypt-then-MAC boxes
 * under the key-encryption key, bound to their key id; they are unwrapped in memory only to sign.
 * The KEK comes from YINZHANG_KEK (64 hex digits) or a generated 0600 file in the data directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  YzError, boxOpen, boxSeal, createSigner, fromHex, generateKeyPair, hmacSm3, importPrivateKey, publicKeySpki, utf8, type KeygenAlgorithm,
  type PrivateKey, type Signer,
} from '@yinzhang/gm';
import type { Q } from './db/schema.js';
import { iso, newId, type Clock } from './util.js';

export function loadKek(dataDir: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const fromEnv = env.YINZHANG_KEK;
  if (fromEnv) {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv)) throw new YzError('INVALID_ARGUMENT', 'YINZHANG_KEK must be 64 hex digits (32 bytes)');
    return fromHex(fromEnv);
  }
  const file = join(dataDir, 'kek');
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new YzError('INVALID_ARGUMENT', `${file} is not a 32-byte hex key`);
    return fromHex(hex);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const kek = new Uint8Array(randomBytes(32));
  writeFileSync(file, Buffer.from(kek).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return kek;
}

/** Purpose-separated subkeys so the KEK itself never encrypts data other than keys. */
export const deriveKey = (kek: Uint8Array, purpose: string): Uint8Array => hmacSm3(kek, utf8(`yinzhang/${purpose}`));

export interface KeyRef { id: string; publicSpki: Uint8Array }

export class SoftwareKeystore {
  private readonly wrapKey: Uint8Array;
  constructor(kek: Uint8Array, private readonly clock: Clock) {
    this.wrapKey = deriveKey(kek, 'keystore');
  }

  async generate(q: Q, purpose: string, alg: KeygenAlgorithm = 'sm2'): Promise<{ ref: KeyRef; key: PrivateKey }> {
    const key = generateKeyPair(alg);
    return { ref: await this.store(q, purpose, key, alg === 'sm2' ? 'sm2' : alg), key };
  }

  async store(q: Q, purpose: string, key: PrivateKey, algorithm: string): Promise<KeyRef> {
    const id = newId();
    const pkcs8 = key.toPkcs8Der();
    const publicSpki = publicKeySpki(key.publicKey);
    await q.insertInto('keys').values({
      id, algorithm, purpose, wrapped: boxSeal(this.wrapKey, pkcs8, utf8(id)), public_spki: publicSpki, created_at: iso(this.clock.now()),
    }).execute();
    pkcs8.fill(0);
    return { id, publicSpki };
  }

  async load(q: Q, id: string): Promise<PrivateKey> {
    const row = await q.selectFrom('keys').select(['wrapped']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new YzError('NOT_FOUND', `key ${id} not in the keystore`);
    const der = boxOpen(this.wrapKey, new Uint8Array(row.wrapped), utf8(id));
    try {
      return importPrivateKey(der);
    } finally {
      der.fill(0);
    }
  }

  async signer(q: Q, id: string): Promise<Signer> {
    return createSigner(await this.load(q, id));
  }
}
