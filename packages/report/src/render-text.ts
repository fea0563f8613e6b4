/** Human-readable rendering of a report for the CLI (zh-CN first). */
import type { CheckName, VerificationReport } from './model.js';
import { CHECK_NAMES } from './model.js';

const checkLabels: Record<CheckName, [string, string]> = {
  format: ['结构', 'format'],
  integrity: ['完整性', 'integrity'],
  signatureValue: ['签名值', 'signature value'],
  sealSignature: ['印章制章签名', 'seal maker signature'],
  sealValidity: ['印章有效期', 'seal validity'],
  signerInSeal: ['签章人与印章绑定', 'signer in seal'],
  certificateValidity: ['证书有效期', 'certificate validity'],
  certificateChain: ['证书链', 'certificate chain'],
  revocation: ['吊销状态', 'revocation'],
  sealStatus: ['印章状态', 'seal status'],
  timestamp: ['时间戳', 'timestamp'],
  coverage: ['保护范围', 'coverage'],
};

const statusText: Record<string, [string, string]> = {
  passed: ['通过', 'passed'],
  failed: ['失败', 'FAILED'],
  unknown: ['未知', 'unknown'],
  'not-applicable': ['不适用', 'n/a'],
  TOTAL_PASSED: ['验证通过', 'TOTAL_PASSED'],
  TOTAL_FAILED: ['验证失败', 'TOTAL_FAILED'],
  INDETERMINATE: ['无法确定', 'INDETERMINATE'],
  NO_SIGNATURE: ['未找到签章', 'NO_SIGNATURE'],
};

export function renderReportText(r: VerificationReport, lang: 'zh' | 'en'): string {
  const i = lang === 'en' ? 1 : 0;
  const s = (k: string) => statusText[k]?.[i] ?? k;
  const lines = [`${r.file.name} (${r.format.toUpperCase()}, ${r.file.size} B): ${s(r.indication)}`];
  for (const sig of r.signatures) {
    lines.push(`  [${sig.id}] ${sig.structure} — ${s(sig.indication)}${sig.subIndication ? ` (${sig.subIndication})` : ''}`);
    if (sig.seal) lines.push(`    ${lang === 'en' ? 'seal' : '印章'}: ${sig.seal.name} (esID ${sig.seal.esID})`);
    if (sig.signer) lines.push(`    ${lang === 'en' ? 'signer' : '签章人'}: ${sig.signer.subject}`);
    if (sig.signingTime) lines.push(`    ${lang === 'en' ? 'signing time' : '签章时间'}: ${sig.signingTime} (${sig.signingTimeSource})`);
    for (const c of CHECK_NAMES) {
      if (sig.checks[c] === 'not-applicable') continue;
      lines.push(`    ${checkLabels[c][i]}: ${s(sig.checks[c])}`);
    }
    for (const m of sig.messages) lines.push(`    ! ${lang === 'en' ? m.en : m.zh}`);
  }
  return lines.join('\n');
}
