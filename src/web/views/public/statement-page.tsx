import type { Locale } from '../../../domain/locales.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { ReadableStatement } from '../../presenters/statement-presenter.js';
import { Layout } from '../layout.js';
import { DeclarantLine, fill, textLang } from './statement-parts.js';

/** The language a statement was written in, named in that language. */
function languageName(language: string): string {
  return language === 'zh-hans' || language === 'zh-hant' || language === 'en' ? UI_TEXT[language].languageName : language;
}

/**
 * One published statement, whole: its number, date, the people who withdrew together, and the
 * text split into paragraphs. A featured statement reads as an article with title and byline.
 */
export function StatementPage({ locale, statement }: { locale: Locale; statement: ReadableStatement }) {
  const t = UI_TEXT[locale];
  const number = fill(t.registrationNumber, { n: statement.registrationNumber });
  const heading = statement.title ?? fill(t.statementTitle, { n: statement.registrationNumber });
  const paragraphs = (statement.text ?? '').split(/\n\s*\n|\r?\n/).map((p) => p.trim()).filter((p) => p.length > 0);
  const lang = statement.translatedInto ? undefined : textLang(statement.language, locale);
  return (
    <Layout locale={locale} title={heading} path={`/s/${statement.registrationNumber}`}>
      <article class={statement.featured ? 'statement article' : 'statement'}>
        <h1 lang={statement.title ? lang : undefined}>{heading}</h1>
        {statement.featured && (
          <p class="byline" lang={lang}>
            {fill(t.byline, { names: statement.declarants.map((d) => d.displayName).join(locale === 'en' ? ', ' : '、') })}
          </p>
        )}
        <p class="meta">
          {number} · {t.publishedOn} <time datetime={statement.publishedOn}>{statement.publishedOn}</time>
          {statement.featured && statement.updatedOn !== statement.publishedOn && (
            <>
              {' · '}
              {t.updatedOn} <time datetime={statement.updatedOn}>{statement.updatedOn}</time>
            </>
          )}
        </p>
        {statement.translatedInto && <p class="notice">{fill(t.translationNotice, { language: languageName(statement.language) })}</p>}
        <section aria-labelledby="declarants">
          <h2 id="declarants">{t.declarantsTitle}</h2>
          <ul class="declarants" lang={lang}>
            {statement.declarants.map((d) => (
              <DeclarantLine declarant={d} locale={locale} />
            ))}
          </ul>
        </section>
        <div class="text" lang={lang}>
          {paragraphs.length === 0 ? <p class="hint">{t.noText}</p> : paragraphs.map((p) => <p>{p}</p>)}
        </div>
        {!statement.translatedInto && statement.language !== locale && paragraphs.length > 0 && (
          <p class="hint">{fill(t.languageOfText, { language: languageName(statement.language) })}</p>
        )}
        <p>
          <a href={`/${locale}/statements/${statement.publishedOn}`}>{fill(t.dayTitle, { day: statement.publishedOn })}</a>
        </p>
        {statement.commitmentSalt && (
          // Discreet: what a mirror or a reader needs to check this statement against the log (docs/log.md).
          <details class="commitment">
            <summary>{t.commitmentSalt}</summary>
            <code data-commitment-salt={statement.commitmentSalt}>{statement.commitmentSalt}</code>
          </details>
        )}
      </article>
    </Layout>
  );
}
