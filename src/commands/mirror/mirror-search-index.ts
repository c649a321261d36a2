import { LOCALES } from '../../domain/locales.js';

// The static search index of a mirror (docs/mirror.md, "Search"): Pagefind (its extended build,
// which segments Chinese) over every statement page, one index per page language, written under
// pagefind/ and listed in the manifest like any file. Rebuilt whole at each export: Pagefind has
// no incremental update.

/** The pages indexed: statements, in every locale. */
export const INDEXED_PAGES = `{${LOCALES.join(',')}}/s/*.html`;

export interface SearchIndexFile {
  path: string;
  content: Uint8Array;
}

/** Builds the index over the statement pages under `dir`; its files, paths relative to pagefind/. */
export async function buildSearchIndex(dir: string): Promise<{ files: SearchIndexFile[]; pages: number }> {
  const pagefind = await import('pagefind');
  try {
    const created = await pagefind.createIndex({});
    if (!created.index) throw new Error(`Pagefind: ${created.errors.join('; ')}`);
    const added = await created.index.addDirectory({ path: dir, glob: INDEXED_PAGES });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join('; ')}`);
    const { files, errors } = await created.index.getFiles();
    if (errors.length > 0) throw new Error(`Pagefind: ${errors.join('; ')}`);
    await created.index.deleteIndex();
    return { files: files.map((f) => ({ path: f.path, content: f.content })), pages: added.page_count };
  } finally {
    await pagefind.close();
  }
}
