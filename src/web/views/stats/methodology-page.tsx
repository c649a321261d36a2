import type { Locale } from '../../../domain/locales.js';
import { STATS_TEXT, type StatsText } from '../../i18n/stats-text.js';
import { Layout } from '../layout.js';
import { fill } from '../public/statement-parts.js';

/** The sections of the method, in reading order: [heading key, paragraph keys]. */
const SECTIONS: [keyof StatsText, (keyof StatsText)[]][] = [
  ['methodCountedTitle', ['methodCounted1', 'methodCounted2']],
  ['methodNotCountedTitle', ['methodNotCounted1']],
  ['methodDuplicatesTitle', ['methodDuplicates1', 'methodDuplicates2']],
  ['methodConsentTitle', ['methodConsent1']],
  ['methodRetractionsTitle', ['methodRetractions1']],
  ['methodChecksTitle', ['methodChecks1']],
  ['methodDaysTitle', ['methodDays1', 'methodDays2']],
  ['methodOpenDataTitle', ['methodOpenData1']],
];

/** How the figures are made, in plain words: what counts, what does not, and how it is checked. */
export function MethodologyPage({ locale, minCell }: { locale: Locale; minCell: number }) {
  const t = STATS_TEXT[locale];
  return (
    <Layout locale={locale} title={t.methodTitle} path="/methodology">
      <h1>{t.methodTitle}</h1>
      <p class="lead">{t.methodIntro}</p>
      {SECTIONS.map(([heading, paragraphs]) => (
        <section aria-labelledby={`method-${heading}`}>
          <h2 id={`method-${heading}`}>{t[heading]}</h2>
          {paragraphs.map((key) => (
            <p>{fill(t[key], { min: minCell })}</p>
          ))}
        </section>
      ))}
      <p>
        <a href={`/${locale}/stats`}>{t.backToStats}</a>
      </p>
    </Layout>
  );
}
