import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPassword } from '../../src/domain/password-policy.js';

test('weak passwords are refused: short, common, decorated common words, runs, the user name', () => {
  for (const weak of ['short', 'password1234', 'Password2026!', '!!woaini5201314', 'qwertyuiop123', 'aaaaaaaaaaaaaa', 'abcdefghijklmn', '98765432109876', 'editor-anna-2026']) {
    assert.equal(checkPassword(weak, 'anna')?.code, 'password_too_weak', weak);
  }
  assert.deepEqual(checkPassword('x'.repeat(100) + 'yz'.repeat(100), 'anna'), { code: 'too_long', max: 256 });
});

test('long unusual passphrases pass', () => {
  for (const good of ['violet-harbour-lantern-42', 'a long unusual passphrase', '山间小路上的灯笼在夜里很亮', 'Tr7#kq!mZ2@wL9']) {
    assert.equal(checkPassword(good, 'anna'), null, good);
  }
});
