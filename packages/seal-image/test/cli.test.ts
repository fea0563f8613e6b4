import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPng } from './helpers.js';

const bin = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;
const env = { ...process.env, LANG: 'zh_CN.UTF-8' };
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
/** Concurrent variant for the many small bad-input cases (CLI start-up dominates their cost). */
function runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('yinzhang seal render writes SVG and PNG at the requested size; seal compare prints the score', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yz-seal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const svg = join(dir, 'a.svg');
  let r = run('seal', 'render', '--kind', 'contract', '--name', '上海某某贸易有限责任公司', '--code', '3101150067890', '--out', svg);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(svg, 'utf8');
  assert.match(text, /width="40mm" height="40mm"/);
  assert.match(text, /<title>上海某某贸易有限责任公司 合同专用章 3101150067890<\/title>/);

  const a = join(dir, 'a.png');
  r = run('seal', 'render', '--kind', 'contract', '--name', '上海某某贸易有限责任公司', '--code', '3101150067890', '--out', a, '--px', '360');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readPng(readFileSync(a)).width, 360);
  const b = join(dir, 'b.png');
  r = run('seal', 'render', '--kind', 'contract', '--name', '上海某某贸易有限责任公司', '--code', '3101150067890', '--out', b, '--px', '500');
  assert.equal(r.status, 0, r.stderr);
  const inv = join(dir, 'inv.png');
  r = run('seal', 'render', '--kind', 'invoice', '--name', '广州某某信息技术有限公司', '--tax-id', '91350100M000100Y43', '--out', inv, '--px', '400');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readPng(readFileSync(inv)).height, 300);

  r = run('seal', 'compare', a, b);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Number(r.stdout.trim()) >= 0.84, r.stdout);
  r = run('seal', 'compare', a, inv, '--json');
  assert.equal(r.status, 1);
  const j = JSON.parse(r.stdout) as { score: number; match: boolean; threshold: number };
  assert.equal(j.match, false);
  assert.equal(j.threshold, 0.84);
  assert.ok(j.score < 0.84);
});

test('yinzhang seal render / compare: bad usage and bad input exit 2 with a message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yz-seal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'x.png');
  const cases: Array<[string[], RegExp]> = [
    [['seal', 'render', '--kind', 'nope', '--name', '某', '--out', out], /--kind/],
    [['seal', 'render', '--kind', 'legal_name', '--out', out], /--name/],
    [['seal', 'render', '--kind', 'legal_name', '--name', '', '--out', out], /SEAL_NAME_EMPTY/],
    [['seal', 'render', '--kind', 'legal_name', '--name', '某公司', '--out', join(dir, 'x.gif')], /\.svg|\.png/],
    [['seal', 'render', '--kind', 'legal_name', '--name', '某公司😀', '--out', out], /SEAL_TEXT_UNSUPPORTED/],
    [['seal', 'render', '--kind', 'legal_name', '--name', '某公司', '--out', out, '--px', '0'], /SEAL_BAD_SIZE/],
    [['seal', 'compare', join(dir, 'missing.png'), join(dir, 'missing2.png')], /FILE_UNREADABLE/],
    [['seal', 'compare', bin, bin], /IMAGE_MALFORMED/],
  ];
  const results = await Promise.all(cases.map(([args]) => runAsync(args)));
  for (const [i, [args, msg]] of cases.entries()) {
    const r = results[i]!;
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
  }
});
