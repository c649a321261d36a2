import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { ERROR_CATALOG } from '../src/domain/error-catalog.js';

// As Fastify does with lib/errors.js and its docs: the catalog and its documentation never drift.
test('docs/errors.md lists exactly the codes of the catalog, with their statuses', () => {
  const doc = fs.readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
  const catalog = new Map(Object.entries(ERROR_CATALOG).map(([code, entry]) => [code, entry.status as number]));
  assert.deepEqual([...documented.keys()].sort(), [...catalog.keys()].sort());
  for (const [code, status] of catalog) assert.equal(documented.get(code), status, code);
});

test('the codes use only the statuses the API promises', () => {
  const allowed = new Set([400, 401, 403, 404, 409, 413, 415, 429, 500, 503]);
  for (const [code, entry] of Object.entries(ERROR_CATALOG)) assert.ok(allowed.has(entry.status), code);
});
