import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { STATS_TEXT } from '../src/web/i18n/stats-text.js';

test('every locale has exactly the same statistics keys, none empty', () => {
  const keys = Object.keys(STATS_TEXT.en).sort();
  for (const [locale, text] of Object.entries(STATS_TEXT)) {
    assert.deepEqual(Object.keys(text).sort(), keys, locale);
    for (const [key, value] of Object.entries(text)) assert.ok(value.trim().length > 0, `${locale}.${key}`);
  }
});

test('placeholders such as {total} and {min} appear in every locale alike', () => {
  const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
  for (const [key, english] of Object.entries(STATS_TEXT.en)) {
    for (const [locale, text] of Object.entries(STATS_TEXT)) {
      assert.deepEqual(placeholders(text[key as keyof typeof text]), placeholders(english), `${locale}.${key}`);
    }
  }
});

test('every statistics key is used by a view or route, so none is left behind', () => {
  const webDir = new URL('../src/web/', import.meta.url);
  const sources = fs
    .readdirSync(webDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(tsx?|js)$/.test(f) && !f.startsWith(`i18n${path.sep}`))
    .map((f) => fs.readFileSync(new URL(f, webDir), 'utf8'))
    .join('\n');
  for (const key of Object.keys(STATS_TEXT.en)) {
    assert.ok(new RegExp(`\\b${key}\\b`).test(sources), `unused key: ${key}`);
  }
});
