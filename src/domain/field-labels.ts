import type { Locale } from './locales.js';

/** What each field is called in each locale, so that every error names its field. */
export const FIELD_LABELS: Record<string, Record<Locale, string>> = {
  body: { en: 'Request', 'zh-hans': '请求', 'zh-hant': '請求' },
  language: { en: 'Language', 'zh-hans': '语言', 'zh-hant': '語言' },
  title: { en: 'Title', 'zh-hans': '标题', 'zh-hant': '標題' },
  text: { en: 'Statement', 'zh-hans': '声明内容', 'zh-hant': '聲明內容' },
  contact: { en: 'Private contact details', 'zh-hans': '私密联系方式', 'zh-hant': '私密聯繫方式' },
  altcha: { en: 'Anti-spam check', 'zh-hans': '防垃圾验证', 'zh-hant': '防垃圾驗證' },
  website: { en: 'Leave this empty', 'zh-hans': '此栏留空', 'zh-hant': '此欄留空' },
  declarants: { en: 'People', 'zh-hans': '声明人', 'zh-hant': '聲明人' },
  displayName: { en: 'Name to publish', 'zh-hans': '公布的名字', 'zh-hant': '公佈的名字' },
  nameKind: { en: 'Real name or pseudonym', 'zh-hans': '真名或化名', 'zh-hant': '真名或化名' },
  organizations: { en: 'Organisations renounced', 'zh-hans': '退出的组织', 'zh-hant': '退出的組織' },
  region: { en: 'Region', 'zh-hans': '地区', 'zh-hant': '地區' },
  occupation: { en: 'Occupation', 'zh-hans': '职业', 'zh-hant': '職業' },
  receipt: { en: 'Receipt', 'zh-hans': '回执', 'zh-hant': '回執' },
  name: { en: 'User name', 'zh-hans': '用户名', 'zh-hant': '使用者名稱' },
  password: { en: 'Password', 'zh-hans': '密码', 'zh-hant': '密碼' },
  role: { en: 'Role', 'zh-hans': '角色', 'zh-hant': '角色' },
  consent: { en: 'Consent', 'zh-hans': '同意', 'zh-hant': '同意' },
  channel: { en: 'Channel', 'zh-hans': '渠道', 'zh-hant': '管道' },
  names: { en: 'Names', 'zh-hans': '名字', 'zh-hant': '名字' },
  reason: { en: 'Reason', 'zh-hans': '原因', 'zh-hant': '原因' },
  of: { en: 'Duplicate of', 'zh-hans': '重复于', 'zh-hant': '重複於' },
  page: { en: 'Page', 'zh-hans': '页码', 'zh-hant': '頁碼' },
  date: { en: 'Date', 'zh-hans': '日期', 'zh-hant': '日期' },
  number: { en: 'Registration number', 'zh-hans': '登记号', 'zh-hant': '登記號' },
  q: { en: 'Search words', 'zh-hans': '搜索词', 'zh-hant': '搜尋詞' },
  from: { en: 'First day', 'zh-hans': '起始日期', 'zh-hant': '起始日期' },
  to: { en: 'Last day', 'zh-hans': '结束日期', 'zh-hant': '結束日期' },
  featured: { en: 'Featured', 'zh-hans': '精选', 'zh-hant': '精選' },
};

const PERSON: Record<Locale, (n: number) => string> = {
  en: (n) => `Person ${n}`,
  'zh-hans': (n) => `第 ${n} 位声明人`,
  'zh-hant': (n) => `第 ${n} 位聲明人`,
};

/**
 * The label of a field path such as `declarants[2].region` in a locale:
 * "Person 3 — Region". Unknown paths are shown as they are.
 */
export function fieldLabel(path: string, locale: Locale): string {
  const match = /^declarants\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (match) {
    const person = PERSON[locale](Number(match[1]) + 1);
    const inner = match[2] ? FIELD_LABELS[match[2]]?.[locale] ?? match[2] : undefined;
    return inner ? `${person} — ${inner}` : person;
  }
  return FIELD_LABELS[path]?.[locale] ?? path;
}
