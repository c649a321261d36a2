import { ROLES, type Role } from './roles.js';

/**
 * Who may do what on the staff side, by role. The console and the JSON API declare these on
 * every route; the guard (web/plugins/staff-guard.ts) enforces them.
 */
export const EVERYONE: readonly Role[] = ROLES;

/** Review and publication: the queue, approve, reject, duplicate, edit, feature. */
export const REVIEWERS: readonly Role[] = ['editor', 'admin'];

/** Assisted entry and one's own entries. */
export const ENTRY: readonly Role[] = ['volunteer', 'editor', 'admin'];

/** Users and the audit log. */
export const ADMINS: readonly Role[] = ['admin'];

/** Whether a role may review and publish. */
export function mayReview(role: Role): boolean {
  return REVIEWERS.includes(role);
}
