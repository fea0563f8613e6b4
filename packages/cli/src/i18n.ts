/** zh-CN first; English with --lang en or LANG=en*. */
export type Lang = 'zh' | 'en';

export interface Text {
  zh: string;
  en: string;
}

export function detectLang(argv: string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  if (i >= 0) {
    const v = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
    return v?.toLowerCase().startsWith('en') ? 'en' : 'zh';
  }
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return l.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export function t(lang: Lang, text: Text): string {
  return lang === 'en' ? text.en : text.zh;
}
