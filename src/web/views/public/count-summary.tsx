import type { Locale } from '../../../domain/locales.js';
import type { PublicCount } from '../../../domain/public-count.js';
import { UI_TEXT } from '../../i18n/ui-text.js';

const FORMATS = { en: new Intl.NumberFormat('en'), zh: new Intl.NumberFormat('zh') };

/** Formats a count with the locale's digit grouping. */
export function formatCount(n: number, locale: Locale): string {
  return (locale === 'en' ? FORMATS.en : FORMATS.zh).format(n);
}

/** The headline count and its periods, as text (no script, no image). */
export function CountSummary({ count, locale }: { count: PublicCount; locale: Locale }) {
  const t = UI_TEXT[locale];
  const periods: [string, number][] = [
    [t.countToday, count.today],
    [t.countYesterday, count.yesterday],
    [t.countThisWeek, count.thisWeek],
    [t.countThisMonth, count.thisMonth],
  ];
  return (
    <section class="count" aria-labelledby="count-total">
      <p id="count-total" class="total">
        <strong>{formatCount(count.total, locale)}</strong> {t.countHeadline}
      </p>
      <dl class="periods">
        {periods.map(([label, n]) => (
          <div>
            <dt>{label}</dt>
            <dd>{formatCount(n, locale)}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">
        {t.countUpdated}:{' '}
        {count.lastUpdate ? <time datetime={count.lastUpdate}>{count.lastUpdate.slice(0, 16).replace('T', ' ')} UTC</time> : t.countNever}.{' '}
        {t.countExplained}
      </p>
    </section>
  );
}
