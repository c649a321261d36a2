// NUL bytes, bidirectional overrides ("Trojan Source") and zero-width characters in every text
// field, through the API and the form, on both databases; invisible and blank-looking characters
// (Hangul fillers, variation selectors, tag characters, …) in names and titles, and texts that
// show nothing; NUL in ids and names that reach a query (PostgreSQL refuses it in text); and
// homoglyph names, which are accepted as written and fold together for the same-name hint.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiToken } from '../../src/commands/api-tokens.js';
import { nameKey } from '../../src/domain/name-key.js';
import { createTestApp, postForm, postJson, validSubmission, type TestApp } from '../support/app.js';
import { createStaff, postPage, sessionOf } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';
import { assertCatalogedJsonError, assertNothingWritten, tableCounts } from '../fuzz/fuzz-support.js';

const FORBIDDEN_EVERYWHERE = { nul: '\u0000', bell: '\u0007', escape: '\u001b[31m', rlo: '\u202e', lri: '\u2066', alm: '\u061c', bom: '\ufeff', lineSeparator: '\u2028' };
const FORBIDDEN_IN_ONE_LINE = { zeroWidthSpace: '\u200b', zeroWidthJoiner: '\u200d', wordJoiner: '\u2060', softHyphen: '\u00ad', newline: '\n', tab: '\t' };
/**
 * Invisible (Default_Ignorable_Code_Point) and blank-looking characters, listed by hand from
 * Unicode's DerivedCoreProperties.txt as an independent reference for the rule's regex property.
 */
const INVISIBLE_IN_ONE_LINE = {
  hangulFiller: '\u3164', hangulChoseongFiller: '\u115f', hangulJungseongFiller: '\u1160', halfwidthHangulFiller: '\uffa0',
  brailleBlank: '\u2800', combiningGraphemeJoiner: '\u034f', variationSelector1: '\ufe00', variationSelector16: '\ufe0f',
  variationSelector17: '\u{e0100}', languageTag: '\u{e0001}', tagLatinA: '\u{e0041}', cancelTag: '\u{e007f}',
  inhibitSymmetricSwapping: '\u206a', nominalDigitShapes: '\u206f', invisibleTimes: '\u2062', mongolianVariationSelector: '\u180b',
  mongolianVowelSeparator: '\u180e', khmerVowelInherentAq: '\u17b4', musicalBeginBeam: '\u{1d173}', shorthandFormatLetterOverlap: '\u{1bca0}',
  zeroWidthNonJoiner: '\u200c', unassignedIgnorable: '\ufff0',
};
/** How each locale names the two single-line fields in its messages (field-labels.ts). */
const LABELS = [
  { acceptLanguage: 'en', name: 'Person 1 — Name to publish', title: 'Title' },
  { acceptLanguage: 'zh-CN', name: '第 1 位声明人 — 公布的名字', title: '标题' },
  { acceptLanguage: 'zh-TW', name: '第 1 位聲明人 — 公佈的名字', title: '標題' },
];

/** A submission with `value` in one text field; `field` is the path the error must name. */
function withText(field: string, value: string) {
  const person = (validSubmission().declarants as Record<string, unknown>[])[0]!;
  if (field === 'declarants[0].displayName') return validSubmission({ declarants: [{ ...person, displayName: `名${value}字` }] });
  return validSubmission({ [field]: `text ${value} text` });
}

describeEachDialect('invisible and control characters are refused', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect);
  });
  after(() => t.close());

  async function refusedWith(body: unknown, field: string, context: string, code = 'invalid_characters', headers: Record<string, string> = {}) {
    const before = await tableCounts(t.database);
    const response = await postJson(t.app, '/api/v1/submissions', body, headers);
    assertCatalogedJsonError(response, context);
    assert.deepEqual(response.json().errors.map((e: { code: string; field: string }) => [e.code, e.field]), [[code, field]], context);
    assertNothingWritten(before, await tableCounts(t.database), context);
    return response.json().error.message as string;
  }
  const named = (displayName: string) => {
    const person = (validSubmission().declarants as Record<string, unknown>[])[0]!;
    return validSubmission({ declarants: [{ ...person, displayName }] });
  };

  test('NUL, controls, bidi overrides and the BOM are refused in every text field, naming the field', async () => {
    for (const [name, char] of Object.entries(FORBIDDEN_EVERYWHERE)) {
      for (const field of ['declarants[0].displayName', 'title', 'text']) await refusedWith(withText(field, char), field, `${name} in ${field}`);
    }
  });

  test('zero-width characters and line breaks are refused in names and titles (where they hide differences), kept in the text', async () => {
    for (const [name, char] of Object.entries(FORBIDDEN_IN_ONE_LINE)) {
      for (const field of ['declarants[0].displayName', 'title']) await refusedWith(withText(field, char), field, `${name} in ${field}`);
    }
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ text: 'a\u200db\nc\td' }));
    assert.equal(response.statusCode, 201, response.body);
  });

  test('invisible and blank-looking characters are refused in names and titles, inside or alone, naming the field in every locale', async () => {
    for (const [name, char] of Object.entries(INVISIBLE_IN_ONE_LINE)) {
      for (const labels of LABELS) {
        const headers = { 'accept-language': labels.acceptLanguage };
        const context = `${name} (${labels.acceptLanguage})`;
        const inName = await refusedWith(withText('declarants[0].displayName', char), 'declarants[0].displayName', `${context} in a name`, undefined, headers);
        assert.ok(inName.startsWith(labels.name), `${context}: ${inName}`);
        const inTitle = await refusedWith(withText('title', char), 'title', `${context} in a title`, undefined, headers);
        assert.ok(inTitle.startsWith(labels.title), `${context}: ${inTitle}`);
      }
      // Alone, the name would be published looking blank.
      await refusedWith(named(char.repeat(3)), 'declarants[0].displayName', `a name of only ${name}`);
      await refusedWith(named(` ${char} `), 'declarants[0].displayName', `a name of only spaces and ${name}`);
      await refusedWith(validSubmission({ title: char }), 'title', `a title of only ${name}`);
    }
  });

  test('a name of only spaces is required again; a text of only invisible characters is refused, one that holds them among words is kept', async () => {
    await refusedWith(named(' \u3000\u00a0 '), 'declarants[0].displayName', 'a name of only spaces', 'required');
    for (const blank of ['\u3164', '\u3164\n\u2800 \u200d', '\ufe0f\u{e0041}\t\u115f']) {
      await refusedWith(validSubmission({ text: blank }), 'text', `text ${JSON.stringify(blank)}`, 'looks_blank');
    }
    const kept = 'Flag \u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} and a heart \u2764\ufe0f';
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ text: kept }));
    assert.equal(response.statusCode, 201, response.body);
  });

  test('the form refuses a blank-looking name in each locale, with the field named in that locale', async () => {
    for (const [locale, label] of [['en', 'Name to publish'], ['zh-hans', '公布的名字'], ['zh-hant', '公佈的名字']] as const) {
      const before = await tableCounts(t.database);
      const response = await postForm(t.app, `/${locale}/submit`, [['d0.displayName', '\u3164'], ['d0.nameKind', 'real'], ['d0.organizations', 'party'], ['d0.region', '110000']]);
      assert.equal(response.statusCode, 400, locale);
      assert.ok(response.body.includes(label), `${locale}: the error names ${label}`);
      assertNothingWritten(before, await tableCounts(t.database), locale);
    }
  });

  test('the form refuses them too, shows the error beside the field and writes nothing', async () => {
    for (const char of ['\u0000', '\u202e', '\u200b']) {
      const before = await tableCounts(t.database);
      const response = await postForm(t.app, '/en/submit', [['d0.displayName', `x${char}y`], ['d0.nameKind', 'real'], ['d0.organizations', 'party'], ['d0.region', '110000']]);
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /Name to publish/);
      // The input is kept (the person sees what to fix), inside its attribute only, never as markup.
      assert.ok(response.body.includes(`value="x${char}y"`), 'the input is kept in its field');
      assert.equal(response.body.split(char).length, 2, 'and nowhere else on the page');
      assertNothingWritten(before, await tableCounts(t.database), JSON.stringify(char));
    }
  });

  test('NUL in an id, a duplicate-of id, bulk ids, an address or a sign-in name is a catalogued refusal (PostgreSQL refuses NUL in text)', async () => {
    const admin = await createStaff(t.database, 'admin');
    const { token } = await createApiToken(t.database, { userName: admin.name, actor: 'test' });
    const { id } = (await postJson(t.app, '/api/v1/submissions', validSubmission())).json();
    const auth = { authorization: `Bearer ${token}` };
    const before = await tableCounts(t.database);
    for (const [url, body, code] of [
      [`/api/v1/staff/submissions/a%00b/approve`, {}, 'invalid_encoding'],
      [`/api/v1/staff/submissions/${id}/duplicate`, { of: 'a\u0000b' }, 'not_found'],
      ['/api/v1/staff/approve', { ids: ['a\u0000b'] }, 'not_found'],
      ['/api/v1/staff/reject', { ids: [`${id}\u0000`], reason: 'spam' }, 'not_found'],
    ] as const) {
      const response = await postJson(t.app, url, body, auth);
      assert.equal(assertCatalogedJsonError(response, url)[0], code, url);
    }
    for (const url of ['/en/s/1%00', '/api/v1/statements?date=2026-01-01%00', '/en/search?q=%00']) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 400, url);
    }
    assertNothingWritten(before, await tableCounts(t.database), 'NUL');
    const signIn = await postPage(t.app, '/staff/sign-in', null, [['name', 'admin\u0000'], ['password', 'x'], ['code', '1']]);
    assert.ok([401, 403].includes(signIn.statusCode), `sign-in with NUL: ${signIn.statusCode}`);
    const session = await sessionOf(t.database, admin);
    const console = await postPage(t.app, `/staff/submissions/${id}/duplicate`, session, [['of', 'x\u0000']]);
    assert.equal(console.statusCode, 404);
  });

  test('homoglyph names are accepted as written (names are free text), stored NFC; the duplicate-hint key folds look-alikes, width and case', async () => {
    const person = (validSubmission().declarants as Record<string, unknown>[])[0]!;
    const created = await postJson(t.app, '/api/v1/submissions', validSubmission({ declarants: [{ ...person, displayName: 'Jose\u0301 Аlice' }] }));
    assert.equal(created.statusCode, 201, created.body);
    const row = await t.database.db.selectFrom('declarant').select('display_name').where('submission_id', '=', created.json().id).executeTakeFirstOrThrow();
    assert.equal(row.display_name, 'Jos\u00e9 \u0410lice', 'composed to NFC; the Cyrillic А kept as written');
    // Full-width, case and spacing fold, and so do look-alikes across scripts (UTS #39 skeletons):
    // the hint is only a hint, the editor sees both names side by side.
    assert.equal(nameKey('Ａｌｉｃｅ'), nameKey('alice'));
    assert.equal(nameKey('A l-i.c e'), nameKey('alice'));
    assert.equal(nameKey('Jose\u0301'), nameKey('José'));
    for (const [lookAlike, plain] of [
      ['\u0410lice', 'Alice'], // Cyrillic А
      ['\u0391lice', 'Alice'], // Greek Α
      ['\u0440\u0430\u0443\u0440\u0430l', 'paypal'], // Cyrillic р, а, у
      ['0scar', 'Oscar'], // digit zero
      ['A|ice', 'Alice'], // vertical bar for l
      ['\u{1d400}\u{1d425}\u{1d422}\u{1d41c}\u{1d41e}', 'alice'], // mathematical bold
      ['Ali\u034fce', 'Alice'], // an invisible character in a name stored before it was refused
      ['\u2f08\u5c71', '人山'], // Kangxi radical 人
    ] as const) {
      assert.equal(nameKey(lookAlike), nameKey(plain), `${JSON.stringify(lookAlike)} ~ ${plain}`);
    }
    // Names that only look different stay different.
    for (const [a, b] of [['Alice', 'Alicia'], ['王小明', '王小朋'], ['Anna', 'Anne'], ['张三', '李四']] as const) assert.notEqual(nameKey(a), nameKey(b), `${a} ≠ ${b}`);
  });
});
