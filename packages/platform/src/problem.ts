/**
 * RFC 9457 problem responses. Every failure has a stable `code` (the YzError code); only client errors carry the
 * error message — a 500 says nothing beyond its code, so that internals (and never key material) leak out.
 */
import { isYzError } from '@yinzhang/gm';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const STATUS: Record<string, number> = {
  // the server's own storage failed or was altered: not the caller's fault
  STORAGE_FAILED: 500,
  INVALID_ARGUMENT: 400, VALIDATION_FAILED: 400, LIMIT_EXCEEDED: 400, USCC_INVALID: 400, ID_NUMBER_INVALID: 400,
  REJECTION_REASON_REQUIRED: 400, UPLOAD_TYPE_REJECTED: 400, UPLOAD_TOO_LARGE: 400, REGION_UNKNOWN: 400,
  DER_MALFORMED: 400, PEM_MALFORMED: 400,
  UNAUTHENTICATED: 401, LOGIN_FAILED: 401,
  FORBIDDEN: 403, CSRF_FAILED: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409, ALREADY_EXISTS: 409, RENEWAL_WINDOW_CLOSED: 409, IMPRESSION_MISMATCH: 409,
  PRODUCTION_UNAVAILABLE: 503,
};

const TITLE: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export interface Problem { type: string; title: string; status: number; code: string; detail?: string; instance?: string; errors?: unknown }

export function toProblem(e: unknown, req: FastifyRequest): Problem {
  const instance = req.url.split('?')[0];
  if (isYzError(e)) {
    const status = STATUS[e.code] ?? 400;
    const p: Problem = { type: `urn:yinzhang:error:${e.code}`, title: TITLE[status] ?? 'Error', status, code: e.code, detail: e.message, ...(instance ? { instance } : {}) };
    if (e.details && status < 500) p.errors = e.details;
    return p;
  }
  const fe = e as FastifyError & { validation?: { instancePath?: string; message?: string; params?: unknown }[]; validationContext?: string };
  if (fe?.validation) {
    const errors = fe.validation.map((v) => ({ field: `${fe.validationContext ?? 'body'}${v.instancePath ?? ''}`, message: v.message, params: v.params }));
    return { type: 'urn:yinzhang:error:VALIDATION_FAILED', title: 'Bad Request', status: 400, code: 'VALIDATION_FAILED', detail: `${errors[0]?.field}: ${errors[0]?.message}`, errors };
  }
  const code = fe?.code ?? '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return { type: 'urn:yinzhang:error:LIMIT_EXCEEDED', title: 'Bad Request', status: 400, code: 'LIMIT_EXCEEDED', detail: 'request body or upload too large' };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const status = fe.statusCode === 404 ? 404 : 400;
    const c = status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT';
    return { type: `urn:yinzhang:error:${c}`, title: TITLE[status]!, status, code: c, detail: fe.message };
  }
  return { type: 'urn:yinzhang:error:INTERNAL', title: TITLE[500]!, status: 500, code: 'INTERNAL' };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}
