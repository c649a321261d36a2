import type { Locale } from './locales.js';

/** How a withdrawal reached the center: `web` is self-submitted, the others are recorded by a volunteer. */
export const CHANNELS = ['web', 'phone', 'in_person', 'email', 'letter', 'hotline'] as const;

export type Channel = (typeof CHANNELS)[number];

/** The channels a volunteer can record. */
export const ASSISTED_CHANNELS = CHANNELS.filter((c) => c !== 'web');

export const CHANNEL_NAMES: Record<Channel, Record<Locale, string>> = {
  web: { en: 'Website', 'zh-hans': '网站', 'zh-hant': '網站' },
  phone: { en: 'Phone', 'zh-hans': '电话', 'zh-hant': '電話' },
  in_person: { en: 'In person', 'zh-hans': '当面', 'zh-hant': '當面' },
  email: { en: 'Email', 'zh-hans': '电子邮件', 'zh-hant': '電子郵件' },
  letter: { en: 'Letter', 'zh-hans': '信件', 'zh-hant': '信件' },
  hotline: { en: 'Hotline', 'zh-hans': '热线', 'zh-hant': '熱線' },
};
