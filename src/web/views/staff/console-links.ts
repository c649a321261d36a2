import { ADMINS, ENTRY, REVIEWERS } from '../../../domain/staff-access.js';
import type { Role } from '../../../domain/roles.js';
import type { StaffText } from '../../i18n/staff-text.js';

/** A console page a role may open, for the navigation and the dashboard. */
export interface ConsoleLink {
  href: string;
  label: keyof StaffText;
  hint: keyof StaffText;
  roles: readonly Role[];
}

export const CONSOLE_LINKS: readonly ConsoleLink[] = [
  { href: '/staff/queue', label: 'navQueue', hint: 'dashQueueHint', roles: REVIEWERS },
  { href: '/staff/assisted', label: 'navAssisted', hint: 'dashAssistedHint', roles: ENTRY },
  { href: '/staff/entries', label: 'navEntries', hint: 'dashEntriesHint', roles: ENTRY },
  { href: '/staff/audit', label: 'navAudit', hint: 'dashAuditHint', roles: ADMINS },
  { href: '/staff/users', label: 'navUsers', hint: 'dashUsersHint', roles: ADMINS },
];

/** The links a role may follow; a page it may not open is not offered. */
export function linksFor(role: Role): readonly ConsoleLink[] {
  return CONSOLE_LINKS.filter((link) => link.roles.includes(role));
}
