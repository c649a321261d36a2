import { LOCALES, type Locale } from '../../../domain/locales.js';
import { MIRROR_TEXT } from '../../i18n/mirror-text.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import { Layout } from '../layout.js';
import { HTML_LANG, PageHead } from '../page-head.js';
import { fill } from '../public/statement-parts.js';

/**
 * What a mirror shows instead of the submit and receipt pages: a static copy cannot take a
 * statement or look up a receipt, so it says how to reach the center (its address when known).
 */
export function MirrorOfflinePage({ locale, path, centerUrl }: { locale: Locale; path: string; centerUrl: string | undefined }) {
  const m = MIRROR_TEXT[locale];
  return (
    <Layout locale={locale} title={m.offlineTitle} path={path}>
      <h1>{m.offlineTitle}</h1>
      <p>{m.offlineWhy}</p>
      <p>{centerUrl ? fill(m.offlineReach, { address: centerUrl }) : m.offlineReachUnknown}</p>
      <p class="hint">{m.offlineSafety}</p>
    </Layout>
  );
}

/**
 * The search page of a mirror: no search service, but with JavaScript a static index built at
 * export (Pagefind, which segments Chinese) answers in the page; without it, the day lists and
 * categories hold everything.
 */
export function MirrorSearchPage({ locale }: { locale: Locale }) {
  const m = MIRROR_TEXT[locale];
  return (
    <Layout
      locale={locale}
      title={m.searchTitle}
      path="/search"
      stylesheets={['/pagefind/pagefind-ui.css']}
      scripts={['/pagefind/pagefind-ui.js', '/assets/mirror-search.js']}
    >
      <h1>{m.searchTitle}</h1>
      <div id="mirror-search" data-pagefind-ui></div>
      <p>{m.searchWhy}</p>
      <ul>
        <li>
          <a href={`/${locale}/statements`}>{m.searchByDay}</a>
        </li>
        <li>
          <a href={`/${locale}/categories`}>{m.searchByCategory}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** The mirror's root page: the three languages (the service picks one from Accept-Language instead). */
export function MirrorRootPage() {
  return (
    <html lang="zh-Hans">
      <PageHead title={LOCALES.map((l) => UI_TEXT[l].siteName).join(' · ')} stylesheets={['/assets/app.css']} />
      <body>
        <main id="main">
          <h1>{UI_TEXT['zh-hans'].siteName}</h1>
          <ul>
            {LOCALES.map((l) => (
              <li>
                <a href={`/${l}/`} lang={HTML_LANG[l]} hreflang={HTML_LANG[l]}>
                  {UI_TEXT[l].languageName}
                </a>
              </li>
            ))}
          </ul>
        </main>
      </body>
    </html>
  );
}
