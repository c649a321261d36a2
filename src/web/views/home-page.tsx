import type { Locale } from '../../domain/locales.js';
import type { PublicCount } from '../../domain/public-count.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import type { ReadableStatement } from '../presenters/statement-presenter.js';
import { Layout } from './layout.js';
import { CountSummary } from './public/count-summary.js';
import { fill, StatementEntry } from './public/statement-parts.js';

export interface HomePageProps {
  locale: Locale;
  count: PublicCount;
  latest: ReadableStatement[];
  featured: ReadableStatement[];
}

/** The home page: the count, the way to withdraw, the latest statements and the featured articles. */
export function HomePage({ locale, count, latest, featured }: HomePageProps) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={t.navHome} path="/" feeds={[[`/${locale}/feed.atom`, t.feedLatest]]}>
      <h1>{t.siteName}</h1>
      <p class="lead">{t.tagline}</p>
      <CountSummary count={count} locale={locale} />
      <p>{t.homeIntro}</p>
      <p>
        <a class="button" href={`/${locale}/submit`}>
          {t.homeSubmitLink}
        </a>
      </p>
      <p>
        <a href={`/${locale}/receipt`}>{t.homeReceiptLink}</a>
      </p>
      <section aria-labelledby="latest">
        <h2 id="latest">{t.latestTitle}</h2>
        {latest.length === 0 && <p>{t.noStatementsYet}</p>}
        {latest.map((s) => (
          <StatementEntry statement={s} locale={locale} />
        ))}
        <p>
          <a href={`/${locale}/statements`}>{t.allStatementsLink}</a>
        </p>
      </section>
      {featured.length > 0 && (
        <section aria-labelledby="featured">
          <h2 id="featured">{t.featuredTitle}</h2>
          <ul class="articles">
            {featured.map((a) => (
              <li>
                <a href={`/${locale}/s/${a.registrationNumber}`}>{a.title ?? fill(t.statementTitle, { n: a.registrationNumber })}</a>
              </li>
            ))}
          </ul>
          <p>
            <a href={`/${locale}/articles`}>{t.allArticlesLink}</a>
          </p>
        </section>
      )}
      <section aria-labelledby="safety">
        <h2 id="safety">{t.safetyTitle}</h2>
        <p>{t.safetyPoints}</p>
      </section>
    </Layout>
  );
}
