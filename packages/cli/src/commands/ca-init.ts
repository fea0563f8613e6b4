import { createSigner, generateKeyPair, type KeygenAlgorithm } from '@yinzhang/gm';
import { CertificateAuthority, DirectoryCaStore } from '@yinzhang/pki';
import { oneOf, optionalString, requireString, UsageError, type Command } from '../command.js';
import { optionalDays } from './ca-common.js';

export const caInit: Command = {
  path: ['ca', 'init'],
  summary: { zh: '在目录中创建 CA (自签名根证书和 CA 私钥)', en: 'create a CA in a directory (self-signed root and CA key)' },
  usage: '--dir DIR --alg sm2|p256|rsa2048 --subject "CN=...,O=...,C=CN" [--days N] [--crl-url URL] [--json]',
  options: { dir: { type: 'string' }, alg: { type: 'string' }, subject: { type: 'string' }, days: { type: 'string' }, 'crl-url': { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const dir = requireString(ctx, 'dir');
    const alg = oneOf<KeygenAlgorithm>(ctx, 'alg', ['sm2', 'p256', 'rsa2048'], 'sm2');
    const subject = requireString(ctx, 'subject');
    const days = optionalDays(ctx) ?? 3650;
    const crlUrl = optionalString(ctx, 'crl-url');
    if (crlUrl !== undefined && !/^(https?|ldap|file|urn):/i.test(crlUrl)) throw new UsageError({ zh: '--crl-url 必须是 URL', en: '--crl-url must be a URL' });
    const store = new DirectoryCaStore(dir);
    const ca = await store.withLock(async () => {
      const key = generateKeyPair(alg);
      const created = await CertificateAuthority.init({ store, signer: createSigner(key), subject, days, settings: crlUrl ? { crlDistributionPoints: [crlUrl] } : {} });
      store.saveCaKey(key);
      return created;
    });
    const c = ca.certificate;
    if (ctx.values.json) ctx.stdout(JSON.stringify({ dir, subject: c.subject.toString(), serial: c.serialHex, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), algorithm: alg }));
    else ctx.stdout(ctx.t({ zh: `已创建 CA: ${c.subject} (序列号 ${c.serialHex}, 有效期至 ${c.notAfter.toISOString()})`, en: `CA created: ${c.subject} (serial ${c.serialHex}, valid until ${c.notAfter.toISOString()})` }));
    return 0;
  },
};
