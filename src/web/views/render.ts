import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a page to HTML. Preact escapes every text and attribute value unless told otherwise. */
export function renderPage(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}
