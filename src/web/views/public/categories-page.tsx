import type { Locale } from '../../../domain/locales.js';
import { OCCUPATIONS } from '../../../domain/occupations.js';
import { ORGANIZATIONS, type Organization } from '../../../domain/organizations.js';
import { REGIONS } from '../../../domain/regions.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { ReadableStatement } from '../../presenters/statement-presenter.js';
import { Layout } from '../layout.js';
import { formatCount } from './count-summary.js';
import { fill, organizationsText, Pager, StatementEntry } from './statement-parts.js';

/** Every non-empty combination of organisations, in a stable order (its URL spelling joins with +). */
export const ORGANIZATION_COMBINATIONS: Organization[][] = [1, 2, 3, 4, 5, 6, 7].map((mask) => ORGANIZATIONS.filter((_, i) => mask & (1 << i)));

export function combinationSlug(organizations: readonly Organization[]): string {
  return organizations.join('+');
}

export interface CategoriesPageProps {
  locale: Locale;
  /** Persons counted (published − retracted) per region code. */
  regionCounts: Map<string, number>;
}

/** The category index: by organisation combination, by region (with counts), by occupation. */
export function CategoriesPage({ locale, regionCounts }: CategoriesPageProps) {
  const t = UI_TEXT[locale];
  const base = `/${locale}/categories`;
  return (
    <Layout locale={locale} title={t.navCategories} path="/categories">
      <h1>{t.navCategories}</h1>
      <section aria-labelledby="by-organizations">
        <h2 id="by-organizations">{t.byOrganizationsTitle}</h2>
        <ul class="categories">
          {ORGANIZATION_COMBINATIONS.map((combo) => (
            <li>
              <a href={`${base}/organizations/${combinationSlug(combo)}`}>{organizationsText(combo, locale)}</a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="by-region">
        <h2 id="by-region">{t.byRegionTitle}</h2>
        <ul class="categories columns">
          {REGIONS.map(([code, names]) => (
            <li>
              <a href={`${base}/regions/${code}`}>{names[locale]}</a> <span class="hint">{fill(t.categoryPersons, { n: formatCount(regionCounts.get(code) ?? 0, locale) })}</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="by-occupation">
        <h2 id="by-occupation">{t.byOccupationTitle}</h2>
        <ul class="categories columns">
          {OCCUPATIONS.map(([code, names]) => (
            <li>
              <a href={`${base}/occupations/${code}`}>{names[locale]}</a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export interface CategoryPageProps {
  locale: Locale;
  /** The category's name in the reader's language, and its path after /{locale}. */
  name: string;
  path: string;
  statements: ReadableStatement[];
  page: number;
  hasMore: boolean;
}

/** One category's published statements, newest first. */
export function CategoryPage({ locale, name, path, statements, page, hasMore }: CategoryPageProps) {
  const t = UI_TEXT[locale];
  return (
    <Layout locale={locale} title={name} path={path}>
      <p class="meta">
        <a href={`/${locale}/categories`}>{t.navCategories}</a>
      </p>
      <h1>{name}</h1>
      {statements.length === 0 && <p>{t.categoryEmpty}</p>}
      {statements.map((s) => (
        <StatementEntry statement={s} locale={locale} level={2} />
      ))}
      <Pager locale={locale} page={page} hasMore={hasMore} href={(p) => `/${locale}${path}?page=${p}`} />
    </Layout>
  );
}
