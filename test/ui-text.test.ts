import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { UI_TEXT } from '../src/web/i18n/ui-text.js';

test('every locale has exactly the same interface keys, none empty', () => {
  const keys = Object.keys(UI_TEXT.en).sort();
  for (const [locale, text] of Object.entries(UI_TEXT)) {
    assert.deepEqual(Object.keys(text).sort(), keys, locale);
    for (const [key, value] of Object.entries(text)) assert.ok(value.trim().length > 0, `${locale}.${key}`);
  }
});

test('every interface key is used by a view, so none is left behind', () => {
  const viewsDir = new URL('../src/web/', import.meta.url);
  const sources = fs
    .readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(tsx?|js)$/.test(f) && !f.startsWith(`i18n${path.sep}`))
    .map((f) => fs.readFileSync(new URL(f, viewsDir), 'utf8'))
    .join('\n');
  for (const key of Object.keys(UI_TEXT.en)) {
    assert.ok(new RegExp(`\\b${key}\\b`).test(sources), `unused key: ${key}`);
  }
});
