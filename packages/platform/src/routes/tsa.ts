/**
 * The platform's RFC 3161 time-stamping service (the TSA certificate made at first start), for signers such as
 * `yinzhang sign --tsa URL`. Public like any TSA; requests are small and bounded.
 */
import { fromBase64 } from '@yinzhang/gm';
import { Tsa, parseCertificate } from '@yinzhang/pki';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';

const MAX_REQUEST = 8 * 1024;

async function setting(ctx: Ctx, name: string): Promise<string> {
  return (await ctx.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
}

export function tsaRoutes(app: FastifyInstance, ctx: Ctx): void {
  let tsa: Promise<Tsa> | undefined;
  const load = () => (tsa ??= (async () => {
    const certificate = parseCertificate(fromBase64(await setting(ctx, 'tsa_certificate')));
    const ca = parseCertificate(fromBase64(await setting(ctx, 'ca_certificate')));
    const signer = await ctx.keystore.signer(ctx.db, await setting(ctx, 'tsa_key_id'));
    return new Tsa({ certificate, signer, chain: [ca], now: () => ctx.clock.now() });
  })().catch((e: unknown) => { tsa = undefined; throw e; }));

  app.addContentTypeParser('application/timestamp-query', { parseAs: 'buffer', bodyLimit: MAX_REQUEST }, (_req, body, done) => done(null, body));
  app.post('/api/v1/public/tsa', {
    config: { public: true },
    bodyLimit: MAX_REQUEST,
    schema: { tags: ['public'], summary: 'RFC 3161 time-stamp: POST a DER TimeStampReq (application/timestamp-query), get a TimeStampResp', security: [], consumes: ['application/timestamp-query'] },
  }, async (req, reply) => {
    const body = req.body as Buffer;
    const resp = await (await load()).respond(new Uint8Array(body.buffer, body.byteOffset, body.length));
    return reply.type('application/timestamp-reply').send(Buffer.from(resp));
  });
}
