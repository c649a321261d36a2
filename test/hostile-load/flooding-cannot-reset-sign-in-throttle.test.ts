// Threat: someone who has a staff member's password guesses TOTP codes. The account's throttle
// stops them after SIGN_IN_LIMITS.perAccount failures an hour — unless a flood of cheap requests
// for other names (or from other addresses) can make the service forget that window and start
// the allowance again. Throttles of existing accounts live in a store of their own, keyed by
// account id, which no other request reaches; the anonymous stores (per address, per unknown
// name) are bounded and, when full of live windows, refuse new keys instead of forgetting old ones.
//
// The bulk of the flood goes to the app's limiter directly (200,001 hits a bucket, in seconds);
// the account part goes through the real app.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AccountThrottle } from '../../src/web/plugins/account-throttle.js';
import { MAX_KEYS_PER_BUCKET, RateLimiter } from '../../src/web/plugins/rate-limiter.js';
import { SIGN_IN_LIMITS } from '../../src/web/routes/staff/sign-in-routes.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createStaff, postPage, totpCode, type TestStaff } from '../support/console-session.js';
import { describeEachDialect } from '../support/databases.js';

const FLOOD = 200_001;

describeEachDialect('flooding cannot reset a sign-in throttle', (dialect) => {
  let t: TestApp;
  let editor: TestStaff;
  const limiter = new RateLimiter();
  const accounts = new AccountThrottle();
  before(async () => {
    t = await createTestApp(dialect, {}, { limits: { limiter, accounts } });
    editor = await createStaff(t.database, 'editor');
  });
  after(() => t.close());

  const signIn = (name: string, code: string, remoteAddress: string) =>
    postPage(t.app, '/staff/sign-in', null, [['name', name], ['password', editor.password], ['code', code]], { remoteAddress });
  const wrongCode = async () => ((await totpCode(editor.secret!)) === '000000' ? '111111' : '000000');

  test(`TOTP guessing stays throttled after ${FLOOD.toLocaleString('en')} requests for other names and from other addresses`, async () => {
    // The guesser, with the right password, spends the account's allowance on wrong codes.
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      assert.equal((await signIn(editor.name, await wrongCode(), `203.0.113.${i}`)).statusCode, 401, `guess ${i}`);
    }
    assert.equal((await signIn(editor.name, await wrongCode(), '203.0.113.200')).statusCode, 429, 'throttled before the flood');

    // The flood: new names and new addresses, every bucket the public can reach cheaply.
    for (let i = 0; i < FLOOD; i++) {
      limiter.hit('sign-in-name', `flood-name-${i}`, SIGN_IN_LIMITS.perAccount);
      limiter.hit('sign-in-address', `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, SIGN_IN_LIMITS.perAddress);
      limiter.hit('receipt', `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 60);
    }
    // …and some through the app itself, new names from new addresses.
    for (let i = 0; i < 3; i++) await signIn(`nobody-${i}`, '123456', `198.51.100.${i}`);
    assert.ok(limiter.size <= 3 * MAX_KEYS_PER_BUCKET, `the limiter holds ${limiter.size} windows`);

    // Still throttled, even with the right code, from an address the service still counts
    // (one earlier guess, well under its limit): it is the account's window that refuses…
    const after = await signIn(editor.name, await totpCode(editor.secret!), '203.0.113.0');
    assert.equal(after.statusCode, 429, 'the flood reset the account’s throttle');
    assert.ok(Number(after.headers['retry-after']) > 0);
    // …as another account, not throttled, signs in from such an address.
    const other = await createStaff(t.database, 'volunteer');
    const signedIn = await postPage(t.app, '/staff/sign-in', null, [['name', other.name], ['password', other.password], ['code', '']], { remoteAddress: '203.0.113.1' });
    assert.equal(signedIn.statusCode, 303, 'the address, not the account, refused');
    // A new address finds its store full of live windows: refused too, never a reason to forget one.
    assert.equal((await signIn(editor.name, await totpCode(editor.secret!), '203.0.113.201')).statusCode, 429);
    assert.equal(accounts.size, 2, 'the account store holds existing accounts only');
  });

  test('a throttled address stays throttled after a flood of new addresses', () => {
    const own = new RateLimiter();
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) own.hit('sign-in-address', '192.0.2.7', SIGN_IN_LIMITS.perAddress);
    assert.equal(own.check('sign-in-address', '192.0.2.7', SIGN_IN_LIMITS.perAddress).allowed, false);
    for (let i = 0; i < FLOOD; i++) own.hit('sign-in-address', `flood-${i}`, SIGN_IN_LIMITS.perAddress);
    assert.equal(own.hit('sign-in-address', '192.0.2.7', SIGN_IN_LIMITS.perAddress).allowed, false, 'the old window was forgotten');
    assert.equal(own.hit('sign-in-address', 'one more new address', SIGN_IN_LIMITS.perAddress).allowed, false, 'a full store took a new key');
    assert.ok(own.size <= MAX_KEYS_PER_BUCKET, String(own.size));
  });
});
