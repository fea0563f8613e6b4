/** Small helpers: ids, clock, errors with HTTP meaning. */
import { randomBytes, randomUUID } from 'node:crypto';
import { YzError } from '@yinzhang/gm';

export const newId = (): string => randomUUID();
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** The clock is injectable so tests can simulate a year passing. */
export interface Clock { now(): Date }
export const systemClock: Clock = { now: () => new Date() };
export const iso = (d: Date): string => d.toISOString();
export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * 86_400_000);

export const fail = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new YzError(code, message, details);
};
export const notFound = (what: string): never => fail('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>): never => fail('INVALID_STATE', message, details);
