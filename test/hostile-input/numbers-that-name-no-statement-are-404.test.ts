// A registration number beyond any statement (over PostgreSQL's 32-bit integer, huge, zero,
// negative, with leading zeros) is a plain 404 on both databases, as an unknown number is: it
// must not reach the query, where PostgreSQL refuses it as out of range (22003) and the reader
// got a 500 with a stack trace in the log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { createStaff, getPage, sessionOf } from '../support/console-session.js';
import { addStaff, getAs, submitPublic, tokenFor } from '../staff/staff-fixtures.js';

const NO_STATEMENT = ['2147483648', '3000000000', '9999999999', '99999999999999999999', `9${'0'.repeat(60)}`, '2147483647', '0', '-1', '-2147483649', '+1', '007'];

describeEachDialect('numbers that name no statement are 404', (dialect) => {
  let t: TestApp;
  let published = 0;

  before(async () => {
    t = await createTestApp(dialect);
    const editor = await addStaff(t.database, 'numbers-editor', 'editor');
    const { id } = await submitPublic(t.app);
    published = (await approveSubmissions(t.database, [id], editor.member))[0]!.registrationNumber;
  });
  after(() => t.close());

  test('public pages and the API answer 404 not_found for every such number, twice (the page cache admits from the second request), and log nothing above info', async () => {
    const logged = t.logs.length;
    for (const number of NO_STATEMENT) {
      for (let round = 0; round < 2; round++) {
        for (const locale of ['en', 'zh-hans', 'zh-hant']) {
          const page = await t.app.inject({ method: 'GET', url: `/${locale}/s/${number}` });
          assert.equal(page.statusCode, 404, `/${locale}/s/${number}`);
          assert.match(String(page.headers['content-type']), /text\/html/);
        }
        const api = await t.app.inject({ method: 'GET', url: `/api/v1/statements/${number}` });
        assert.equal(api.statusCode, 404, `/api/v1/statements/${number}`);
        assert.equal(api.json().error.code, 'not_found', number);
      }
    }
    const lines = t.logs.slice(logged).map((line) => JSON.parse(line) as { level: number; msg: string });
    assert.deepEqual(lines.filter((l) => l.level > 30).map((l) => l.msg), [], 'nothing logged at warn or error');
    assert.ok(!t.logs.slice(logged).some((line) => line.includes('"stack"')), 'no stack trace at any level');
  });

  test('the published number is still found, and what is not a whole number is still 400 invalid_parameter', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: `/en/s/${published}` })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/statements/${published}` })).statusCode, 200);
    for (const value of ['12abc', '1.5', '1e3', '0x10', '--1']) {
      const api = await t.app.inject({ method: 'GET', url: `/api/v1/statements/${value}` });
      assert.equal(api.statusCode, 400, value);
      assert.deepEqual(api.json().error, { code: 'invalid_parameter', message: 'Registration number: this value is not valid here.', field: 'number' });
      assert.equal((await t.app.inject({ method: 'GET', url: `/en/s/${value}` })).statusCode, 400, value);
    }
  });

  test('an audit cursor over the 32-bit range is the newest page in the console and the API, not a 500', async () => {
    const admin = await addStaff(t.database, 'numbers-admin', 'admin');
    const { token } = await tokenFor(t.database, admin);
    const session = await sessionOf(t.database, await createStaff(t.database, 'admin'));
    const newest = (await getAs(t.app, '/api/v1/staff/audit', token)).json().entries;
    assert.ok(newest.length > 0);
    for (const before of ['3000000000', '99999999999999999999', '1e300', '-1', '1.5']) {
      const api = await getAs(t.app, `/api/v1/staff/audit?before=${before}`, token);
      assert.equal(api.statusCode, 200, before);
      assert.deepEqual(api.json().entries.map((e: { seq: number }) => e.seq), newest.map((e: { seq: number }) => e.seq), before);
      assert.equal((await getPage(t.app, `/staff/audit?before=${before}`, session)).statusCode, 200, before);
    }
  });
});
