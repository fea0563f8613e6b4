import { generateKeyPair, type KeygenAlgorithm } from '@yinzhang/gm';
import { CertificateAuthority, DirectoryCaStore, certificateToPem, parseCsr, verifyCsr } from '@yinzhang/pki';
import { oneOf, optionalString, requireString, UsageError, type Command } from '../command.js';
import { readInput, writeOutput } from '../files.js';
import { optionalDays } from './ca-common.js';

export const caIssue: Command = {
  path: ['ca', 'issue'],
  summary: { zh: '签发证书 (签章人 / 制章人 / 时间戳服务) 并生成密钥', en: 'issue a certificate (signer / seal maker / TSA) with a new key' },
  usage: '--dir DIR --profile signer|seal-maker|tsa --subject "..." --out CERT.pem (--key-out KEY.pem [--alg sm2|p256|rsa2048] | --csr REQ.pem) [--days N] [--uscc CODE] [--id-number ID] [--json]',
  options: {
    dir: { type: 'string' }, profile: { type: 'string' }, subject: { type: 'string' }, out: { type: 'string' }, 'key-out': { type: 'string' },
    alg: { type: 'string' }, csr: { type: 'string' }, days: { type: 'string' }, uscc: { type: 'string' }, 'id-number': { type: 'string' }, json: { type: 'boolean' },
  },
  async run(ctx) {
    const dir = requireString(ctx, 'dir');
    const profile = oneOf(ctx, 'profile', ['signer', 'seal-maker', 'tsa'] as const);
    const out = requireString(ctx, 'out');
    const csrPath = optionalString(ctx, 'csr');
    // With --csr the key stays with the applicant: the request carries the public key and proves possession.
    const csr = csrPath ? parseCsr(readInput(csrPath)) : undefined;
    if (csr && !(await verifyCsr(csr))) throw new UsageError({ zh: '证书请求的签名无效', en: 'the certificate request signature does not verify' });
    const subject = csr && optionalString(ctx, 'subject') === undefined ? csr.subject : requireString(ctx, 'subject');
    const keyOut = csr ? optionalString(ctx, 'key-out') : requireString(ctx, 'key-out');
    if (csr && keyOut) throw new UsageError({ zh: '--csr 与 --key-out 不能同时使用', en: '--csr and --key-out exclude each other' });
    const days = optionalDays(ctx);
    const store = new DirectoryCaStore(dir);
    const cert = await store.withLock(async () => {
      const ca = await CertificateAuthority.open(store, store.loadCaSigner());
      const caAlg: KeygenAlgorithm = ca.certificate.keyAlgorithm === 'rsa' ? 'rsa2048' : ca.certificate.keyAlgorithm === 'p256' ? 'p256' : 'sm2';
      const key = csr ? undefined : generateKeyPair(oneOf<KeygenAlgorithm>(ctx, 'alg', ['sm2', 'p256', 'rsa2048'], caAlg));
      const uscc = optionalString(ctx, 'uscc');
      const idNumber = optionalString(ctx, 'id-number');
      // Cap the validity at the CA's so a default --days never produces a certificate that outlives its issuer.
      const notAfterCap = new Date(Math.min(ca.certificate.notAfter.getTime(), Date.now() + (days ?? (profile === 'signer' ? 365 : 1825)) * 86_400_000));
      const issued = await ca.issue({
        profile, subject, publicKey: key ? key.publicKey : csr!.spki, notAfter: notAfterCap,
        ...(uscc ? { organizationCode: uscc } : {}), ...(idNumber ? { identifyCode: idNumber } : {}),
      });
      if (key && keyOut) writeOutput(keyOut, key.toPem(), true);
      writeOutput(out, certificateToPem(issued));
      return issued;
    });
    if (ctx.values.json) ctx.stdout(JSON.stringify({ serial: cert.serialHex, subject: cert.subject.toString(), profile, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(), cert: out, ...(keyOut ? { key: keyOut } : {}) }));
    else ctx.stdout(ctx.t({ zh: `已签发证书: ${cert.subject} (序列号 ${cert.serialHex}) → ${out}`, en: `issued: ${cert.subject} (serial ${cert.serialHex}) → ${out}` }));
    return 0;
  },
};
