/** Helpers shared by the route modules: the caller, pagination, common schemas. */
import { YzError } from '@yinzhang/gm';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function caller(req: FastifyRequest): Principal {
  if (!req.principal) throw new YzError('UNAUTHENTICATED', 'authentication required');
  return req.principal;
}

export const idParam = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', format: 'uuid' } } } as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    cursor: { type: 'string', maxLength: 200 },
  },
} as const;

/** Cursor = base64url("<created_at>|<id>") of the last row; rows are ordered by (created_at, id). */
export function decodeCursor(c: string | undefined): { at: string; id: string } | undefined {
  if (!c) return undefined;
  const s = Buffer.from(c, 'base64url').toString('utf8');
  const i = s.indexOf('|');
  if (i < 0) throw new YzError('INVALID_ARGUMENT', 'bad cursor');
  return { at: s.slice(0, i), id: s.slice(i + 1) };
}

export function page<T extends { created_at: string; id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(`${last.created_at}|${last.id}`).toString('base64url') : null };
}

export const problemRef = { $ref: 'problem#' } as const;
