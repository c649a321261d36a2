// Synthetic published statements for trying the site and for benchmarks (`rcenter demo`).
// Pure and seeded: the same seed, number of persons and "now" always give the same statements,
// in publication order, so registration numbers follow publication times.
import { CHANNELS, type Channel } from './channels.js';
import type { Locale } from './locales.js';
import { OCCUPATIONS } from './occupations.js';
import type { Organization } from './organizations.js';
import { REGIONS } from './regions.js';
import { demoRandom, type DemoRandom } from './demo-random.js';
import { articleText, demoName, shortText, surnameOf, type DemoName } from './demo-texts.js';

/** The most persons one run may generate. */
export const DEMO_MAX_PEOPLE = 5_000_000;

/** One synthetic declarant, in the shape of a validated one. */
export interface DemoDeclarant extends DemoName {
  organizations: Organization[];
  region: string;
  occupation: string | null;
}

/** One synthetic published statement. Times are ISO-8601 UTC strings to the minute. */
export interface DemoStatement {
  day: string;
  receivedAt: string;
  publishedAt: string;
  updatedAt: string;
  language: Locale;
  title: string | null;
  text: string;
  featured: boolean;
  channel: Channel;
  declarants: DemoDeclarant[];
}

export interface DemoOptions {
  /** Exactly this many declarants in all. */
  people: number;
  seed: number;
  /** The last day is the day of `now` (UTC), and no time is later than it. */
  now: Date;
  /** How far back the first day is (default 6). */
  years?: number;
}

/** One day of the plan: how many persons are published on it. */
export interface DemoDay {
  day: string;
  persons: number;
}

const DAY_MS = 86_400_000;
const LANGUAGES: readonly Locale[] = ['zh-hans', 'zh-hant', 'en'];
const LANGUAGE_WEIGHTS = [70, 18, 12];
/** Declarants per statement: 1 to 5, mostly 1. */
const SIZE_WEIGHTS = [76, 13, 6, 3, 2];
/** Organisation sets, most common first: [party, youth_league, young_pioneers]. */
const ORGANIZATION_SETS: readonly Organization[][] = [
  ['youth_league', 'young_pioneers'],
  ['youth_league'],
  ['party', 'youth_league', 'young_pioneers'],
  ['young_pioneers'],
  ['party'],
  ['party', 'youth_league'],
  ['party', 'young_pioneers'],
];
const ORGANIZATION_WEIGHTS = [27, 20, 16, 15, 12, 6, 4];
const CHANNEL_WEIGHTS: Record<Channel, number> = { web: 70, phone: 10, in_person: 6, email: 5, letter: 4, hotline: 5 };
/** Share of long articles among statements, and of featured ones among articles. */
const ARTICLE_SHARE = 0.02;
const FEATURED_SHARE = 0.3;

/**
 * How many persons each day gets: days from `years` ago up to today, later days busier (growth
 * over the years, quieter weekends, day-to-day noise); today half a day's share.
 * The counts add up to exactly `people`.
 */
export function planDays(people: number, seed: number, now: Date, years = 6): DemoDay[] {
  const random = demoRandom(seed ^ 0x5bd1e995);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const count = Math.max(1, Math.round(years * 365.25));
  const weights: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = today - (count - 1 - i) * DAY_MS;
    const progress = i / Math.max(1, count - 1);
    const weekday = new Date(at).getUTCDay();
    let weight = (0.15 + progress * progress) * (weekday === 0 || weekday === 6 ? 0.75 : 1) * (0.6 + 0.8 * random.next());
    // Today is under way: half a day's share, whatever the hour, so a seed gives the same plan all day.
    if (i === count - 1) weight *= 0.5;
    weights.push(weight);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const days: DemoDay[] = [];
  let cumulative = 0;
  let assigned = 0;
  for (let i = 0; i < count; i++) {
    cumulative += weights[i]!;
    const upTo = i === count - 1 ? people : Math.round((people * cumulative) / total);
    if (upTo > assigned) days.push({ day: new Date(today - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10), persons: upTo - assigned });
    assigned = Math.max(assigned, upTo);
  }
  return days;
}

/** The statements of a demo run, in publication order, holding exactly `people` declarants. */
export function* demoStatements(options: DemoOptions): Generator<DemoStatement> {
  const random = demoRandom(options.seed);
  const channels = CHANNELS.map((c) => CHANNEL_WEIGHTS[c]);
  // A day takes statements while the persons so far are below its share, so a family is never
  // split to fit a day; only the very last statement is cut to make exactly `people`.
  let done = 0;
  let dayEnd = 0;
  for (const { day, persons } of planDays(options.people, options.seed, options.now, options.years)) {
    dayEnd += persons;
    const sizes: number[] = [];
    while (done < dayEnd) {
      const size = Math.min(options.people - done, random.weighted(SIZE_WEIGHTS) + 1);
      sizes.push(size);
      done += size;
    }
    if (sizes.length === 0) continue;
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const lastMinute = Math.min(1439, Math.floor((options.now.getTime() - dayStart) / 60_000));
    const minutes = sizes.map(() => random.int(0, lastMinute)).sort((a, b) => a - b);
    for (const [i, size] of sizes.entries()) {
      const published = minutes[i]!;
      const received = published - Math.floor(random.next() * Math.min(published, 360));
      yield statement(random, size, channels, dayStart, received, published, options.now);
    }
  }
}

function statement(random: DemoRandom, size: number, channels: number[], dayStart: number, received: number, published: number, now: Date): DemoStatement {
  const language = LANGUAGES[random.weighted(LANGUAGE_WEIGHTS)]!;
  const article = random.chance(ARTICLE_SHARE);
  const featured = article && random.chance(FEATURED_SHARE);
  // Mostly short: 20–300 characters, shorter ones more common.
  const { title, text } = article
    ? articleText(random, language, random.int(1000, 4600))
    : shortText(random, language, 20 + Math.floor(280 * random.next() ** 2));
  const publishedAt = minute(dayStart + published * 60_000);
  // Featured articles are sometimes edited after publication (never later than now).
  const updatedAt = featured && random.chance(0.3) ? minute(Math.min(now.getTime(), dayStart + published * 60_000 + random.int(1, 30 * 1440) * 60_000)) : publishedAt;
  const declarants: DemoDeclarant[] = [];
  let familySurname: string | undefined;
  for (let i = 0; i < size; i++) {
    const name = demoName(random, language, familySurname);
    if (i === 0) familySurname = surnameOf(name, language);
    declarants.push({
      ...name,
      organizations: ORGANIZATION_SETS[random.weighted(ORGANIZATION_WEIGHTS)]!,
      region: random.pick(REGIONS)[0],
      occupation: random.chance(0.5) ? random.pick(OCCUPATIONS)[0] : null,
    });
  }
  return {
    day: publishedAt.slice(0, 10),
    receivedAt: minute(dayStart + received * 60_000),
    publishedAt,
    updatedAt,
    language,
    title,
    text,
    featured,
    channel: CHANNELS[random.weighted(channels)]!,
    declarants,
  };
}

function minute(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
}
