import { ORGANIZATIONS, type Organization } from './organizations.js';

/** The headline figures: persons published minus persons retracted, never requests. */
export interface PublicCount {
  total: number;
  today: number;
  yesterday: number;
  thisWeek: number;
  thisMonth: number;
  byOrganization: Record<Organization, number>;
  /** ISO time of the last publication or retraction; null before the first. */
  lastUpdate: string | null;
}

/** The UTC days the figures are counted from, for a given moment. Weeks start on Monday (ISO 8601). */
export function countingDays(now: Date): { today: string; yesterday: string; weekStart: string; monthStart: string; earliest: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const yesterday = new Date(midnight.getTime() - 86_400_000);
  const weekStart = new Date(midnight.getTime() - ((midnight.getUTCDay() + 6) % 7) * 86_400_000);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const earliest = [yesterday, weekStart, monthStart].reduce((a, b) => (a < b ? a : b));
  return { today: day(midnight), yesterday: day(yesterday), weekStart: day(weekStart), monthStart: day(monthStart), earliest: day(earliest) };
}

/**
 * Adds up the headline figures from net person moves per day (each day: published minus
 * retracted that day), so the periods always add up to the total's movement.
 */
export function summarizeCount(
  now: Date,
  total: number,
  days: { day: string; published: number; retracted: number }[],
  byOrganization: Map<string, number>,
  lastUpdate: string | null,
): PublicCount {
  const { today, yesterday, weekStart, monthStart } = countingDays(now);
  const net = (from: string, to = today) => days.filter((d) => d.day >= from && d.day <= to).reduce((sum, d) => sum + d.published - d.retracted, 0);
  return {
    total,
    today: net(today),
    yesterday: net(yesterday, yesterday),
    thisWeek: net(weekStart),
    thisMonth: net(monthStart),
    byOrganization: Object.fromEntries(ORGANIZATIONS.map((o) => [o, byOrganization.get(o) ?? 0])) as Record<Organization, number>,
    lastUpdate,
  };
}
