/**
 * yinzhang CLI entry: finds the verb, parses its flags strictly, maps errors to exit codes (docs/cli.md):
 * 0 success, 1 negative result, 2 bad usage or unreadable input. Users never see a stack trace unless YINZHANG_DEBUG=1.
 */
import { parseArgs } from 'node:util';
import { isYzError } from '@yinzhang/gm';
import { commands } from './commands/index.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { detectLang, t, type Lang } from './i18n.js';
import { errorText } from './error-text.js';

function findCommand(argv: string[]): { cmd?: Command; rest: string[]; prefix: string[] } {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  for (let n = words.length; n > 0; n--) {
    const cmd = commands.find((c) => c.path.length === n && c.path.every((p, i) => p === words[i]));
    if (cmd) return { cmd, rest: argv.slice(n), prefix: words.slice(0, n) };
  }
  return { rest: argv, prefix: words };
}

function listCommands(lang: Lang, prefix: string[], out: (s: string) => void): void {
  const shown = commands.filter((c) => prefix.every((p, i) => c.path[i] === p));
  out(t(lang, { zh: '用法: yinzhang <命令> [选项]   (--help 查看命令帮助, --lang en 显示英文)', en: 'Usage: yinzhang <command> [options]   (--help for command help)' }));
  out('');
  for (const c of shown) out(`  ${c.path.join(' ').padEnd(16)} ${t(lang, c.summary)}`);
}

function commandHelp(lang: Lang, cmd: Command, out: (s: string) => void): void {
  out(`yinzhang ${cmd.path.join(' ')} ${cmd.usage}`);
  out('');
  out(t(lang, cmd.summary));
  out(t(lang, { zh: '退出码: 0 成功, 1 结果为否定(如签名无效), 2 用法错误或输入不可读', en: 'Exit codes: 0 success, 1 negative result, 2 bad usage or unreadable input' }));
}

export async function main(argv: string[], io: { stdout?: (s: string) => void; stderr?: (s: string) => void } = {}): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => process.stdout.write(s + '\n'));
  const stderr = io.stderr ?? ((s: string) => process.stderr.write(s + '\n'));
  const lang = detectLang(argv);
  const { cmd, rest, prefix } = findCommand(argv);
  if (!cmd) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
    const known = prefix.length > 0 && commands.some((c) => prefix.every((p, i) => c.path[i] === p));
    if (wantsHelp || known) {
      listCommands(lang, known ? prefix : [], wantsHelp ? stdout : stderr);
      return wantsHelp ? 0 : 2;
    }
    stderr(t(lang, { zh: `未知命令: ${prefix.join(' ')}`, en: `unknown command: ${prefix.join(' ')}` }));
    listCommands(lang, [], stderr);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' }, lang: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    stderr(t(lang, { zh: `参数错误: ${(e as Error).message}`, en: `bad arguments: ${(e as Error).message}` }));
    stderr(`yinzhang ${cmd.path.join(' ')} ${cmd.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    commandHelp(lang, cmd, stdout);
    return 0;
  }
  const [min, max] = cmd.positionals ?? [0, 0];
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    stderr(t(lang, { zh: '位置参数个数不对', en: 'wrong number of arguments' }));
    stderr(`yinzhang ${cmd.path.join(' ')} ${cmd.usage}`);
    return 2;
  }
  const ctx: CommandContext = {
    lang,
    values: parsed.values as CommandContext['values'],
    positionals: parsed.positionals,
    stdout,
    stderr,
    t: (text) => t(lang, text),
  };
  try {
    return await cmd.run(ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      stderr(t(lang, e.text));
      return 2;
    }
    if (isYzError(e)) {
      stderr(errorText(lang, e));
      return 2;
    }
    stderr(t(lang, { zh: `内部错误: ${(e as Error)?.message ?? String(e)}`, en: `internal error: ${(e as Error)?.message ?? String(e)}` }));
    if (process.env.YINZHANG_DEBUG === '1') stderr(String((e as Error)?.stack));
    return 2;
  }
}
