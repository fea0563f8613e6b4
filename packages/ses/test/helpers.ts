import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { createSigner, type Signer } from '@yinzhang/gm';
import { parsePkcs12 } from '@yinzhang/pki';

export const OFDRW = '/work/shared/interop/ofdrw/';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(OFDRW + name));
}

/** The entries of an OFD (a zip) by path. */
export function ofdEntries(name: string): Record<string, Uint8Array> {
  return unzipSync(fixture(name));
}

export interface TestIdentity {
  signer: Signer;
  certificate: Uint8Array;
  chain: Uint8Array[];
}

/** The ofdrw test PKI: ROOT (pw 123456), USER and SealBuilder (pw 777777). */
const identities = new Map<string, TestIdentity>();

export function identity(name: 'ROOT' | 'USER' | 'SealBuilder'): TestIdentity {
  const cached = identities.get(name);
  if (cached) return cached;
  const p12 = parsePkcs12(fixture(`${name}.p12`), name === 'ROOT' ? '123456' : '777777');
  const id = { signer: createSigner(p12.privateKey), certificate: p12.certificate.der, chain: p12.chain.map((c) => c.der) };
  identities.set(name, id);
  return id;
}

/** A small valid PNG (1×1), enough for a seal picture. */
export const PNG_1x1 = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
);
