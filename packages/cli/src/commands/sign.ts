/**
 * `yinzhang sign` (docs/cli.md): signs a document, format detected from content — OFD (@yinzhang/ofd) or PDF
 * (@yinzhang/pdf). One handler per format; the flags mean the same for both.
 */
import { ErrorCode, YzError } from '@yinzhang/gm';
import { eslToDer } from '@yinzhang/ses';
import { signOfdWithCms, signOfdWithSeal, tsaTimestamper, type Placement } from '@yinzhang/ofd';
import { signPdfDocument } from '@yinzhang/pdf/node';
import type { Placement as PdfPlacement } from '@yinzhang/pdf';
import { UsageError, oneOf, optionalString, requireString, type Command, type CommandContext } from '../command.js';
import { detectFormat, type DocumentFormat } from '../document-format.js';
import { readInput, writeOutput } from '../files.js';
import { loadSigningIdentity } from '../signing-identity.js';

function parsePair(ctx: CommandContext, name: string, sep: RegExp): [number, number] | undefined {
  const v = optionalString(ctx, name);
  if (v === undefined) return undefined;
  const parts = v.split(sep).map((x) => Number(x.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new UsageError({ zh: `--${name} 格式错误: ${v}`, en: `bad --${name}: ${v}` });
  }
  return [parts[0]!, parts[1]!];
}

/** --page/--at, --keyword, --riding: at most one way of placing the seal. */
export function placementFrom(ctx: CommandContext): Placement | undefined {
  const keyword = optionalString(ctx, 'keyword');
  const riding = ctx.values.riding === true;
  const at = parsePair(ctx, 'at', /,/);
  const pageText = optionalString(ctx, 'page');
  const page = pageText === undefined ? undefined : Number(pageText);
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw new UsageError({ zh: `--page 必须是正整数: ${pageText}`, en: `--page must be a positive integer: ${pageText}` });
  const ways = [keyword !== undefined, riding, at !== undefined || page !== undefined].filter(Boolean).length;
  if (ways > 1) throw new UsageError({ zh: '--keyword、--riding 与 --page/--at 只能选一种', en: 'use only one of --keyword, --riding, --page/--at' });
  if (keyword !== undefined) {
    if (keyword.trim() === '') throw new UsageError({ zh: '--keyword 不能为空', en: '--keyword must not be empty' });
    return { kind: 'keyword', keyword };
  }
  if (riding) return { kind: 'riding' };
  if (at) return { kind: 'at', page: page ?? 1, x: at[0], y: at[1] };
  if (page !== undefined) return { kind: 'default', page };
  return undefined;
}

type SignHandler = (ctx: CommandContext, input: Uint8Array) => Promise<{ output: Uint8Array; summary: { zh: string; en: string } }>;

const signOfd: SignHandler = async (ctx, input) => {
  const identity = loadSigningIdentity(ctx);
  const mode = oneOf(ctx, 'mode', ['continue', 'lock'] as const, 'continue');
  const size = parsePair(ctx, 'size', /[xX×*]/);
  if (size && (size[0] <= 0 || size[1] <= 0)) throw new UsageError({ zh: '--size 必须为正数', en: '--size must be positive' });
  const tsa = optionalString(ctx, 'tsa');
  const placement = placementFrom(ctx);
  const sealPath = optionalString(ctx, 'seal');
  const docText = optionalString(ctx, 'doc');
  const doc = docText === undefined ? undefined : Number(docText);
  if (doc !== undefined && (!Number.isInteger(doc) || doc < 1)) throw new UsageError({ zh: `--doc 必须是正整数: ${docText}`, en: `--doc must be a positive integer: ${docText}` });
  if (optionalString(ctx, 'reason') !== undefined) {
    ctx.stderr(ctx.t({ zh: '提示: OFD 签名没有"原因"字段，--reason 未写入', en: 'note: OFD signatures have no reason field; --reason is not recorded' }));
  }
  const common = {
    signer: identity.signer, certificate: identity.certificate, chain: identity.chain, mode,
    ...(tsa ? { timestamp: tsaTimestamper(tsa) } : {}),
    ...(placement ? { placement } : {}),
    ...(size ? { width: size[0], height: size[1] } : {}),
    // --doc is 1-based like --page: the n-th document (DocBody) of a multi-document package.
    ...(doc !== undefined ? { document: doc - 1 } : {}),
  };
  const r = sealPath
    ? await signOfdWithSeal(input, { ...common, seal: eslToDer(readInput(sealPath)) })
    : await signOfdWithCms(input, common);
  const type = sealPath ? 'Seal' : 'Sign';
  return {
    output: r.ofd,
    summary: {
      zh: `OFD 已签章 (签名 ${r.signatureId}, Type=${type}, 模式 ${mode}, ${r.stampAnnots.length} 处印章外观)`,
      en: `OFD signed (signature ${r.signatureId}, Type=${type}, mode ${mode}, ${r.stampAnnots.length} stamp annotation(s))`,
    },
  };
};

function pdfPlacement(p: Placement | undefined): PdfPlacement | undefined {
  switch (p?.kind) {
    case undefined:
    case 'none':
      return undefined;
    case 'at':
      return { kind: 'page', page: p.page, xMm: p.x, yMm: p.y };
    case 'keyword':
      return { kind: 'keyword', keyword: p.keyword };
    case 'riding':
      return { kind: 'riding', ...(p.y !== undefined ? { yMm: p.y } : {}) };
    case 'default':
      // --page alone: the pdf package's default position (lower right, as a seal goes under the signature line).
      return p.page !== undefined ? { kind: 'page', page: p.page } : undefined;
  }
}

const signPdfHandler: SignHandler = async (ctx, input) => {
  const identity = loadSigningIdentity(ctx);
  const mode = oneOf(ctx, 'mode', ['continue', 'lock'] as const, 'continue');
  const size = parsePair(ctx, 'size', /[xX×*]/);
  const placement = pdfPlacement(placementFrom(ctx));
  const sealPath = optionalString(ctx, 'seal');
  const reason = optionalString(ctx, 'reason');
  const tsa = optionalString(ctx, 'tsa');
  if (optionalString(ctx, 'doc') !== undefined) throw new UsageError({ zh: '--doc 仅适用于 OFD（PDF 只有一个文档）', en: '--doc applies to OFD only (a PDF holds one document)' });
  const r = await signPdfDocument(input, {
    signer: identity.signer, certificate: identity.certificate, chain: identity.chain, mode,
    ...(sealPath ? { seal: eslToDer(readInput(sealPath)) } : {}),
    ...(placement ? { placement } : {}),
    ...(size ? { sizeMm: { width: size[0], height: size[1] } } : {}),
    ...(reason ? { reason } : {}),
    ...(tsa ? { tsaUrl: tsa } : {}),
  });
  return { output: r.bytes, summary: { zh: `PDF 已签章 (签名域 ${r.fieldName}, 模式 ${mode})`, en: `PDF signed (field ${r.fieldName}, mode ${mode})` } };
};

const signers: Partial<Record<DocumentFormat, SignHandler>> = { ofd: signOfd, pdf: signPdfHandler };

export const sign: Command = {
  path: ['sign'],
  summary: { zh: '对文档签章 (OFD / PDF，格式按内容识别)', en: 'sign a document (OFD / PDF, format detected from content)' },
  usage: 'IN --out OUT (--key K --cert C | --p12 F --password P) [--seal SEAL.esl] [--page N --at X,Y] [--size WxH] [--keyword TEXT] [--riding] [--mode continue|lock] [--tsa URL] [--reason TEXT] [--doc N]',
  options: {
    out: { type: 'string' }, key: { type: 'string' }, cert: { type: 'string' }, p12: { type: 'string' }, password: { type: 'string' },
    seal: { type: 'string' }, page: { type: 'string' }, at: { type: 'string' }, size: { type: 'string' }, keyword: { type: 'string' },
    riding: { type: 'boolean' }, mode: { type: 'string' }, tsa: { type: 'string' }, reason: { type: 'string' }, doc: { type: 'string' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const out = requireString(ctx, 'out');
    const input = readInput(ctx.positionals[0]!);
    const format = detectFormat(input);
    const handler = format ? signers[format] : undefined;
    if (!handler) {
      throw new YzError(format ? ErrorCode.UNSUPPORTED : ErrorCode.INVALID_ARGUMENT,
        format ? `signing ${format.toUpperCase()} documents is not available yet` : 'not an OFD or PDF document', { format });
    }
    const { output, summary } = await handler(ctx, input);
    writeOutput(out, output);
    ctx.stderr(`${ctx.t(summary)} → ${out}`);
    return 0;
  },
};
