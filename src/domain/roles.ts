/** Staff roles. What each may do is declared on every staff route (see web/plugins/staff-guard.ts). */
export const ROLES = ['admin', 'editor', 'volunteer', 'translator'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Admins and editors must sign in with a TOTP code as well as a password. */
export function requiresTotp(role: Role): boolean {
  return role === 'admin' || role === 'editor';
}
