/**
 * Public, unauthenticated: seal status by seal code or esID with its dated history (公示; 信阳, 广东 — a revoked
 * seal must show as invalid), the CRL and the CA certificate. No personal data: personal and position seals show
 * only a masked holder name, and no ID numbers, users or keys appear.
 */
import { fromBase64, pemEncode } from '@yinzhang/gm';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import type { SealTable } from '../db/schema.js';
import { notFound } from '../util.js';
import { effectiveStatus } from './seals.js';
import { sealClass, type SealKind } from '../domain/seal-kinds.js';
import { SEAL_STATUSES } from '../domain/lifecycle.js';

const STATUS = { type: 'string', enum: SEAL_STATUSES } as const;
const TIME = { type: 'string', format: 'date-time' } as const;

/**
 * The public answer, field by field: also an allowlist, since Fastify serialises by it — a column added to the query
 * later cannot reach the public by accident.
 */
const publicSealSchema = {
  type: 'object',
  required: ['sealCode', 'esId', 'kind', 'name', 'organisation', 'status', 'valid', 'validFrom', 'validTo', 'generations', 'history'],
  additionalProperties: false,
  properties: {
    sealCode: { type: 'string', description: '印章编码' }, esId: { type: 'string' }, kind: { type: 'string' },
    name: { type: 'string', description: 'personal and position seals: masked (张**)' },
    organisation: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, uscc: { type: 'string' } } },
    status: STATUS, valid: { type: 'boolean', description: 'true only when active now' }, validFrom: TIME, validTo: TIME,
    supersededBy: { type: 'object', additionalProperties: false, properties: { esId: { type: 'string' }, sealCode: { type: 'string' } } },
    generations: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { esId: { type: 'string' }, status: STATUS, validFrom: TIME, validTo: TIME } } },
    history: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { esId: { type: 'string' }, at: TIME, status: { type: 'string' }, event: { type: 'string' } } } },
  },
} as const;

const maskName = (n: string): string => [...n].map((ch, i) => (i === 0 ? ch : '*')).join('');

export function publicRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/v1/public/seals/:ref', {
    config: { public: true },
    schema: { tags: ['public'], summary: 'Status and dated history of a seal by seal code (13 digits) or esID; no personal data', security: [],
      params: { type: 'object', required: ['ref'], additionalProperties: false, properties: { ref: { type: 'string', pattern: '^[0-9A-Za-z-]{6,40}$' } } },
      response: { 200: publicSealSchema } },
  }, async (req) => {
    const { ref } = req.params as { ref: string };
    let seal = await ctx.db.selectFrom('seals').selectAll().where('es_id', '=', ref).executeTakeFirst() as SealTable | undefined;
    let generations: SealTable[];
    if (!seal) {
      generations = await ctx.db.selectFrom('seals').selectAll().where('seal_code', '=', ref).orderBy('created_at').execute();
      seal = generations[generations.length - 1];
    } else {
      generations = await ctx.db.selectFrom('seals').selectAll().where('seal_code', '=', seal.seal_code).orderBy('created_at').execute();
    }
    if (!seal) return notFound('seal');
    const org = await ctx.db.selectFrom('organisations').select(['name', 'uscc']).where('id', '=', seal.org_id).executeTakeFirstOrThrow();
    const ids = generations.map((g) => g.id);
    const events = await ctx.db.selectFrom('seal_events').select(['seal_id', 'at', 'status', 'event']).where('seal_id', 'in', ids).orderBy('at').execute();
    const esIdOf = new Map(generations.map((g) => [g.id, g.es_id]));
    const now = ctx.clock.now();
    const personal = sealClass(seal.kind as SealKind) !== 'official';
    const status = effectiveStatus(seal, now);
    const superseding = seal.superseded_by ? await ctx.db.selectFrom('seals').select(['es_id', 'seal_code']).where('id', '=', seal.superseded_by).executeTakeFirst() : undefined;
    return {
      sealCode: seal.seal_code, esId: seal.es_id, kind: seal.kind, name: personal ? maskName(seal.name) : seal.name,
      organisation: { name: org.name, uscc: org.uscc }, status, valid: status === 'active', validFrom: seal.valid_from, validTo: seal.valid_to,
      ...(superseding ? { supersededBy: { esId: superseding.es_id, sealCode: superseding.seal_code } } : {}),
      generations: generations.map((g) => ({ esId: g.es_id, status: effectiveStatus(g, now), validFrom: g.valid_from, validTo: g.valid_to })),
      history: events.map((e) => ({ esId: esIdOf.get(e.seal_id), at: e.at, status: e.status, event: e.event })),
    };
  });

  app.get('/api/v1/public/crl', { config: { public: true }, schema: { tags: ['public'], summary: 'The latest CRL of the platform CA (DER)', security: [] } }, async (_req, reply) => {
    const row = await ctx.db.selectFrom('crls').select(['der', 'number']).orderBy('number', 'desc').limit(1).executeTakeFirst();
    if (!row) return notFound('CRL');
    return reply.type('application/pkix-crl').header('content-disposition', 'attachment; filename="yinzhang.crl"').send(Buffer.from(row.der));
  });

  app.get('/api/v1/public/ca', { config: { public: true }, schema: { tags: ['public'], summary: 'The platform CA certificate (PEM)', security: [] } }, async (_req, reply) => {
    const row = await ctx.db.selectFrom('settings').select('value').where('name', '=', 'ca_certificate').executeTakeFirst();
    if (!row) return notFound('CA certificate');
    return reply.type('application/x-pem-file').send(pemEncode('CERTIFICATE', fromBase64(row.value)));
  });
}
