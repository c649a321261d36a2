// Generated submissions in the API's JSON shape: each field valid most of the time and hostile
// otherwise, so that a fair share of cases is accepted and the rest hits every rule.
import fc from 'fast-check';
import { LOCALES } from '../../src/domain/locales.js';
import { OCCUPATION_CODES } from '../../src/domain/occupations.js';
import { ORGANIZATIONS } from '../../src/domain/organizations.js';
import { REGION_CODES } from '../../src/domain/regions.js';
import { ASSISTED_CHANNELS } from '../../src/domain/channels.js';
import { hostileString, hostileValue, mostly } from './fuzz-support.js';

/** A name as people write them, or a hostile one (HTML, SQL, invisible and bidi characters…). */
export const displayName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('明远', '测试者甲', 'Li Wei', 'Ａｌｉｃｅ', 'Аlice', "O'Brien", '<b>张</b>', 'x'.repeat(40), 'y'.repeat(41)) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 42 }) },
  { weight: 2, arbitrary: hostileString },
);

/** Statement text: mostly ordinary, sometimes hostile or over the limit. */
export const statementText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom('长'.repeat(20_000), '长'.repeat(20_001), 'line\nline\r\nline\ttab') },
);

const organizations = fc.oneof(
  { weight: 6, arbitrary: fc.subarray([...ORGANIZATIONS], { minLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(['party', 'party'], ['Party'], ['party', 7], 'party', []) },
);

/** Mostly absent; now and then a hostile value (an unknown or unwanted field). */
const rarely = fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileValue });

/** The object without its undefined keys (as JSON would carry it). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** One declarant object, with an unknown key now and then. */
export const declarant = fc
  .record(
    {
      displayName: mostly(displayName, 6),
      nameKind: mostly(fc.constantFrom('real', 'pseudonym'), 8),
      organizations: mostly(organizations, 8),
      region: mostly(fc.constantFrom(...REGION_CODES), 8),
      occupation: fc.oneof(fc.constant(undefined), mostly(fc.constantFrom(...OCCUPATION_CODES, '', null), 6)),
      extra: rarely,
    },
    { requiredKeys: ['displayName', 'nameKind', 'organizations', 'region', 'occupation', 'extra'] },
  )
  .map(compact);

const declarants = fc.oneof(
  { weight: 12, arbitrary: fc.array(declarant, { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(declarant, { minLength: 19, maxLength: 22 }) },
  { weight: 1, arbitrary: hostileValue },
);

/** A submission body in the API's shape (or something near it). */
export const submissionBody = fc.record(
  {
    language: mostly(fc.constantFrom(...LOCALES), 8),
    title: mostly(fc.oneof(displayName, statementText), 3),
    text: mostly(statementText, 4),
    contact: rarely,
    declarants,
    surprise: rarely,
  },
  { requiredKeys: ['language', 'declarants', 'contact', 'surprise'] },
).map(compact);

/** An assisted entry for the staff API: the submission plus channel and consent. */
export const assistedBody = fc
  .tuple(submissionBody, mostly(fc.constantFrom(...ASSISTED_CHANNELS), 6), mostly(fc.constant(true), 6))
  .map(([body, channel, consent]) => compact({ ...body, channel, consent }));

/** How many people a body that was accepted names. */
export function personsOf(body: unknown): number {
  return ((body as { declarants: unknown[] }).declarants ?? []).length;
}
