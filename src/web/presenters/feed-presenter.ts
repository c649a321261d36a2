import { Feed } from 'feed';
import type { Locale } from '../../domain/locales.js';
import { regionName } from '../../domain/regions.js';
import { UI_TEXT } from '../i18n/ui-text.js';
import { fill, occupationName, organizationsText } from '../views/public/statement-parts.js';
import type { ReadableStatement } from './statement-presenter.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export interface FeedSettings {
  locale: Locale;
  /** The origin links start with: `PUBLIC_URL`, or the address the reader used. */
  base: string;
  /** The feed's path, e.g. `/en/feed.atom`. */
  path: string;
  title: string;
  updated: Date;
}

/**
 * An Atom feed of published statements. Entries carry only what promise 4 allows (the
 * presenter's fields); user text is escaped here because Atom `html` content is markup.
 */
export function statementsFeed(settings: FeedSettings, statements: ReadableStatement[]): string {
  const { locale, base } = settings;
  const t = UI_TEXT[locale];
  const home = `${base}/${locale}/`;
  const feed = new Feed({
    id: `${base}${settings.path}`,
    title: `${settings.title} — ${t.siteName}`,
    link: home,
    language: locale,
    updated: settings.updated,
    generator: false,
    feedLinks: { atom: `${base}${settings.path}` },
  });
  for (const s of statements) {
    const link = `${base}/${locale}/s/${s.registrationNumber}`;
    const names = s.declarants.map((d) => d.displayName).join(locale === 'en' ? ', ' : '、');
    const people = s.declarants.map((d) => {
      const facts = [
        `${t.withdrewFrom}: ${organizationsText(d.organizations, locale)}`,
        `${t.regionLabel}: ${regionName(d.region, locale)}`,
        ...(d.occupation ? [`${t.occupationLabel}: ${occupationName(d.occupation, locale)}`] : []),
      ];
      const pseudonym = d.nameKind === 'pseudonym' ? ` (${t.pseudonymMark})` : '';
      return `<li>${escapeHtml(d.displayName)}${escapeHtml(pseudonym)} · ${escapeHtml(facts.join(' · '))}</li>`;
    });
    const paragraphs = (s.text ?? '').split(/\r?\n/).map((p) => p.trim()).filter(Boolean).map((p) => `<p>${escapeHtml(p)}</p>`);
    const date = new Date(`${s.publishedOn}T00:00:00Z`);
    feed.addItem({
      id: link,
      // Atom `html` titles are markup too: escaped like the content.
      title: escapeHtml(s.title ?? `${fill(t.registrationNumber, { n: s.registrationNumber })} — ${names}`),
      link,
      date: new Date(`${s.updatedOn}T00:00:00Z`),
      published: date,
      author: s.declarants.map((d) => ({ name: d.displayName })),
      content: `<ul>${people.join('')}</ul>${paragraphs.join('')}`,
    });
  }
  return feed.atom1();
}
