/** The three locales of the service; the first one is the fallback for API messages. */
export const LOCALES = ['zh-hans', 'zh-hant', 'en'] as const;

export type Locale = (typeof LOCALES)[number];

/** Whether a string names one of the service's locales. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Chooses a locale from an Accept-Language header (RFC 9110 §12.5.4), honouring q-values.
 * Chinese tags are mapped by script and region: Hant, TW, HK and MO read Traditional.
 */
export function negotiateLocale(header: string | undefined, fallback: Locale = 'zh-hans'): Locale {
  if (!header) return fallback;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranges) {
    const locale = localeForTag(tag);
    if (locale) return locale;
  }
  return fallback;
}

function localeForTag(tag: string): Locale | undefined {
  if (tag === 'zh-hans' || tag === 'zh-hant' || tag === 'en') return tag;
  if (tag.startsWith('zh')) {
    if (/\bhant\b|-(tw|hk|mo)\b/.test(tag)) return 'zh-hant';
    return 'zh-hans';
  }
  if (tag.startsWith('en')) return 'en';
  return undefined;
}
