/** The parse and verify path must stay browser-safe: no Node-only module, gm only through its portable entry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const SRC = new URL('../src/', import.meta.url);
// build.ts signs (Node-side by design); index.ts re-exports it.
const NODE_SIDE = new Set(['build.ts', 'index.ts']);

test('parse/verify modules import neither node:* nor the Node entry of @yinzhang/gm', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.ts') && !NODE_SIDE.has(f));
  assert.ok(files.includes('verify.ts') && files.includes('parse.ts'));
  for (const f of files) {
    const text = readFileSync(new URL(f, SRC), 'utf8');
    const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    for (const i of imports) {
      assert.ok(!i.startsWith('node:'), `${f} imports ${i}`);
      assert.notEqual(i, '@yinzhang/gm', `${f} imports the Node entry of @yinzhang/gm`);
    }
  }
});
