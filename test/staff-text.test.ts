import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { STAFF_TEXT } from '../src/web/i18n/staff-text.js';

test('every locale has exactly the same staff console keys, none empty', () => {
  const keys = Object.keys(STAFF_TEXT.en).sort();
  for (const [locale, text] of Object.entries(STAFF_TEXT)) {
    assert.deepEqual(Object.keys(text).sort(), keys, locale);
    for (const [key, value] of Object.entries(text)) assert.ok(value.trim().length > 0, `${locale}.${key}`);
  }
});

test('placeholders such as {n} and {name} appear in every locale alike', () => {
  for (const [key, english] of Object.entries(STAFF_TEXT.en)) {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [locale, text] of Object.entries(STAFF_TEXT)) {
      assert.deepEqual(placeholders(text[key as keyof typeof text]), placeholders(english), `${locale}.${key}`);
    }
  }
});

test('every staff console key is used by a view or route, so none is left behind', () => {
  const webDir = new URL('../src/web/', import.meta.url);
  const sources = fs
    .readdirSync(webDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(tsx?|js)$/.test(f) && !f.startsWith(`i18n${path.sep}`))
    .map((f) => fs.readFileSync(new URL(f, webDir), 'utf8'))
    .join('\n');
  for (const key of Object.keys(STAFF_TEXT.en)) {
    assert.ok(new RegExp(`\\b${key}\\b`).test(sources), `unused key: ${key}`);
  }
});
