import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { linksFor } from './console-links.js';
import { StaffLayout } from './staff-layout.js';

/** The start page: what this role may do here, and sign-out (in the header). */
export function DashboardPage({ viewer }: { viewer: ConsoleViewer }) {
  const t = STAFF_TEXT[viewer.locale];
  const links = linksFor(viewer.member.role);
  return (
    <StaffLayout locale={viewer.locale} title={t.dashboardTitle} viewer={viewer}>
      <h1>{t.dashboardTitle}</h1>
      {links.length === 0 ? (
        <p>{t.dashboardNothing}</p>
      ) : (
        <ul class="dashboard">
          {links.map((link) => (
            <li>
              <a href={link.href}>{t[link.label]}</a>
              <p class="hint">{t[link.hint]}</p>
            </li>
          ))}
        </ul>
      )}
    </StaffLayout>
  );
}
