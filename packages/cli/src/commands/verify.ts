/**
 * `yinzhang verify` (docs/cli.md, docs/verification-report.md): the report of every signature; --json prints the
 * report itself. Exit 0 all passed, 1 any failed, 3 indeterminate, 4 no signature, 2 unreadable input.
 * Format from content: OFD (@yinzhang/ofd), PDF (@yinzhang/pdf), a bare seal or seal signature (@yinzhang/ses).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { ErrorCode, YzError } from '@yinzhang/gm';
import { verifyOfd } from '@yinzhang/ofd';
import { FileSource, verifyPdfDocument } from '@yinzhang/pdf/node';
import { verifySealFile } from '@yinzhang/ses';
import { exitCodeFor, renderReportText, type VerificationReport } from '@yinzhang/report';
import { UsageError, optionalString, type Command, type CommandContext } from '../command.js';
import { detectFormat, type DocumentFormat } from '../document-format.js';
import { readInput } from '../files.js';
import { loadCertificates } from '../signing-identity.js';

interface VerifyRequest {
  name: string;
  trustAnchors: Uint8Array[];
  at?: Date;
}

type VerifyHandler = (input: Uint8Array, req: VerifyRequest) => Promise<VerificationReport>;

const verifiers: Partial<Record<DocumentFormat, VerifyHandler>> = {
  ofd: (input, req) => verifyOfd(input, { name: req.name, trustAnchors: req.trustAnchors, ...(req.at ? { at: req.at } : {}) }),
  pdf: (input, req) => verifyPdfDocument(input, { name: req.name, trustAnchors: req.trustAnchors, ...(req.at ? { at: req.at } : {}) }),
  seal: (input, req) => verifySealFile(input, { name: req.name, trustAnchors: req.trustAnchors, ...(req.at ? { at: req.at } : {}) }),
};

/** The first KiB, enough for detectFormat. */
function readHead(path: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const b = new Uint8Array(1024);
    return b.subarray(0, readSync(fd, b, 0, b.length, 0));
  } catch (e) {
    throw new YzError(ErrorCode.FILE_UNREADABLE, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { path });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function trustPaths(ctx: CommandContext): string[] {
  const v = ctx.values.trust;
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export const verify: Command = {
  path: ['verify'],
  summary: { zh: '验证文档中的签章 (退出码 0 通过, 1 失败, 3 无法确定, 4 无签章)', en: 'verify the signatures of a document (exit 0 passed, 1 failed, 3 indeterminate, 4 none)' },
  usage: 'FILE [--json] [--trust ROOTS.pem]... [--at TIME]',
  options: { json: { type: 'boolean' }, trust: { type: 'string', multiple: true }, at: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx) {
    const atText = optionalString(ctx, 'at');
    const at = atText === undefined ? undefined : new Date(atText);
    if (at && Number.isNaN(at.getTime())) throw new UsageError({ zh: `--at 不是 ISO 8601 时间: ${atText}`, en: `--at is not an ISO 8601 time: ${atText}` });
    const trustAnchors = loadCertificates(trustPaths(ctx));
    const path = ctx.positionals[0]!;
    const name = path === '-' ? 'stdin' : basename(path);
    // A PDF file is verified through a file-backed source: bounded memory whatever its size (a 1 GB PDF included).
    if (path !== '-' && detectFormat(readHead(path)) === 'pdf') {
      const src = new FileSource(path);
      try {
        const report = await verifyPdfDocument(src, { name, trustAnchors, ...(at ? { at } : {}) });
        ctx.stdout(ctx.values.json ? JSON.stringify(report, null, 2) : renderReportText(report, ctx.lang));
        return exitCodeFor(report);
      } finally {
        src.close();
      }
    }
    const input = readInput(path);
    const format = detectFormat(input);
    const handler = format ? verifiers[format] : undefined;
    if (!handler) {
      throw new YzError(format ? ErrorCode.UNSUPPORTED : ErrorCode.INVALID_ARGUMENT,
        format ? `verifying ${format === 'seal' ? 'bare seals' : format.toUpperCase()} is not available yet` : 'not a PDF, OFD or seal file', { format });
    }
    const report = await handler(input, { name, trustAnchors, ...(at ? { at } : {}) });
    ctx.stdout(ctx.values.json ? JSON.stringify(report, null, 2) : renderReportText(report, ctx.lang));
    return exitCodeFor(report);
  },
};
