import type { ComponentChildren } from 'preact';
import type { Locale } from '../../../domain/locales.js';
import type { Role } from '../../../domain/roles.js';
import { STAFF_TEXT, type StaffText } from '../../i18n/staff-text.js';
import { UI_TEXT } from '../../i18n/ui-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { HTML_LANG, PageHead } from '../page-head.js';
import { linksFor } from './console-links.js';


/** Each role's name in the console's text. */
export const ROLE_TEXT: Record<Role, keyof StaffText> = {
  admin: 'roleAdmin',
  editor: 'roleEditor',
  volunteer: 'roleVolunteer',
  translator: 'roleTranslator',
};

export interface StaffLayoutProps {
  locale: Locale;
  title: string;
  /** Absent on the sign-in and error pages: no navigation, no sign-out. */
  viewer?: ConsoleViewer | undefined;
  scripts?: string[];
  children: ComponentChildren;
}

/** The shell of every console page: no inline code, no third-party resources, never indexed. */
export function StaffLayout({ locale, title, viewer, scripts = [], children }: StaffLayoutProps) {
  const t = STAFF_TEXT[locale];
  return (
    <html lang={HTML_LANG[locale]}>
      <PageHead title={`${title} — ${t.consoleName}`} stylesheets={['/assets/app.css', '/assets/staff.css']} scripts={scripts} noindex />
      <body class="staff">
        <a class="skip" href="#main">
          {UI_TEXT[locale].skipToContent}
        </a>
        <header class="site">
          <a class="brand" href="/staff/">
            {t.consoleName}
          </a>
          {viewer && <StaffNav viewer={viewer} />}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}

function StaffNav({ viewer }: { viewer: ConsoleViewer }) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <>
      <nav aria-label={t.consoleName}>
        <a href="/staff/">{t.navDashboard}</a>
        {linksFor(viewer.member.role).map((link) => (
          <a href={link.href}>{t[link.label]}</a>
        ))}
      </nav>
      <form method="post" action="/staff/sign-out" class="sign-out">
        <CsrfField viewer={viewer} />
        <span class="who">{t.signedInAs.replace('{name}', viewer.member.name).replace('{role}', t[ROLE_TEXT[viewer.member.role]])}</span>{' '}
        <button type="submit" class="secondary">
          {t.signOut}
        </button>
      </form>
    </>
  );
}

/** The hidden CSRF token every console form that changes anything carries. */
export function CsrfField({ viewer }: { viewer: ConsoleViewer }) {
  return <input type="hidden" name="_csrf" value={viewer.csrfToken} />;
}

/** A confirmation after a redirect, read out by screen readers. */
export function Notice({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}
