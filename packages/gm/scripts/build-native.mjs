#!/usr/bin/env node
// Builds the optional SM2 addon (native/sm2_addon.c) against the OpenSSL that Node ships.
// Never fails the install: without the addon, @yinzhang/gm uses its pure-JS SM2 (slower, same results).
// Set YINZHANG_NO_NATIVE=1 to skip the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const here = join(dirname(new URL(import.meta.url).pathname), '..');
if (process.env.YINZHANG_NO_NATIVE === '1') {
  console.log('[@yinzhang/gm] YINZHANG_NO_NATIVE=1: skipping the SM2 addon (pure JS will be used)');
  process.exit(0);
}
// npm puts its bundled node-gyp on PATH for lifecycle scripts; fall back to npm's own copy otherwise.
// Offline machines: point node-gyp at the headers installed beside node instead of downloading them.
const prefix = join(dirname(process.execPath), '..');
const gypArgs = ['rebuild'];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) gypArgs.push(`--nodedir=${prefix}`);
const candidates = [['node-gyp', gypArgs]];
const npmGyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
if (existsSync(npmGyp)) candidates.push([process.execPath, [npmGyp, ...gypArgs]]);
for (const [cmd, args] of candidates) {
  const r = spawnSync(cmd, args, { cwd: here, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status === 0 && existsSync(join(here, 'build', 'Release', 'yinzhang_sm2.node'))) {
    console.log('[@yinzhang/gm] SM2 addon built');
    process.exit(0);
  }
}
console.warn('[@yinzhang/gm] SM2 addon not built; using pure-JS SM2 (correct, slower)');
process.exit(0);
