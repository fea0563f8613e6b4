import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/**
 * The verification path must run in a browser: every module reachable from the portable entry inside this package
 * imports no `node:` module and only the portable entries of gm and pki (type-only imports aside). A full browser
 * bundle additionally needs @yinzhang/ses to import only portable entries (see the package README).
 */
test('modules reachable from @yinzhang/ofd/portable import nothing Node-only', () => {
  const src = new URL('../src/', import.meta.url);
  const seen = new Set<string>();
  const todo = ['portable.ts'];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(new URL(f, src), 'utf8');
    for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)) {
      const spec = m[3]!;
      if (m[2]) continue;
      assert.doesNotMatch(spec, /^node:/, `${f} imports ${spec}`);
      assert.ok(spec !== '@yinzhang/gm' && spec !== '@yinzhang/pki', `${f} imports the Node entry ${spec}`);
      if (spec.startsWith('./')) todo.push(spec.slice(2).replace(/\.js$/, '.ts'));
    }
  }
  for (const f of ['verify.ts', 'zip.ts', 'xml.ts', 'package.ts', 'sign-cms.ts']) assert.ok(seen.has(f), `${f} reachable`);
  assert.ok(!seen.has('node-codec.ts') && !seen.has('sign-ofd.ts'));
});
