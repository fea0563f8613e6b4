import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const BIN = new URL('../bin/yinzhang.js', import.meta.url).pathname;

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user or script would. */
export function yinzhang(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, LANG: 'zh_CN.UTF-8', ...opts.env },
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function openssl(args: string[]): RunResult {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'yz-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
