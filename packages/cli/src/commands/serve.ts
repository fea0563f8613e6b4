import type { Command } from '../command.js';
import { optionalString, UsageError } from '../command.js';

export const serve: Command = {
  path: ['serve'],
  summary: { zh: '启动电子印章平台 (HTTP API, 默认端口 8080, 数据目录 ./data; 设置 DATABASE_URL 时使用 PostgreSQL)', en: 'Run the platform (HTTP API on :8080, data in ./data; PostgreSQL when DATABASE_URL is set)' },
  usage: '[--port 8080] [--data DIR] [--host 0.0.0.0]',
  options: { port: { type: 'string' }, data: { type: 'string' }, host: { type: 'string' } },
  async run(ctx) {
    const port = Number(optionalString(ctx, 'port') ?? process.env.PORT ?? '8080');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError({ zh: '--port 必须是 0–65535 的整数', en: '--port must be an integer 0–65535' });
    const { createPlatform, startScheduler } = await import('@yinzhang/platform');
    const platform = await createPlatform({ dataDir: optionalString(ctx, 'data') ?? process.env.YINZHANG_DATA ?? './data', logger: true });
    if (platform.generatedAdminPassword) {
      ctx.stdout(ctx.t({
        zh: `已创建管理员账号 admin, 初始口令 (只显示这一次, 请妥善保存): ${platform.generatedAdminPassword}`,
        en: `Created the admin account "admin"; initial password (shown only this once): ${platform.generatedAdminPassword}`,
      }));
    }
    const stop = startScheduler(platform.ctx, 60_000, (m) => ctx.stderr(m));
    const host = optionalString(ctx, 'host') ?? process.env.HOST ?? '0.0.0.0';
    const address = await platform.app.listen({ port, host });
    ctx.stdout(ctx.t({ zh: `平台已启动: ${address}/api/docs`, en: `platform listening: ${address}/api/docs` }));
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    stop();
    await platform.close();
    return 0;
  },
};
