import type { ComponentChildren } from 'preact';
import type { Locale } from '../../../domain/locales.js';
import { OCCUPATIONS } from '../../../domain/occupations.js';
import { ORGANIZATION_NAMES, type Organization } from '../../../domain/organizations.js';
import { regionName } from '../../../domain/regions.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { PublicDeclarant, ReadableStatement } from '../../presenters/statement-presenter.js';
import { MAX_PAGE } from '../../routes/public/reading-params.js';

/** `{name}` placeholders filled in. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export function organizationsText(organizations: readonly Organization[], locale: Locale): string {
  return organizations.map((o) => ORGANIZATION_NAMES[o][locale]).join(locale === 'en' ? ', ' : '、');
}

export function occupationName(code: string, locale: Locale): string {
  return OCCUPATIONS.find(([c]) => c === code)?.[1][locale] ?? code;
}

/** The start of a text, cut at a character (not inside a surrogate pair), with an ellipsis. */
export function excerpt(text: string | null, max = 140): string {
  if (!text) return '';
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}

/** Like `excerpt`, but starting shortly before the first occurrence of a term, so a search result shows why it matched. */
export function excerptAround(text: string | null, terms: readonly string[], max = 140): string {
  if (!text || terms.length === 0) return excerpt(text, max);
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const positions = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0);
  if (positions.length === 0) return excerpt(flat, max);
  const chars = [...flat];
  // Code-point index of the first match, then a little context before it.
  const first = [...flat.slice(0, Math.min(...positions))].length;
  const start = Math.max(0, first - 30);
  const cut = chars.slice(start, start + max).join('');
  return `${start > 0 ? '…' : ''}${cut}${start + max < chars.length ? '…' : ''}`;
}

/** `text` with every case-insensitive occurrence of a term wrapped in <mark>. Text stays escaped. */
export function Highlighted({ text, terms }: { text: string; terms: readonly string[] }) {
  const usable = [...new Set(terms.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return <>{text}</>;
  const pattern = new RegExp(usable.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(<mark>{match[0]}</mark>);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

/** One person: the name (marked when it is a pseudonym), organisations, region, occupation. */
export function DeclarantLine({ declarant, locale }: { declarant: PublicDeclarant; locale: Locale }) {
  const t = UI_TEXT[locale];
  return (
    <li class="declarant">
      <strong class="name">{declarant.displayName}</strong>
      {declarant.nameKind === 'pseudonym' && <span class="tag"> ({t.pseudonymMark})</span>}
      <span class="facts">
        {' · '}
        {t.withdrewFrom}: {organizationsText(declarant.organizations, locale)}
        {' · '}
        {t.regionLabel}: {regionName(declarant.region, locale)}
        {declarant.occupation && (
          <>
            {' · '}
            {t.occupationLabel}: {occupationName(declarant.occupation, locale)}
          </>
        )}
      </span>
    </li>
  );
}

/**
 * A statement in a list: number, date, people, the start of the text, a link to the whole. Its
 * title is an h3 under a section's h2, or an h2 (`level={2}`) in a list right under the page's h1.
 */
export function StatementEntry({
  statement,
  locale,
  terms = [],
  level = 3,
}: {
  statement: ReadableStatement;
  locale: Locale;
  terms?: readonly string[];
  level?: 2 | 3;
}) {
  const t = UI_TEXT[locale];
  const Heading = level === 2 ? 'h2' : 'h3';
  const href = `/${locale}/s/${statement.registrationNumber}`;
  const start = terms.length > 0 ? excerptAround(statement.text, terms) : excerpt(statement.text);
  return (
    <article class="entry" lang={statement.translatedInto ? undefined : textLang(statement.language, locale)}>
      <p class="meta">
        <a href={href}>{fill(t.registrationNumber, { n: statement.registrationNumber })}</a>
        {' · '}
        {t.publishedOn} <time datetime={statement.publishedOn}>{statement.publishedOn}</time>
      </p>
      {statement.title && (
        <Heading>
          <a href={href}>
            <Highlighted text={statement.title} terms={terms} />
          </a>
        </Heading>
      )}
      <ul class="declarants">
        {statement.declarants.map((d) => (
          <DeclarantLine declarant={d} locale={locale} />
        ))}
      </ul>
      {start && (
        <p class="excerpt">
          <Highlighted text={start} terms={terms} />{' '}
          <a href={href} aria-label={`${t.readWhole}: ${fill(t.registrationNumber, { n: statement.registrationNumber })}`}>
            {t.readWhole}
          </a>
        </p>
      )}
    </article>
  );
}

/** The `lang` of user text as shown: Chinese converted to the reader's script, English as written. */
export function textLang(language: string, locale: Locale): string {
  if (language === 'en') return 'en';
  if (locale === 'zh-hans') return 'zh-Hans';
  if (locale === 'zh-hant') return 'zh-Hant';
  return language === 'zh-hant' ? 'zh-Hant' : 'zh-Hans';
}

/** Previous / next page links; nothing when there is one page. */
export function Pager({ locale, page, hasMore, href }: { locale: Locale; page: number; hasMore: boolean; href: (page: number) => string }) {
  const t = UI_TEXT[locale];
  if (page <= 1 && !hasMore) return null;
  return (
    <nav class="pager" aria-label={t.pagesLabel}>
      {page > 1 && (
        <a href={href(page - 1)} rel="prev">
          ← {t.newerPage}
        </a>
      )}
      {hasMore && page < MAX_PAGE && (
        <a href={href(page + 1)} rel="next">
          {t.olderPage} →
        </a>
      )}
    </nav>
  );
}
