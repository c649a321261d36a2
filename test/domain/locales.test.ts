import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiateLocale } from '../../src/domain/locales.js';

test('Accept-Language picks the script a reader reads', () => {
  assert.equal(negotiateLocale('zh-CN,zh;q=0.9'), 'zh-hans');
  assert.equal(negotiateLocale('zh-TW'), 'zh-hant');
  assert.equal(negotiateLocale('zh-Hant-HK'), 'zh-hant');
  assert.equal(negotiateLocale('zh-HK,en;q=0.5'), 'zh-hant');
  assert.equal(negotiateLocale('en-US,en;q=0.9'), 'en');
  assert.equal(negotiateLocale('fr-FR, en;q=0.3'), 'en');
  assert.equal(negotiateLocale('en;q=0.2, zh-TW;q=0.8'), 'zh-hant');
  assert.equal(negotiateLocale('de'), 'zh-hans');
  assert.equal(negotiateLocale(undefined), 'zh-hans');
  assert.equal(negotiateLocale('zh;q=0, en', 'zh-hans'), 'en');
  assert.equal(negotiateLocale(';;;,,,q=x', 'en'), 'en');
});
