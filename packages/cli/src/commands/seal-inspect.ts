/**
 * `yinzhang seal inspect` (docs/cli.md): shows every field of a seal (`.esl`) and its checks (GB/T 38540 §6.3).
 * Exit 0 when the maker's signature verifies, 1 when it does not, 2 when the file is no readable seal.
 */
import { basename } from 'node:path';
import { digest, toHex } from '@yinzhang/gm';
import { parseCertificate, parseCertificates } from '@yinzhang/pki';
import { fileInfo } from '@yinzhang/report';
import { eslToDer, parseSeal, verifySeal, type CertListEntry, type ParsedSeal } from '@yinzhang/ses';
import { UsageError, optionalString, type Command, type CommandContext } from '../command.js';
import { readInput, writeOutput } from '../files.js';

function certEntry(e: CertListEntry): Record<string, unknown> {
  switch (e.kind) {
    case 'certificate': {
      try {
        const c = parseCertificate(e.der);
        return { kind: e.kind, subject: c.subject.toString(), issuer: c.issuer.toString(), serial: c.serialHex, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), sm3: toHex(digest('sm3', e.der)) };
      } catch (err) {
        return { kind: e.kind, error: err instanceof Error ? err.message : String(err), sm3: toHex(digest('sm3', e.der)) };
      }
    }
    case 'digest':
      return { kind: e.kind, type: e.type, value: toHex(e.value) };
    default:
      return { kind: e.kind, der: toHex(e.bytes.subarray(0, 256)) };
  }
}

/** Every field of the seal as JSON-friendly values (binary as hex; the picture by size and digest). */
export function sealFields(seal: ParsedSeal): Record<string, unknown> {
  return {
    version: seal.version,
    structure: seal.structure,
    header: seal.header,
    esID: seal.esID,
    property: {
      type: seal.property.type,
      name: seal.property.name,
      certListType: seal.property.certListType,
      certList: seal.property.certList.map(certEntry),
      createDate: seal.property.createDate.toISOString(),
      validStart: seal.property.validStart.toISOString(),
      validEnd: seal.property.validEnd.toISOString(),
    },
    picture: { type: seal.picture.type, widthMm: seal.picture.widthMm, heightMm: seal.picture.heightMm, size: seal.picture.data.length, sm3: toHex(digest('sm3', seal.picture.data)) },
    extDatas: seal.extDatas.map((e) => ({ extnID: e.extnID, critical: e.critical, extnValue: toHex(e.extnValue) })),
    makerCertificate: certEntry({ kind: 'certificate', der: seal.makerCert }),
    signAlgOid: seal.signAlgOid,
    signedValue: toHex(seal.signedValue),
    ...(seal.timeStamp ? { timeStamp: toHex(seal.timeStamp) } : {}),
    notes: seal.notes,
  };
}

function trustPaths(ctx: CommandContext): string[] {
  const v = ctx.values.trust;
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export const sealInspect: Command = {
  path: ['seal', 'inspect'],
  summary: { zh: '查看电子印章内容并验证制章人签名 (退出码 0 有效, 1 无效)', en: "show a seal's content and verify the maker's signature (exit 0 valid, 1 invalid)" },
  usage: 'SEAL.esl [--json] [--image-out FILE] [--trust ROOTS.pem]... [--at TIME]',
  options: { json: { type: 'boolean' }, 'image-out': { type: 'string' }, trust: { type: 'string', multiple: true }, at: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx) {
    const path = ctx.positionals[0]!;
    const bytes = readInput(path);
    const seal = parseSeal(eslToDer(bytes));
    const atText = optionalString(ctx, 'at');
    const at = atText === undefined ? undefined : new Date(atText);
    if (at && (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(atText!))) {
      throw new UsageError({ zh: `--at 不是 ISO 8601 时间: ${atText}`, en: `--at is not an ISO 8601 time: ${atText}` });
    }
    const trustAnchors = trustPaths(ctx).flatMap((p) => parseCertificates(readInput(p)).map((c) => c.der));
    const result = await verifySeal(seal, { ...(at ? { at } : {}), trustAnchors });
    const imageOut = optionalString(ctx, 'image-out');
    if (imageOut) writeOutput(imageOut, seal.picture.data);
    const ok = result.checks.sealSignature === 'passed';
    if (ctx.values.json) {
      ctx.stdout(JSON.stringify({
        file: fileInfo(path === '-' ? 'stdin' : basename(path), bytes),
        validationTime: (at ?? new Date()).toISOString(),
        makerSignatureValid: ok,
        seal: sealFields(seal),
        maker: result.maker ?? null,
        checks: result.checks,
        messages: result.messages,
      }, null, 2));
      return ok ? 0 : 1;
    }
    const en = ctx.lang === 'en';
    const st = (c: string) => (en ? c : ({ passed: '通过', failed: '失败', unknown: '未知', 'not-applicable': '不适用' } as Record<string, string>)[c] ?? c);
    const p = seal.property;
    const lines = [
      `${en ? 'seal' : '印章'}: ${p.name}  (${seal.structure}, V${seal.version}, ${en ? 'type' : '类型'} ${p.type})`,
      `  esID: ${seal.esID}   Vid: ${seal.header.vid}`,
      `  ${en ? 'valid' : '有效期'}: ${p.validStart.toISOString()} .. ${p.validEnd.toISOString()}   ${en ? 'made' : '制作时间'}: ${p.createDate.toISOString()}`,
      `  ${en ? 'picture' : '图像'}: ${seal.picture.type} ${seal.picture.widthMm}×${seal.picture.heightMm} mm, ${seal.picture.data.length} B`,
      `  ${en ? 'signers' : '签章人证书'} (certListType ${p.certListType}):`,
      ...p.certList.map((e) => {
        const f = certEntry(e);
        return `    - ${f.subject ?? (f.type ? `${String(f.type)}:${String(f.value)}` : String(f.kind))}${f.serial ? ` (serial ${String(f.serial)})` : ''}`;
      }),
      `  ${en ? 'maker' : '制章人'}: ${result.maker?.subject ?? '?'}${result.maker ? ` (serial ${result.maker.serial})` : ''}`,
      `  ${en ? 'maker signature' : '制章人签名'}: ${ok ? (en ? 'valid' : '有效') : en ? 'INVALID' : '无效'}`,
      `  ${en ? 'seal validity' : '印章有效期'}: ${st(result.checks.sealValidity)}   ${en ? 'maker certificate' : '制章人证书'}: ${st(result.checks.certificateValidity)}   ${en ? 'chain' : '证书链'}: ${st(result.checks.certificateChain)}`,
      ...result.messages.map((m) => `  ! ${en ? m.en : m.zh}`),
    ];
    for (const l of lines) ctx.stdout(l);
    return ok ? 0 : 1;
  },
};
