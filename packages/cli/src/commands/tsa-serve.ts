import { loadTsaDirectory, serveTsa } from '@yinzhang/pki';
import { optionalString, requireString, UsageError, type Command } from '../command.js';

export const tsaServe: Command = {
  path: ['tsa', 'serve'],
  summary: { zh: '在本机回环地址上运行 RFC 3161 时间戳服务', en: 'run an RFC 3161 time-stamp service on the loopback address' },
  usage: '--dir DIR --port P [--policy OID]   (DIR: tsa.pem + tsa-key.pem, or a CA directory that issues its TSA certificate)',
  options: { dir: { type: 'string' }, port: { type: 'string' }, policy: { type: 'string' } },
  async run(ctx) {
    const dir = requireString(ctx, 'dir');
    const portText = requireString(ctx, 'port');
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError({ zh: '--port 必须是 0 到 65535 的整数', en: '--port must be an integer 0..65535' });
    const policy = optionalString(ctx, 'policy');
    if (policy !== undefined && !/^\d+(\.\d+)+$/.test(policy)) throw new UsageError({ zh: '--policy 必须是 OID', en: '--policy must be an OID' });
    const { tsa, created } = await loadTsaDirectory(dir, policy ? { policy } : {});
    if (created) ctx.stderr(ctx.t({ zh: `已由 CA 签发时间戳证书: ${dir}/tsa.pem`, en: `issued a TSA certificate from the CA: ${dir}/tsa.pem` }));
    const server = await serveTsa(tsa, Number(portText));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : Number(portText);
    ctx.stdout(ctx.t({ zh: `时间戳服务已启动: http://127.0.0.1:${port}/ (证书 ${tsa.options.certificate.subject})`, en: `TSA listening on http://127.0.0.1:${port}/ (certificate ${tsa.options.certificate.subject})` }));
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
