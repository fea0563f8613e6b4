/** The shape of one CLI verb. Each verb lives in its own module under commands/ and is listed in commands/index.ts. */
import type { ParseArgsConfig } from 'node:util';
import type { Lang, Text } from './i18n.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  lang: Lang;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Localised text. */
  t: (text: Text) => string;
}

export interface Command {
  /** e.g. ['gm', 'keygen'] */
  path: string[];
  summary: Text;
  /** Usage line after `yinzhang <path>` (flags as in docs/cli.md). */
  usage: string;
  options: OptionSpec;
  /** Positional arguments: [min, max]. */
  positionals?: [number, number];
  /** Exit code: 0 ok, 1 negative result, 2 bad usage/unreadable input (thrown YzError/UsageError also map to 2). */
  run(ctx: CommandContext): Promise<number>;
}

/** Bad usage detected by a command; printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(readonly text: Text) {
    super(text.en);
  }
}

export function requireString(ctx: CommandContext, name: string): string {
  const v = ctx.values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError({ zh: `缺少参数 --${name}`, en: `missing --${name}` });
  return v;
}

export function optionalString(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function oneOf<T extends string>(ctx: CommandContext, name: string, allowed: readonly T[], dflt?: T): T {
  const v = ctx.values[name];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new UsageError({ zh: `--${name} 必须是 ${allowed.join(' | ')} 之一`, en: `--${name} must be one of ${allowed.join(' | ')}` });
  }
  return v as T;
}
