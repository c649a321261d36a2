import type { Locale } from '../../domain/locales.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import { Layout } from './layout.js';

/** The home page; the count and latest statements arrive with the public site. */
export function HomePage({ locale }: { locale: Locale }) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={t.navHome} path="/">
      <h1>{t.siteName}</h1>
      <p class="lead">{t.tagline}</p>
      <p>{t.homeIntro}</p>
      <p>
        <a class="button" href={`/${locale}/submit`}>
          {t.homeSubmitLink}
        </a>
      </p>
      <p>
        <a href={`/${locale}/receipt`}>{t.homeReceiptLink}</a>
      </p>
      <section aria-labelledby="safety">
        <h2 id="safety">{t.safetyTitle}</h2>
        <p>{t.safetyPoints}</p>
      </section>
    </Layout>
  );
}
