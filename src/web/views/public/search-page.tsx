import type { Locale } from '../../../domain/locales.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { ReadableStatement } from '../../presenters/statement-presenter.js';
import { Layout } from '../layout.js';
import { fill, Pager, StatementEntry } from './statement-parts.js';

export interface SearchPageProps {
  locale: Locale;
  q: string;
  /** Null when the query had no usable term: the page shows only the form and a hint. */
  results: ReadableStatement[] | null;
  highlight: readonly string[];
  page: number;
  hasMore: boolean;
}

/** Full-text search over published statements: a GET form that works without JavaScript. */
export function SearchPage({ locale, q, results, highlight, page, hasMore }: SearchPageProps) {
  const t = UI_TEXT[locale];
  const query = encodeURIComponent(q);
  return (
    <Layout locale={locale} title={results ? fill(t.searchResults, { q }) : t.navSearch} path="/search">
      <h1>{t.navSearch}</h1>
      <form method="get" action={`/${locale}/search`} role="search">
        <label for="q">{t.searchLabel}</label>
        <input id="q" name="q" type="search" value={q} maxLength={100} aria-describedby="q-hint" />
        <p id="q-hint" class="hint">
          {t.searchHint}
        </p>
        <button type="submit">{t.navSearch}</button>
      </form>
      {results && (
        <section aria-labelledby="results">
          <h2 id="results">{fill(t.searchResults, { q })}</h2>
          {results.length === 0 && <p>{t.searchNoResults}</p>}
          {results.map((s) => (
            <StatementEntry statement={s} locale={locale} terms={highlight} />
          ))}
          <Pager locale={locale} page={page} hasMore={hasMore} href={(p) => `/${locale}/search?q=${query}&page=${p}`} />
        </section>
      )}
    </Layout>
  );
}
