import type { Locale } from '../../../domain/locales.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { ReadableStatement } from '../../presenters/statement-presenter.js';
import { Layout } from '../layout.js';
import { excerpt, fill, Pager, textLang } from './statement-parts.js';

/** Featured long statements: title, byline, published and updated dates, the start of the text. */
export function ArticlesPage({ locale, articles, page, hasMore }: { locale: Locale; articles: ReadableStatement[]; page: number; hasMore: boolean }) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={t.featuredTitle} path="/articles" feeds={[[`/${locale}/articles/feed.atom`, t.feedArticles]]}>
      <h1>{t.featuredTitle}</h1>
      <p>{t.articlesIntro}</p>
      {articles.length === 0 && <p>{t.articlesEmpty}</p>}
      {articles.map((a) => {
        const href = `/${locale}/s/${a.registrationNumber}`;
        const lang = a.translatedInto ? undefined : textLang(a.language, locale);
        return (
          <article class="entry">
            <h2 lang={a.title ? lang : undefined}>
              <a href={href}>{a.title ?? fill(t.statementTitle, { n: a.registrationNumber })}</a>
            </h2>
            <p class="byline" lang={lang}>
              {fill(t.byline, { names: a.declarants.map((d) => d.displayName).join(locale === 'en' ? ', ' : '、') })}
            </p>
            <p class="meta">
              {t.publishedOn} <time datetime={a.publishedOn}>{a.publishedOn}</time>
              {a.updatedOn !== a.publishedOn && (
                <>
                  {' · '}
                  {t.updatedOn} <time datetime={a.updatedOn}>{a.updatedOn}</time>
                </>
              )}
            </p>
            <p class="excerpt" lang={lang}>
              {excerpt(a.text, 300)}{' '}
              <a href={href}>{t.readWhole}</a>
            </p>
          </article>
        );
      })}
      <Pager locale={locale} page={page} hasMore={hasMore} href={(p) => `/${locale}/articles?page=${p}`} />
      <p>
        <a href={`/${locale}/articles/feed.atom`}>{t.feedArticles}</a>
      </p>
    </Layout>
  );
}
