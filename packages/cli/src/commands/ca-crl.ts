import { createSigner, importPrivateKey } from '@yinzhang/gm';
import { CertificateAuthority, DirectoryCaStore, crlToPem } from '@yinzhang/pki';
import { optionalString, requireString, type Command } from '../command.js';
import { readInput, writeOutput } from '../files.js';
import { join } from 'node:path';

export const caCrl: Command = {
  path: ['ca', 'crl'],
  summary: { zh: '生成证书吊销列表 (CRL)', en: 'issue a certificate revocation list (CRL)' },
  usage: '--dir DIR --out CRL.pem [--sm2-id ID] [--json]   (--sm2-id= gives the empty ID OpenSSL 3.0 expects for SM2 CRLs)',
  options: { dir: { type: 'string' }, out: { type: 'string' }, 'sm2-id': { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const dir = requireString(ctx, 'dir');
    const out = requireString(ctx, 'out');
    const sm2Id = optionalString(ctx, 'sm2-id');
    const store = new DirectoryCaStore(dir);
    const crl = await store.withLock(async () => {
      const signer = sm2Id === undefined ? store.loadCaSigner() : createSigner(importPrivateKey(readInput(join(dir, 'ca-key.pem'))), { sm2Id });
      return (await CertificateAuthority.open(store, signer)).issueCrl();
    });
    writeOutput(out, crlToPem(crl));
    const n = crl.crlNumber?.toString() ?? '?';
    if (ctx.values.json) ctx.stdout(JSON.stringify({ crlNumber: n, thisUpdate: crl.thisUpdate.toISOString(), nextUpdate: crl.nextUpdate?.toISOString(), revoked: crl.revoked.size, out }));
    else ctx.stdout(ctx.t({ zh: `已生成 CRL #${n} (吊销 ${crl.revoked.size} 张, 下次更新 ${crl.nextUpdate?.toISOString()}) → ${out}`, en: `CRL #${n} (${crl.revoked.size} revoked, next update ${crl.nextUpdate?.toISOString()}) → ${out}` }));
    return 0;
  },
};
