import { CertificateAuthority, DirectoryCaStore, type RevocationReason } from '@yinzhang/pki';
import { oneOf, requireString, type Command } from '../command.js';

const REASONS = ['keyCompromise', 'superseded', 'cessationOfOperation', 'affiliationChanged', 'unspecified'] as const;

export const caRevoke: Command = {
  path: ['ca', 'revoke'],
  summary: { zh: '吊销证书 (下次生成的 CRL 生效)', en: 'revoke a certificate (takes effect in the next CRL)' },
  usage: '--dir DIR --serial HEX [--reason keyCompromise|superseded|cessationOfOperation|affiliationChanged] [--json]',
  options: { dir: { type: 'string' }, serial: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const store = new DirectoryCaStore(requireString(ctx, 'dir'));
    const serial = requireString(ctx, 'serial');
    const reason = oneOf<RevocationReason>(ctx, 'reason', REASONS, 'unspecified');
    const rec = await store.withLock(async () => (await CertificateAuthority.open(store, store.loadCaSigner())).revoke(serial, reason));
    if (ctx.values.json) ctx.stdout(JSON.stringify({ serial: rec.serialHex, revocationDate: rec.revocationDate.toISOString(), reason: rec.reason ?? 'unspecified' }));
    else ctx.stdout(ctx.t({ zh: `已吊销 ${rec.serialHex} (${rec.reason ?? 'unspecified'}, ${rec.revocationDate.toISOString()})`, en: `revoked ${rec.serialHex} (${rec.reason ?? 'unspecified'}, ${rec.revocationDate.toISOString()})` }));
    return 0;
  },
};
