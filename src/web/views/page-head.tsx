import type { Locale } from '../../domain/locales.js';

/** The `lang` attribute of each locale (BCP 47 script subtags). */
export const HTML_LANG: Record<Locale, string> = { 'zh-hans': 'zh-Hans', 'zh-hant': 'zh-Hant', en: 'en' };

/**
 * The `<head>` every page shares: no referrer, the app's own stylesheets and deferred scripts,
 * nothing inline and nothing from another origin (promise 5).
 */
export function PageHead({
  title,
  stylesheets,
  scripts = [],
  feeds = [],
  noindex = false,
}: {
  title: string;
  stylesheets: string[];
  scripts?: string[];
  feeds?: [href: string, title: string][];
  noindex?: boolean;
}) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      {noindex && <meta name="robots" content="noindex, nofollow" />}
      <title>{title}</title>
      {stylesheets.map((href) => (
        <link rel="stylesheet" href={href} />
      ))}
      {feeds.map(([href, feedTitle]) => (
        <link rel="alternate" type="application/atom+xml" href={href} title={feedTitle} />
      ))}
      {scripts.map((src) => (
        <script src={src} defer />
      ))}
    </head>
  );
}
