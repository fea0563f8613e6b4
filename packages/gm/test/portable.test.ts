import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { build } from 'esbuild';
import { Sm2PrivateKey, sm2Sign, toHex } from '@yinzhang/gm';

const entry = new URL('../src/portable.ts', import.meta.url).pathname;

test('the portable entry bundles for the browser (no Node-only import on the verification path)', async () => {
  const out = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'iife', globalName: 'gm', write: false, logLevel: 'silent' });
  assert.equal(out.errors.length, 0);
  assert.doesNotMatch(out.outputFiles[0]!.text, /require\("node:|from "node:/);
});

test('SM2 verification runs in a bare JS context through a caller-supplied provider', async () => {
  const out = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'iife', globalName: 'gm', write: false, logLevel: 'silent' });
  const key = Sm2PrivateKey.generate();
  const msg = new TextEncoder().encode('verify me in a browser');
  const sig = sm2Sign(key, msg);
  let digests = 0;
  // A sandbox with only what a browser has (no require, no process, no Buffer); the host supplies SM3 as a
  // browser provider would (e.g. from a JS SM3).
  const sandbox = {
    TextEncoder, TextDecoder, atob, btoa, crypto: { getRandomValues: (a: Uint8Array) => globalThis.crypto.getRandomValues(a) },
    hostDigest: (alg: string, data: Uint8Array) => {
      digests++;
      return Array.from(createHash(alg).update(data).digest());
    },
    // plain arrays: typed arrays from this realm would fail instanceof checks inside the sandbox's realm
    spki: Array.from(key.publicKey.toSpkiDer()), msg: Array.from(msg), sig: Array.from(sig), result: undefined as unknown,
  };
  vm.createContext(sandbox);
  vm.runInContext(`${out.outputFiles[0]!.text}
    gm.setCryptoProvider({ name: 'sandbox', digest: (a, d) => new Uint8Array(hostDigest(a, d)), verify: async () => { throw new Error('unused'); } });
    const pub = gm.importSm2PublicKey(new Uint8Array(spki));
    const m = new Uint8Array(msg), s = new Uint8Array(sig);
    result = [gm.sm2Verify(pub, m, s), gm.sm2Verify(pub, new TextEncoder().encode('tampered'), s), typeof require, typeof process].join(',');`, sandbox);
  assert.equal(sandbox.result, 'true,false,undefined,undefined');
  assert.ok(digests >= 2, 'digests went through the provider');
  assert.equal(toHex(key.publicKey.raw).length, 130);
});
