import type { ComponentChildren } from 'preact';
import { LOCALES, type Locale } from '../../domain/locales.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import { HTML_LANG, PageHead } from './page-head.js';


export interface LayoutProps {
  locale: Locale;
  title: string;
  /** The path after `/{locale}`, for the language switch (pages reached by POST link to their GET). */
  path: string;
  /** Scripts from /assets/ that progressively enhance the page; it works without them. */
  scripts?: string[];
  /** Atom feeds to announce in the head: [href, title]. */
  feeds?: [href: string, title: string][];
  /** Stylesheets after the app's own (a mirror's search page adds Pagefind's). */
  stylesheets?: string[];
  children: ComponentChildren;
}

/** The page shell every public page shares: language, title, navigation, styles, no inline code. */
export function Layout({ locale, title, path, scripts = [], feeds = [], stylesheets = [], children }: LayoutProps) {
  const t = UI_TEXT[locale];
  return (
    <html lang={HTML_LANG[locale]}>
      <PageHead title={`${title} — ${t.siteName}`} stylesheets={['/assets/app.css', ...stylesheets]} scripts={scripts} feeds={feeds} />
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="site">
          <a class="brand" href={`/${locale}/`}>
            {t.siteName}
          </a>
          <nav aria-label={t.siteName}>
            <a href={`/${locale}/statements`}>{t.navStatements}</a>
            <a href={`/${locale}/articles`}>{t.navArticles}</a>
            <a href={`/${locale}/categories`}>{t.navCategories}</a>
            <a href={`/${locale}/stats`}>{t.navStats}</a>
            <a href={`/${locale}/search`}>{t.navSearch}</a>
            <a href={`/${locale}/submit`}>{t.navSubmit}</a>
            <a href={`/${locale}/receipt`}>{t.navReceipt}</a>
          </nav>
          <nav class="languages" aria-label="Language / 语言 / 語言">
            {LOCALES.filter((l) => l !== locale).map((l) => (
              <a href={`/${l}${path}`} lang={HTML_LANG[l]} hreflang={HTML_LANG[l]}>
                {UI_TEXT[l].languageName}
              </a>
            ))}
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
