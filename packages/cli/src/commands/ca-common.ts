/** Shared bits of the `ca` and `cert` verbs: numeric and time flags, the directory CA. */
import { UsageError, optionalString, type CommandContext } from '../command.js';

export function optionalDays(ctx: CommandContext): number | undefined {
  const v = optionalString(ctx, 'days');
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 36500) throw new UsageError({ zh: '--days 必须是 1 到 36500 的整数', en: '--days must be an integer 1..36500' });
  return Number(v);
}

/** ISO 8601 time (date-only means 00:00 UTC). */
export function optionalTime(ctx: CommandContext, name: string): Date | undefined {
  const v = optionalString(ctx, name);
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) {
    throw new UsageError({ zh: `--${name} 不是 ISO 8601 时间: ${v}`, en: `--${name} is not an ISO 8601 time: ${v}` });
  }
  return d;
}
