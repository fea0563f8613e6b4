#!/usr/bin/env node
// Runs every packages/*/bench/*.bench.ts in turn (one process each, so one benchmark's heap does not skew the next).
// Benchmarks print their own ratios against a reference measured in the same run (e.g. `openssl speed`).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
let failed = 0;
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.bench.ts')).sort()) {
    const path = join('packages', pkg, 'bench', f);
    if (filters.length && !filters.some((x) => path.includes(x))) continue;
    console.log(`\n## ${path}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
