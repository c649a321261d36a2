import type { listStaffAccounts } from '../../../commands/staff-accounts.js';
import { isRole } from '../../../domain/roles.js';
import { STAFF_TEXT } from '../../i18n/staff-text.js';
import type { ConsoleViewer } from '../../routes/staff/console-support.js';
import { ROLE_TEXT, StaffLayout } from './staff-layout.js';
import { utcMinute } from './submission-parts.js';

type Account = Awaited<ReturnType<typeof listStaffAccounts>>[number];

/** Staff accounts without any secret; they are managed with `rcenter user …`. */
export function UsersPage({ viewer, accounts }: { viewer: ConsoleViewer; accounts: Account[] }) {
  const t = STAFF_TEXT[viewer.locale];
  return (
    <StaffLayout locale={viewer.locale} title={t.usersTitle} viewer={viewer}>
      <h1>{t.usersTitle}</h1>
      <p class="hint">{t.usersIntro}</p>
      <table class="users">
        <thead>
          <tr>
            <th scope="col">{t.nameColumn}</th>
            <th scope="col">{t.roleColumn}</th>
            <th scope="col">{t.totpColumn}</th>
            <th scope="col">{t.disabledColumn}</th>
            <th scope="col">{t.createdColumn}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr>
              <td>{a.name}</td>
              <td>{isRole(a.role) ? t[ROLE_TEXT[a.role]] : a.role}</td>
              <td>{a.totp ? t.answerYes : t.answerNo}</td>
              <td>{a.disabled ? t.answerYes : t.answerNo}</td>
              <td>{utcMinute(a.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </StaffLayout>
  );
}
