// Names and statement texts for synthetic demo data, composed from the fragments in
// demo-vocabulary.ts with a seeded DemoRandom. Traditional Chinese is the Simplified vocabulary
// converted once (script-conversion.ts), not a second vocabulary.
import type { Locale } from './locales.js';
import { suggestPseudonym } from './pseudonym.js';
import type { DemoRandom } from './demo-random.js';
import type { NameKind } from './submission.js';
import { toTraditional } from './script-conversion.js';
import * as V from './demo-vocabulary.js';

/** A display name and whether it is a real name or a pseudonym. */
export interface DemoName {
  displayName: string;
  nameKind: NameKind;
}

/** A statement's title (or null) and text. */
export interface DemoText {
  title: string | null;
  text: string;
}

interface ChineseWords {
  surnames: readonly string[];
  given: readonly string[];
  heads: readonly string[];
  tails: readonly string[];
  descriptions: readonly string[];
  roles: readonly string[];
  times: readonly string[];
  subjects: readonly string[];
  joined: readonly string[];
  reasons: readonly string[];
  reflections: readonly string[];
  closings: readonly string[];
  short: readonly string[];
  titleHeads: readonly string[];
  titleTails: readonly string[];
  shortTitles: readonly string[];
}

const SIMPLIFIED: ChineseWords = {
  surnames: V.ZH_SURNAMES,
  given: V.ZH_GIVEN,
  heads: V.ZH_PSEUDONYM_HEADS,
  tails: V.ZH_PSEUDONYM_TAILS,
  descriptions: V.ZH_DESCRIPTIONS,
  roles: V.ZH_ROLES,
  times: V.ZH_TIMES,
  subjects: V.ZH_SUBJECTS,
  joined: V.ZH_JOINED,
  reasons: V.ZH_REASONS,
  reflections: V.ZH_REFLECTIONS,
  closings: V.ZH_CLOSINGS,
  short: V.ZH_SHORT,
  titleHeads: V.ZH_TITLE_HEADS,
  titleTails: V.ZH_TITLE_TAILS,
  shortTitles: V.ZH_SHORT_TITLES,
};

let traditional: ChineseWords | undefined;

/** The vocabulary in a Chinese script, converted to Traditional on first use. */
function chineseWords(locale: Locale): ChineseWords {
  if (locale !== 'zh-hant') return SIMPLIFIED;
  traditional ??= Object.fromEntries(
    Object.entries(SIMPLIFIED).map(([key, list]: [string, readonly string[]]) => [key, list.map((w) => toTraditional(w))]),
  ) as unknown as ChineseWords;
  return traditional;
}

/**
 * A name for one declarant of a statement written in `locale`. `familySurname`, when given,
 * is used for real-name style names, so a family shares a surname more often than not.
 */
export function demoName(random: DemoRandom, locale: Locale, familySurname?: string): DemoName {
  if (locale === 'en') {
    const kind = random.weighted([50, 35, 15]);
    if (kind === 0) return { displayName: `${random.pick(V.LATIN_SURNAMES)} ${random.pick(V.LATIN_GIVEN)}${random.chance(0.4) ? random.pick(V.LATIN_GIVEN).toLowerCase() : ''}`, nameKind: 'real' };
    if (kind === 1) return latinPseudonym(random);
    return demoName(random, random.chance(0.8) ? 'zh-hans' : 'zh-hant', familySurname);
  }
  const words = chineseWords(locale);
  const kind = random.weighted([55, 22, 11, 7, 5]);
  if (kind === 0) {
    const surname = familySurname && random.chance(0.7) ? familySurname : random.pick(words.surnames);
    const given = random.pick(words.given) + (random.chance(0.6) ? random.pick(words.given) : '');
    return { displayName: surname + given, nameKind: 'real' };
  }
  if (kind === 1) return { displayName: random.pick(words.heads) + random.pick(words.tails), nameKind: 'pseudonym' };
  if (kind === 2) return { displayName: suggestPseudonym((max) => Math.floor(random.next() * max)), nameKind: 'pseudonym' };
  if (kind === 3) return { displayName: `一位${random.pick(words.descriptions)}${random.pick(words.roles)}`, nameKind: 'pseudonym' };
  return latinPseudonym(random);
}

/** The surname of a real-name style Chinese name from demoName (for the rest of a family). */
export function surnameOf(name: DemoName, locale: Locale): string | undefined {
  if (name.nameKind !== 'real' || locale === 'en') return undefined;
  return chineseWords(locale).surnames.find((s) => s.length === 2 && name.displayName.startsWith(s)) ?? name.displayName[0];
}

function latinPseudonym(random: DemoRandom): DemoName {
  const name = `${random.pick(V.LATIN_PSEUDONYM_HEADS)} ${random.pick(V.LATIN_PSEUDONYM_TAILS)}`;
  return { displayName: random.chance(0.15) ? `${name} ${random.int(1, 99)}` : name, nameKind: 'pseudonym' };
}

/** A short statement of about `target` characters (20–300), no title most of the time. */
export function shortText(random: DemoRandom, locale: Locale, target: number): DemoText {
  const en = locale === 'en';
  const words = en ? undefined : chineseWords(locale);
  const separator = en ? ' ' : '';
  const parts: string[] = [];
  const size = () => length(parts) + separator.length * Math.max(0, parts.length - 1);
  const closings = words?.closings ?? V.EN_CLOSINGS;
  if (target < 45) {
    parts.push(random.pick(words?.short ?? V.EN_SHORT));
    while (size() < 20) parts.push(random.pick(closings));
  } else {
    parts.push(narrative(random, locale));
    const reflections = words?.reflections ?? V.EN_REFLECTIONS;
    while (size() < target) parts.push(random.pick(reflections));
    parts.push(random.pick(closings));
    while (parts.length > 1 && size() > 300) parts.splice(parts.length - 2, 1);
  }
  return { title: random.chance(0.15) ? random.pick(words?.shortTitles ?? V.EN_SHORT_TITLES) : null, text: parts.join(separator) };
}

/** A long article of about `target` characters (1,000–5,000) in paragraphs, with a title. */
export function articleText(random: DemoRandom, locale: Locale, target: number): DemoText {
  const en = locale === 'en';
  const words = en ? undefined : chineseWords(locale);
  const reflections = words?.reflections ?? V.EN_REFLECTIONS;
  const paragraphs: string[] = [];
  let total = 0;
  while (total < target) {
    const sentences = [narrative(random, locale)];
    const count = random.int(2, 6);
    for (let i = 0; i < count; i++) sentences.push(random.chance(0.5) ? random.pick(reflections) : narrative(random, locale));
    const paragraph = sentences.join(en ? ' ' : '');
    paragraphs.push(paragraph);
    total += paragraph.length + 2;
  }
  paragraphs.push(random.pick(words?.closings ?? V.EN_CLOSINGS));
  const title = en
    ? `${random.pick(V.EN_TITLE_HEADS)} ${random.pick(V.EN_TITLE_TAILS)}`
    : `${random.pick(words!.titleHeads)}${random.pick(words!.titleTails)}`;
  return { title, text: paragraphs.join('\n\n') };
}

/** One sentence of someone's story: when, who, what they joined, and why. */
function narrative(random: DemoRandom, locale: Locale): string {
  if (locale === 'en') {
    return `${random.pick(V.EN_TIMES)}, ${random.pick(V.EN_SUBJECTS)} ${random.pick(V.EN_JOINED)}; ${random.pick(V.EN_REASONS)}.`;
  }
  const w = chineseWords(locale);
  return `${random.pick(w.times)}，${random.pick(w.subjects)}${random.pick(w.joined)}，${random.pick(w.reasons)}。`;
}

function length(parts: string[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}
