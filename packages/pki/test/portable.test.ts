import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';

const entry = new URL('../src/portable.ts', import.meta.url).pathname;

test('the portable entry (parsing, validation, CMS/TSP verification) bundles for the browser without node: imports', async () => {
  const out = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  assert.equal(out.errors.length, 0);
  const text = out.outputFiles[0]!.text;
  assert.doesNotMatch(text, /require\("node:|from "node:|import\("node:/);
  for (const name of ['parseCertificate', 'validateCertificate', 'verifyCms', 'verifyTimestampToken', 'parseCrl']) assert.match(text, new RegExp(`\\b${name}\\b`));
});
