import type { Command } from '../command.js';
import { optionalString, UsageError } from '../command.js';

export const demo: Command = {
  path: ['demo'],
  summary: { zh: '向新建的平台实例填充演示数据 (区划、单位、各角色用户、各状态印章)', en: 'Fill a fresh platform instance with demo data (regions, organisations, users of every role, seals in every state)' },
  usage: '[--data DIR]   (admin password: the one generated now, or YINZHANG_ADMIN_PASSWORD)',
  options: { data: { type: 'string' } },
  async run(ctx) {
    const { createPlatform, runDemo } = await import('@yinzhang/platform');
    const platform = await createPlatform({ dataDir: optionalString(ctx, 'data') ?? process.env.YINZHANG_DATA ?? './data' });
    try {
      const password = platform.generatedAdminPassword ?? process.env.YINZHANG_ADMIN_PASSWORD;
      if (!password) throw new UsageError({ zh: '此实例已有管理员: 请设置 YINZHANG_ADMIN_PASSWORD', en: 'this instance already has an admin: set YINZHANG_ADMIN_PASSWORD' });
      if (platform.generatedAdminPassword) ctx.stdout(ctx.t({ zh: `管理员 admin 初始口令 (只显示这一次): ${password}`, en: `admin initial password (shown once): ${password}` }));
      const r = await runDemo(platform, password);
      ctx.stdout(ctx.t({ zh: `演示数据已创建: ${r.organisations} 个单位, ${r.users.length} 个用户 (口令均为 ${r.password})`, en: `demo data created: ${r.organisations} organisations, ${r.users.length} users (password ${r.password})` }));
      for (const u of r.users) ctx.stdout(`  ${u.login.padEnd(22)} ${u.roles}`);
      ctx.stdout(ctx.t({ zh: `印章: ${JSON.stringify(r.seals)}`, en: `seals: ${JSON.stringify(r.seals)}` }));
      if (r.productionSkipped) ctx.stderr(ctx.t({ zh: `未制作印章: ${r.productionSkipped}`, en: `no seals produced: ${r.productionSkipped}` }));
      return 0;
    } finally {
      await platform.close();
    }
  },
};
