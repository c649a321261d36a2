// A list's pager never links past the deepest page the service serves (MAX_PAGE, then 400): a
// reader would meet an error, and a mirror's export would ask for a page that does not exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { MAX_PAGE } from '../../src/web/routes/public/reading-params.js';
import { Pager } from '../../src/web/views/public/statement-parts.js';

const render = (page: number, hasMore: boolean) => {
  const pager = Pager({ locale: 'en', page, hasMore, href: (n) => `/en/statements?page=${n}` });
  return pager ? renderToString(pager) : '';
};

test('the pager links to the next page below the deepest one, and not from it', () => {
  assert.match(render(MAX_PAGE - 1, true), new RegExp(`href="/en/statements\\?page=${MAX_PAGE}" rel="next"`));
  assert.doesNotMatch(render(MAX_PAGE, true), /rel="next"/);
  assert.match(render(MAX_PAGE, true), /rel="prev"/);
});
