/**
 * The HTTP server: Fastify with JSON-schema-validated requests, OpenAPI 3.1 at /api/openapi.json, Swagger UI at
 * /api/docs, problem+json errors. Every /api/v1 route except those marked public needs a principal, and each route
 * checks roles and scope itself (see auth/roles.ts).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { YzError } from '@yinzhang/gm';
import type { Ctx } from './context.js';
import { resolvePrincipal } from './auth/principal.js';
import { sendProblem, toProblem } from './problem.js';
import { authRoutes } from './routes/auth.js';
import { regionRoutes } from './routes/regions.js';
import { organisationRoutes } from './routes/organisations.js';
import { userRoutes } from './routes/users.js';
import { auditRoutes } from './routes/audit.js';
import { applicationRoutes } from './routes/applications.js';
import { sealRoutes } from './routes/seals.js';
import { publicRoutes } from './routes/public.js';
import { notificationRoutes } from './routes/notifications.js';
import { tsaRoutes } from './routes/tsa.js';

export const JSON_BODY_LIMIT = 256 * 1024;

export interface ServerOptions { logger?: boolean; logStream?: NodeJS.WritableStream }

export async function buildServer(ctx: Ctx, o: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Never log bodies or headers: they carry passwords, cookies and API keys.
    logger: o.logger || o.logStream ? {
      level: 'info',
      ...(o.logStream ? { stream: o.logStream } : {}),
      serializers: { req: (r) => ({ method: r.method, url: r.url.split('?')[0] }), res: (r) => ({ statusCode: r.statusCode }) },
    } : false,
    bodyLimit: JSON_BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    trustProxy: false,
  });
  app.decorateRequest('principal', null);
  app.addSchema({
    $id: 'problem', type: 'object', title: 'Problem (RFC 9457)', required: ['type', 'title', 'status', 'code'],
    description: 'Every error: a stable `code` (docs/errors.md), the HTTP status, and a detail meant for people.',
    properties: {
      type: { type: 'string', examples: ['urn:yinzhang:error:FORBIDDEN'] }, title: { type: 'string' }, status: { type: 'integer' },
      code: { type: 'string' }, detail: { type: 'string' }, instance: { type: 'string' },
      errors: { description: 'Per-field validation errors, or details of the refusal', anyOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }] },
    },
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'yinzhang platform API', version: '0.1.0', description: '电子印章平台 — organisations, applications, seals, public status, audit log' },
      components: { securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'yz_session' },
        apiKey: { type: 'http', scheme: 'bearer' },
      } },
      security: [{ session: [] }, { apiKey: [] }],
    },
    // Documentation only (serialisation is untouched): every API route answers errors as RFC 9457 problems.
    transform: ({ schema, url }) => {
      if (!url.startsWith('/api/v1/') || !schema) return { schema, url };
      const problem = { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: 'problem#' } } } };
      const response = { ...(schema.response as Record<string, unknown> | undefined), '4XX': problem, '5XX': problem };
      return { schema: { ...schema, response }, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler((err, req, reply) => {
    const p = toProblem(err, req);
    if (p.status >= 500) req.log.error({ code: (err as { code?: string }).code, name: (err as Error).name }, 'internal error');
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, { type: 'urn:yinzhang:error:NOT_FOUND', title: 'Not Found', status: 404, code: 'NOT_FOUND', detail: 'no such route' }));

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1/') || (req.routeOptions.config as { public?: boolean } | undefined)?.public) return;
    req.principal = await resolvePrincipal(ctx, req);
    // Authentication before validation: an anonymous caller learns nothing about a route's body schema.
    if (!req.principal) throw new YzError('UNAUTHENTICATED', 'authentication required');
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    // Responses behind a login may carry personal data: keep them out of shared caches.
    if (req.principal) reply.header('cache-control', 'no-store');
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/v1/health', { config: { public: true }, schema: { tags: ['public'], summary: 'Liveness and database reachability', security: [] } }, async () => {
    await ctx.db.selectFrom('audit_state').select('size').executeTakeFirst();
    return { ok: true };
  });
  authRoutes(app, ctx);
  regionRoutes(app, ctx);
  organisationRoutes(app, ctx);
  userRoutes(app, ctx);
  applicationRoutes(app, ctx);
  sealRoutes(app, ctx);
  publicRoutes(app, ctx);
  notificationRoutes(app, ctx);
  tsaRoutes(app, ctx);
  auditRoutes(app, ctx);
  return app;
}
