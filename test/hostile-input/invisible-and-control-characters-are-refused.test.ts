// NUL bytes, bidirectional overrides ("Trojan Source") and zero-width characters in every text
// field, through the API and the form, on both databases; NUL in ids and names that reach a
// query (PostgreSQL refuses it in text); and homoglyph names, which are accepted as written.
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

  async function refusedWith(body: unknown, field: string, context: string) {
    const before = await tableCounts(t.database);
    const response = await postJson(t.app, '/api/v1/submissions', body);
    assertCatalogedJsonError(response, context);
    assert.deepEqual(response.json().errors.map((e: { code: string; field: string }) => [e.code, e.field]), [['invalid_characters', field]], context);
    assertNothingWritten(before, await tableCounts(t.database), context);
  }

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

  test('homoglyph names are accepted as written (names are free text), stored NFC; the duplicate-hint key folds width and case only', async () => {
    const person = (validSubmission().declarants as Record<string, unknown>[])[0]!;
    const created = await postJson(t.app, '/api/v1/submissions', validSubmission({ declarants: [{ ...person, displayName: 'Jose\u0301 Аlice' }] }));
    assert.equal(created.statusCode, 201, created.body);
    const row = await t.database.db.selectFrom('declarant').select('display_name').where('submission_id', '=', created.json().id).executeTakeFirstOrThrow();
    assert.equal(row.display_name, 'Jos\u00e9 \u0410lice', 'composed to NFC; the Cyrillic А kept as written');
    // Full-width, case and spacing fold; scripts do not (Cyrillic А is another letter, and the
    // hint is only a hint: the editor sees both names side by side).
    assert.equal(nameKey('Ａｌｉｃｅ'), nameKey('alice'));
    assert.equal(nameKey('A l-i.c e'), nameKey('alice'));
    assert.equal(nameKey('Jose\u0301'), nameKey('José'));
    assert.notEqual(nameKey('\u0410lice'), nameKey('Alice'));
  });
});
