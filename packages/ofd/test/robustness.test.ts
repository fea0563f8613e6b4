import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isYzError } from '@yinzhang/gm';
import { verifyOfd, writeZip, ZipArchive } from '../src/index.js';
import { fixture } from './helpers.js';

/** Deterministic PRNG so that a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function neverCrashes(bytes: Uint8Array, what: string): Promise<void> {
  try {
    const r = await verifyOfd(bytes);
    assert.ok(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE', 'NO_SIGNATURE'].includes(r.indication));
  } catch (e) {
    assert.ok(isYzError(e), `${what}: ${String((e as Error)?.stack ?? e)}`);
  }
}

test('corrupted packages and parts give a report or a typed error, never a crash', async () => {
  const rnd = prng(20261124);
  const sources = ['h.ofd', 'n.ofd', 'v4signed.ofd', 'testImageNotFound.ofd'].map((f) => [f, fixture(f)] as const);
  for (const [name, orig] of sources) {
    // Raw bytes of the archive.
    for (let i = 0; i < 40; i++) {
      const b = orig.slice();
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      await neverCrashes(b, `${name} byte mutation ${i}`);
    }
    // Uncompressed XML and DER parts (valid zip, broken content): truncation and byte changes.
    const a = ZipArchive.read(orig);
    const parts = a.entries.filter((e) => !e.isDirectory && /\.(xml|dat|esl)$/i.test(e.name));
    for (let i = 0; i < 40; i++) {
      const victim = parts[Math.floor(rnd() * parts.length)]!;
      const data = a.read(victim.name)!.slice();
      const mutated = rnd() < 0.3 ? data.subarray(0, Math.floor(rnd() * data.length)) : data;
      for (let k = 0; k < 3; k++) mutated[Math.floor(rnd() * mutated.length)] = Math.floor(rnd() * 256);
      const z = writeZip(a.entries.map((e) => (e.name === victim.name ? { name: e.name, data: mutated } : { name: e.name, copy: e })));
      await neverCrashes(z, `${name}: ${victim.name} mutation ${i}`);
    }
  }
});
