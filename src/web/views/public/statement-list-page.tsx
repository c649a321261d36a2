import type { Locale } from '../../../domain/locales.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { ReadableStatement } from '../../presenters/statement-presenter.js';
import { Layout } from '../layout.js';
import { fill, Pager, StatementEntry } from './statement-parts.js';

/** The latest published statements, a page at a time. */
export function LatestPage({ locale, statements, page, hasMore }: { locale: Locale; statements: ReadableStatement[]; page: number; hasMore: boolean }) {
  const t = UI_TEXT[locale];
  const path = page > 1 ? `/statements?page=${page}` : '/statements';
  return (
    <Layout locale={locale} title={t.latestTitle} path={path} feeds={[[`/${locale}/feed.atom`, t.feedLatest]]}>
      <h1>{t.latestTitle}</h1>
      {statements.length === 0 && <p>{t.noStatementsYet}</p>}
      {statements.map((s) => (
        <StatementEntry statement={s} locale={locale} level={2} />
      ))}
      <Pager locale={locale} page={page} hasMore={hasMore} href={(p) => `/${locale}/statements?page=${p}`} />
      {!hasMore && statements.length > 0 && statements.at(-1) && (
        <p class="hint">
          {t.statementsArchiveHint}{' '}
          <a href={`/${locale}/statements/${statements.at(-1)!.publishedOn}`}>{statements.at(-1)!.publishedOn}</a>
        </p>
      )}
      <p>
        <a href={`/${locale}/feed.atom`}>{t.feedLatest}</a>
      </p>
    </Layout>
  );
}

export interface DayPageProps {
  locale: Locale;
  day: string;
  statements: ReadableStatement[];
  count: { statements: number; persons: number };
  previous: string | null;
  next: string | null;
  page: number;
  hasMore: boolean;
}

/** One day's published statements with the day's count and links to the days around it. */
export function DayPage({ locale, day, statements, count, previous, next, page, hasMore }: DayPageProps) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={fill(t.dayTitle, { day })} path={`/statements/${day}`}>
      <h1>{fill(t.dayTitle, { day })}</h1>
      <p class="lead">{fill(t.dayCount, { statements: count.statements, persons: count.persons })}</p>
      <DayLinks locale={locale} previous={previous} next={next} />
      {statements.length === 0 && <p>{t.dayEmpty}</p>}
      {statements.map((s) => (
        <StatementEntry statement={s} locale={locale} level={2} />
      ))}
      <Pager locale={locale} page={page} hasMore={hasMore} href={(p) => `/${locale}/statements/${day}?page=${p}`} />
      <DayLinks locale={locale} previous={previous} next={next} />
    </Layout>
  );
}

function DayLinks({ locale, previous, next }: { locale: Locale; previous: string | null; next: string | null }) {
  const t = UI_TEXT[locale];
  if (!previous && !next) return null;
  return (
    <p class="days">
      {previous && (
        <a href={`/${locale}/statements/${previous}`} rel="prev">
          ← {t.previousDay} ({previous})
        </a>
      )}
      {next && (
        <a href={`/${locale}/statements/${next}`} rel="next">
          {t.nextDay} ({next}) →
        </a>
      )}
    </p>
  );
}
