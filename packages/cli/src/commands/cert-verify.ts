import { parseCertificate, parseCertificates, parseCrl, validateCertificate, type CertificatePurpose, type Crl, type ValidationReason } from '@yinzhang/pki';
import { oneOf, UsageError, type Command, type CommandContext } from '../command.js';
import type { Text } from '../i18n.js';
import { readInput } from '../files.js';
import { optionalTime } from './ca-common.js';

const TEXT: Record<string, Text> = {
  NO_CERTIFICATE_CHAIN_FOUND: { zh: '无法构建到受信任根证书的证书链', en: 'no chain to a trusted root' },
  EXPIRED: { zh: '证书已过期', en: 'certificate expired' },
  NOT_YET_VALID: { zh: '证书尚未生效', en: 'certificate not yet valid' },
  REVOKED: { zh: '证书已被吊销', en: 'certificate revoked' },
  CERT_SIGNATURE_INVALID: { zh: '证书签名无效', en: 'certificate signature invalid' },
  ALGORITHM_UNSUPPORTED: { zh: '不支持的算法', en: 'unsupported algorithm' },
  CHAIN_LOOP: { zh: '证书链存在循环', en: 'certificate chain loops' },
  CHAIN_TOO_LONG: { zh: '证书链过长', en: 'certificate chain too long' },
  NOT_A_CA: { zh: '签发者不是 CA 证书', en: 'issuer is not a CA' },
  PATH_LENGTH_EXCEEDED: { zh: '超出路径长度约束', en: 'path length constraint exceeded' },
  ISSUER_KEY_USAGE: { zh: '签发者密钥用法不允许签发证书', en: 'issuer key usage does not allow certificate signing' },
  KEY_USAGE: { zh: '密钥用法不符合用途', en: 'key usage does not fit the purpose' },
  EXT_KEY_USAGE: { zh: '扩展密钥用法不符合用途', en: 'extended key usage does not fit the purpose' },
  UNKNOWN_CRITICAL_EXTENSION: { zh: '含有无法识别的关键扩展', en: 'unrecognised critical extension' },
  CRL_SIGNATURE_INVALID: { zh: 'CRL 签名无效', en: 'CRL signature invalid' },
  CRL_ISSUER_KEY_USAGE: { zh: 'CRL 签发者无权签发 CRL', en: 'CRL issuer may not sign CRLs' },
  CRL_EXPIRED: { zh: 'CRL 已过期', en: 'CRL expired' },
  CRL_NOT_YET_VALID: { zh: 'CRL 尚未生效', en: 'CRL not yet valid' },
  REVOCATION_UNKNOWN: { zh: '无法确定吊销状态 (没有可用的 CRL)', en: 'revocation status unknown (no usable CRL)' },
  REVOKED_AFTER_VALIDATION_TIME: { zh: '证书在验证时间之后被吊销', en: 'revoked after the validation time' },
  TRUST_ANCHOR_CONSTRAINTS: { zh: '受信任根证书的扩展不完整 (因已配置为信任而接受)', en: 'trust anchor extensions incomplete (accepted as configured trust)' },
};

function line(ctx: CommandContext, r: ValidationReason): string {
  return `  [${r.code}] ${ctx.t(TEXT[r.code] ?? { zh: r.code, en: r.code })}: ${r.message}`;
}

function readAll(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export const certVerify: Command = {
  path: ['cert', 'verify'],
  summary: { zh: '验证证书 (证书链、有效期、密钥用法、CRL; 退出码 0 有效, 1 无效)', en: 'validate a certificate (chain, validity, key usage, CRL; exit 0 valid, 1 invalid)' },
  usage: 'CERT.pem --trust ROOT.pem [--chain CHAIN.pem] [--crl CRL.pem] [--at TIME] [--purpose any|signer|seal-maker|tsa|ca] [--require-crl] [--json]',
  options: {
    trust: { type: 'string', multiple: true }, chain: { type: 'string', multiple: true }, crl: { type: 'string', multiple: true },
    at: { type: 'string' }, purpose: { type: 'string' }, 'require-crl': { type: 'boolean' }, json: { type: 'boolean' },
  },
  positionals: [1, 1],
  async run(ctx) {
    const trustFiles = readAll(ctx, 'trust');
    if (trustFiles.length === 0) throw new UsageError({ zh: '缺少参数 --trust', en: 'missing --trust' });
    const cert = parseCertificate(readInput(ctx.positionals[0]!));
    const trustAnchors = trustFiles.flatMap((f) => parseCertificates(readInput(f)));
    const intermediates = readAll(ctx, 'chain').flatMap((f) => parseCertificates(readInput(f)));
    const crls: Crl[] = readAll(ctx, 'crl').map((f) => parseCrl(readInput(f)));
    const at = optionalTime(ctx, 'at');
    const purpose = oneOf<CertificatePurpose>(ctx, 'purpose', ['any', 'signer', 'seal-maker', 'tsa', 'ca'], 'any');
    const r = await validateCertificate({ cert, intermediates, trustAnchors, crls, purpose, requireRevocation: ctx.values['require-crl'] === true, ...(at ? { at } : {}) });
    if (ctx.values.json) {
      const j = (x: ValidationReason) => ({ code: x.code, message: x.message, ...(x.certificate ? { subject: x.certificate.subject.toString(), serial: x.certificate.serialHex } : {}) });
      ctx.stdout(JSON.stringify({
        valid: r.valid,
        validationTime: r.validationTime.toISOString(),
        subject: cert.subject.toString(),
        serial: cert.serialHex,
        chain: r.chain.map((c) => ({ subject: c.subject.toString(), serial: c.serialHex, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString() })),
        chainStatus: r.chainStatus,
        revocation: { status: r.revocation.status, ...(r.revocation.revokedAt ? { revokedAt: r.revocation.revokedAt.toISOString() } : {}), ...(r.revocation.reason ? { reason: r.revocation.reason } : {}) },
        reasons: r.reasons.map(j),
        warnings: r.warnings.map(j),
      }));
    } else {
      ctx.stdout(r.valid ? ctx.t({ zh: `证书有效: ${cert.subject}`, en: `certificate valid: ${cert.subject}` }) : ctx.t({ zh: `证书无效: ${cert.subject}`, en: `certificate INVALID: ${cert.subject}` }));
      ctx.stdout(ctx.t({ zh: `证书链: ${r.chain.map((c) => c.subject.toString()).join(' ← ')}`, en: `chain: ${r.chain.map((c) => c.subject.toString()).join(' <- ')}` }));
      for (const x of r.reasons) ctx.stdout(line(ctx, x));
      for (const x of r.warnings) ctx.stdout(ctx.t({ zh: '警告', en: 'warning' }) + line(ctx, x));
    }
    return r.valid ? 0 : 1;
  },
};
