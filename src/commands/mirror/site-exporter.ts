import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { LOCALES, type Locale } from '../../domain/locales.js';
import { dayStatementsFile, mirrorFile, rewriteLinks, statementFiles } from '../../domain/mirror-paths.js';
import type { Database } from '../../storage/database.js';
import { eventsOfStatements, readLatestCheckpoint } from '../../storage/log/transparency-log.repository.js';
import { readPublicationEvents, readPublicationHead } from '../../storage/publication/publication-log.repository.js';
import { adjacentPublicationDays, listPublicationDays } from '../../storage/publication/published-reading.repository.js';
import { entryBundlePath, newTiles, noteVerifier, parseCheckpoint, parseNote, tilePath } from '../../tlog/index.js';
import type { LogIdentity } from '../log/log-identity.js';
import { integratePending } from '../log/log-sequencer.js';
import { ExportTree, walkFiles } from './export-tree.js';
import { buildSearchIndex } from './mirror-search-index.js';
import { FILE_LIST, FileList, MANIFEST_FILE, openManifest, signManifest, type ManifestText } from './mirror-manifest.js';

// `rcenter export-site DIR` (issue 15, docs/mirror.md): every public page, in every locale, as
// static files, driven by the publication log. A full export writes day after day (each day's
// lists, its statements' pages and its statements JSON) and then what every change moves (home,
// latest lists, articles, categories, stats, feeds, counter, open data, the log's files). An
// incremental one (`--since auto`) reads the events since the checkpoint the current export is
// of and rewrites only the statements they name, their days and those days' neighbours, and what
// every change moves; a retracted statement's pages are deleted (promise 6). An export is of one
// checkpoint: it ends only when, after its last pass, the center has published nothing more.

/** One answer of the service. */
export interface Rendered {
  status: number;
  body: Buffer;
  type: string;
}

export type MirrorPageKind = 'root' | 'submit' | 'receipt' | 'search';

/** The public site as the exporter reads it (src/web/mirror-renderer.tsx). */
export interface SiteRenderer {
  /** The center's own origins, as absolute links on its pages may name them. */
  readonly origins: readonly string[];
  /** The names under /assets/. */
  readonly assets: readonly string[];
  get(address: string): Promise<Rendered>;
  /** A page only a mirror has (HTML). */
  page(kind: MirrorPageKind, locale: Locale | undefined): string;
  /** The line every page of the mirror carries: which checkpoint it is of. */
  note(locale: Locale, size: number, exportedAt: string, rootHash: string): string;
  close(): Promise<void>;
}

export interface ExportOptions {
  dir: string;
  /** `auto`: from the checkpoint of the export DIR holds (a full export when it holds none). */
  since?: 'auto';
  /** Told of each phase and its progress (pages written), for the command's progress line. */
  onProgress?(phase: string, done: number, total: number): void;
  /** Told in words what the run does (full or incremental, resumed, catching up). */
  onInfo?(message: string): void;
  now?: () => Date;
  /** Write `FILE.gz` beside each text file, for servers that send precompressed files (default true). */
  gzip?: boolean;
  /** Build the static search index (Pagefind) over the statement pages (default true). */
  search?: boolean;
}

export interface ExportResult {
  dir: string;
  /** The export's directory in DIR's store. */
  version: string;
  size: number;
  mode: 'full' | 'incremental';
  /** Since which checkpoint size (incremental). */
  since?: number;
  written: number;
  deleted: number;
  files: number;
  resumed: boolean;
}

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(readonly code: 'log_unavailable' | 'center_too_busy' | 'mirror_of_another_log' | 'log_behind_export', message: string) {
    super(message);
  }
}

/** Files worth a precompressed `.gz` beside them (nginx `gzip_static`): text, not the log's binary tiles. */
export const COMPRESSIBLE = /\.(?:html|atom|json|xml|csv|css|js|txt)$/;
const gzipAsync = promisify(gzip);
const STATEMENT_FILE = /^[a-z-]+\/s\/\d+\.html$/;

/** The deepest page of a list, as the service has it (reading-params.ts MAX_PAGE): the day lists hold the archive. */
const MAX_LIST_PAGE = 200;

/** Catch-up passes before giving up on a center that keeps publishing. */
const MAX_PASSES = 8;
const EVENTS_PER_READ = 1000;

export async function exportSite(database: Database, log: LogIdentity, renderer: SiteRenderer, options: ExportOptions): Promise<ExportResult> {
  const tree = new ExportTree(options.dir);
  const current = await tree.current();
  await tree.lock();
  try {
    return await exportLocked(database, log, renderer, options, tree, current);
  } finally {
    await tree.unlock();
  }
}

async function exportLocked(database: Database, log: LogIdentity, renderer: SiteRenderer, options: ExportOptions, tree: ExportTree, current: string | undefined): Promise<ExportResult> {
  const now = options.now ?? (() => new Date());
  const info = options.onInfo ?? (() => {});
  const held = current ? await readPreviousManifest(current, log) : undefined;
  const previous = options.since === 'auto' ? held : undefined;
  const mode = previous ? 'incremental' : 'full';
  const header =
    `rcenter export-site v1 ${mode} from ${previous ? `${path.basename(current!)} at ${previous.manifest.size}` : 'nothing'}` +
    ` gzip=${options.gzip ?? true} search=${options.search ?? true}`;

  let size = await settledCheckpoint(database, log);
  if (held && held.manifest.size > size) {
    throw new ExportError(
      'log_behind_export',
      `the log here has ${size.toLocaleString('en')} entries, fewer than the ${held.manifest.size.toLocaleString('en')} of the export ${options.dir} shows (a restored or another database?): nothing was changed`,
    );
  }
  const journal = await tree.resumable(header);
  const list = previous ? previous.list : new FileList();
  const done = new Set<string>();
  let firstTarget = size;
  if (journal) {
    replayJournal(journal, list, done);
    // Files written after the last journal line (and temporary ones) are not the export's: removed.
    for await (const file of walkFiles(tree.partial)) if (!list.has(file)) await tree.remove(file);
    firstTarget = Number(journal.find((l) => l.startsWith('t '))?.slice(2) ?? size);
    info(`resuming the interrupted export (${done.size} parts already written)`);
  } else {
    await tree.begin(header, previous ? current : undefined, (n) => options.onProgress?.('linking the previous export', n, previous!.list.size + 2));
    await tree.journal([`t ${size}`]);
  }

  const writer = new ExportWriter(tree, list, renderer, options.gzip ?? true);
  const exportedAt = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const root = () => Buffer.from(checkpointRoot).toString('base64');
  let checkpointRoot: Uint8Array = new Uint8Array(32);
  const refreshRoot = async () => {
    const latest = await readLatestCheckpoint(database);
    if (!latest || latest.size < size) throw new ExportError('log_unavailable', 'the transparency log has no checkpoint of the size integrated');
    checkpointRoot = latest.rootHash;
  };
  await refreshRoot();
  writer.stamp = (locale) => renderer.note(locale, size, exportedAt, root());

  if (mode === 'full') {
    const days = await listPublicationDays(database.db);
    info(`full export of ${days.length.toLocaleString('en')} days with statements, at ${size.toLocaleString('en')} log entries`);
    let n = 0;
    for (const day of days) {
      const unit = `day ${day}`;
      if (!done.has(unit)) {
        const numbers = await writer.day(day);
        for (const number of numbers) await writer.statement(number);
        await tree.journal([...writer.takeJournal(), `u ${unit}`]);
      }
      options.onProgress?.('days', ++n, days.length);
    }
    // What was published while the days were written (or since the interrupted run's checkpoint).
    if (size > firstTarget) await writeChanges(database, writer, firstTarget, size, options);
  } else {
    info(`incremental export: log entries ${previous!.manifest.size.toLocaleString('en')} → ${size.toLocaleString('en')}`);
    await writeChanges(database, writer, previous!.manifest.size, size, options);
  }
  await writeEverywhere(writer, renderer, options);
  let logFrom = mode === 'incremental' ? previous!.manifest.size : 0;
  await writeLog(writer, logFrom, size);
  logFrom = size;

  // An export is of one checkpoint: catch up until a pass ends with nothing new published.
  for (let pass = 1; ; pass++) {
    const head = await readPublicationHead(database);
    const served = await servedCheckpointSize(renderer);
    if (head === size && served === size) break;
    if (pass >= MAX_PASSES) throw new ExportError('center_too_busy', `the center published during each of ${MAX_PASSES} passes; the previous export is unchanged: try again later`);
    const next = await settledCheckpoint(database, log);
    info(`catching up: ${(next - size).toLocaleString('en')} log entries were added during the export`);
    const from = size;
    size = next;
    await refreshRoot();
    await writeChanges(database, writer, from, size, options);
    await writeEverywhere(writer, renderer, options);
    await writeLog(writer, logFrom, size);
    logFrom = size;
  }
  await tree.journal(writer.takeJournal());
  if (options.search ?? true) {
    options.onProgress?.('search index', 0, 1);
    const index = await buildSearchIndex(tree.partial);
    await writer.replaceUnder('pagefind/', index.files.map((f) => [`pagefind/${f.path}`, f.content]));
    info(`search index: ${index.pages.toLocaleString('en')} statement pages indexed (Pagefind)`);
  } else {
    // An index of an earlier export would still hold what was retracted since.
    await writer.replaceUnder('pagefind/', []);
  }

  const listText = list.text();
  await tree.write(FILE_LIST, Buffer.from(listText));
  const manifest = signManifest({ origin: log.origin, size, rootHash: root(), exportedAt }, listText, log.signer);
  await tree.write(MANIFEST_FILE, Buffer.from(manifest));
  const version = await tree.finish(`${exportedAt.replace(/[-:]/g, '')}-${size}`);
  return {
    dir: tree.root,
    version,
    size,
    mode,
    ...(previous ? { since: previous.manifest.size } : {}),
    written: writer.written,
    deleted: writer.deleted,
    files: list.size,
    resumed: journal !== undefined,
  };
}

/** Integrates what was published, until the log holds every event: the size it then has. */
async function settledCheckpoint(database: Database, log: LogIdentity): Promise<number> {
  for (let i = 0; i < MAX_PASSES; i++) {
    await integratePending(database, log);
    const latest = await readLatestCheckpoint(database);
    if (!latest) throw new ExportError('log_unavailable', 'the transparency log has no checkpoint yet');
    if ((await readPublicationHead(database)) <= latest.size) return latest.size;
  }
  throw new ExportError('center_too_busy', 'the center keeps publishing faster than the log is integrated here; try again later');
}

async function servedCheckpointSize(renderer: SiteRenderer): Promise<number> {
  const answer = await renderer.get('/log/checkpoint');
  if (answer.status !== 200) throw new ExportError('log_unavailable', `the service answers ${answer.status} for /log/checkpoint`);
  return parseCheckpoint(parseNote(answer.body).text).size;
}

/**
 * The manifest and file list of the export DIR shows. One of another log or key, or unreadable,
 * is refused: a command run with the wrong DATA_DIR or key must not replace a center's mirror.
 */
async function readPreviousManifest(current: string, log: LogIdentity): Promise<{ manifest: ManifestText; list: FileList }> {
  const { readFile } = await import('node:fs/promises');
  let manifest: ManifestText;
  try {
    manifest = openManifest(await readFile(path.join(current, MANIFEST_FILE)), noteVerifier(log.verifierKey));
    if (manifest.origin !== log.origin) throw new Error(`it is of the log ${manifest.origin}, not ${log.origin}`);
    return { manifest, list: FileList.parse(await readFile(path.join(current, FILE_LIST), 'utf8')) };
  } catch (error) {
    throw new ExportError(
      'mirror_of_another_log',
      `the export DIR shows is not one of this log signed with this key (${(error as Error).message}): check DATA_DIR or DATABASE_URL and LOG_SIGNING_KEY_FILE, or give another DIR; nothing was changed`,
    );
  }
}

function replayJournal(lines: readonly string[], list: FileList, done: Set<string>): void {
  for (const line of lines) {
    if (line.startsWith('f ')) {
      const [, sha, size, file] = line.split(' ');
      list.setLine(file!, `${sha} ${size}`);
    } else if (line.startsWith('x ')) list.delete(line.slice(2));
    else if (line.startsWith('u ')) done.add(line.slice(2));
  }
}

/**
 * The statements named by events from+1..to, their days and those days' neighbours. A statement
 * no longer published has its pages deleted; a day left without statements, its files.
 */
async function writeChanges(database: Database, writer: ExportWriter, from: number, to: number, options: ExportOptions): Promise<void> {
  const numbers = new Set<number>();
  for (let seq = from; seq < to; ) {
    const events = await readPublicationEvents(database.db, seq, Math.min(EVENTS_PER_READ, to - seq));
    if (events.length === 0) break;
    for (const event of events) numbers.add(Number(event.registration_number));
    seq = Number(events[events.length - 1]!.seq);
  }
  // A statement's day is the day of its first `published` event (also when it has since been retracted).
  const days = new Set<string>();
  for (const event of await eventsOfStatements(database.db, [...numbers], to)) {
    if (event.kind === 'published') days.add(event.day);
  }
  const neighbours = new Set<string>();
  for (const day of days) {
    const { previous, next } = await adjacentPublicationDays(database.db, day);
    for (const d of [previous, next]) if (d !== null && !days.has(d)) neighbours.add(d);
  }
  const total = numbers.size * LOCALES.length + days.size + neighbours.size;
  let n = 0;
  for (const day of [...days, ...neighbours]) {
    await writer.day(day);
    options.onProgress?.('changes', (n += 1), total);
  }
  for (const number of numbers) {
    await writer.statement(number);
    options.onProgress?.('changes', (n += LOCALES.length), total);
  }
  await writer.tree.journal(writer.takeJournal());
}

/** What every change may move: home, lists, articles, categories, stats, feeds, counter, open data, the mirror's own pages, assets. */
async function writeEverywhere(writer: ExportWriter, renderer: SiteRenderer, options: ExportOptions): Promise<void> {
  options.onProgress?.('lists and counts', 0, LOCALES.length);
  await writer.html('index.html', renderer.page('root', undefined), undefined);
  for (const [i, locale] of LOCALES.entries()) {
    await writer.fetch(`/${locale}/`);
    await writer.list(`/${locale}/statements`);
    await writer.list(`/${locale}/articles`);
    const categories = await writer.fetch(`/${locale}/categories`);
    const links = new Set([...categories.matchAll(new RegExp(`href="(/${locale}/categories/[a-z]+/[^"?#]+)"`, 'g'))].map((m) => m[1]!));
    for (const link of links) await writer.list(link.replaceAll('&amp;', '&'));
    await writer.fetch(`/${locale}/stats`);
    await writer.fetch(`/${locale}/methodology`);
    await writer.fetch(`/${locale}/feed.atom`);
    await writer.fetch(`/${locale}/articles/feed.atom`);
    await writer.html(`${locale}/search.html`, renderer.page('search', locale), locale);
    await writer.html(`${locale}/submit.html`, renderer.page('submit', locale), locale);
    await writer.html(`${locale}/receipt.html`, renderer.page('receipt', locale), locale);
    options.onProgress?.('lists and counts', i + 1, LOCALES.length);
  }
  for (const address of ['/api/v1/stats', '/api/v1/stats.xml', '/api/v1/open-data/daily.json', '/api/v1/open-data/daily.csv']) await writer.fetch(address);
  for (const asset of renderer.assets) await writer.fetch(`/assets/${asset}`);
  await writer.tree.journal(writer.takeJournal());
}

/** The log's files: the tiles and entry bundles new since `from` entries, the checkpoint and the key. */
async function writeLog(writer: ExportWriter, from: number, to: number): Promise<void> {
  for (const tile of newTiles(from, to)) {
    await writer.fetch(`/log/${tilePath(tile)}`);
    if (tile.level === 0) await writer.fetch(`/log/${entryBundlePath(tile)}`);
  }
  await writer.fetch('/log/key');
  await writer.fetch('/log/checkpoint');
  await writer.tree.journal(writer.takeJournal());
}

/** Writes files to the partial export, keeping the file list and the journal lines. */
class ExportWriter {
  written = 0;
  deleted = 0;
  stamp: (locale: Locale) => string = () => '';
  private lines: string[] = [];

  constructor(
    readonly tree: ExportTree,
    private readonly files: FileList,
    private readonly renderer: SiteRenderer,
    private readonly gzip: boolean,
  ) {}

  takeJournal(): string[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }

  /** Fetches `address` and writes it where the mirror keeps it (links rewritten, stamped); its text. */
  async fetch(address: string, file = mirrorFile(address)): Promise<string> {
    if (file === undefined) throw new Error(`a mirror has no file for ${address}`);
    const answer = await this.renderer.get(address);
    if (answer.status !== 200) throw new Error(`${address}: the service answered ${answer.status}`);
    return this.put(file, answer);
  }

  private async put(file: string, answer: Rendered): Promise<string> {
    if (answer.type.startsWith('text/html')) {
      const text = answer.body.toString('utf8');
      await this.html(file, text, localeOfFile(file));
      return text;
    }
    if (answer.type.startsWith('application/atom+xml')) {
      const text = answer.body.toString('utf8');
      await this.bytes(file, Buffer.from(rewriteLinks(text, file, this.renderer.origins)));
      return text;
    }
    await this.bytes(file, answer.body);
    return '';
  }

  /** An HTML page: links made relative, and the mirror's note (which checkpoint) at the top of its main part. */
  async html(file: string, text: string, locale: Locale | undefined): Promise<void> {
    let stamped = locale ? text.replace('<main id="main">', `<main id="main">${this.stamp(locale)}`) : text;
    // What the search index reads of a statement page: the statement, not the navigation.
    if (STATEMENT_FILE.test(file)) stamped = stamped.replace('<article class="statement', '<article data-pagefind-body class="statement');
    await this.bytes(file, Buffer.from(rewriteLinks(stamped, file, this.renderer.origins)));
  }

  async bytes(file: string, bytes: Uint8Array): Promise<void> {
    await this.one(file, bytes);
    // A copy of the file before must never outlive it (a retraction would stay in the .gz).
    if (this.gzip && COMPRESSIBLE.test(file)) await this.one(`${file}.gz`, await gzipAsync(bytes, { level: 9 }));
    else await this.removeOne(`${file}.gz`);
  }

  private async one(file: string, bytes: Uint8Array): Promise<void> {
    const sha = this.files.set(file, bytes);
    await this.tree.write(file, bytes);
    this.lines.push(`f ${sha} ${bytes.length} ${file}`);
    this.written++;
  }

  /** Writes these files and removes every other file under `prefix` (a whole generated folder). */
  async replaceUnder(prefix: string, files: [string, Uint8Array][]): Promise<void> {
    const kept = new Set(files.map(([file]) => file));
    const stale = [...this.files.paths()].filter((file) => file.startsWith(prefix) && !file.endsWith('.gz') && !kept.has(file));
    for (const file of stale) await this.remove(file);
    for (const [file, bytes] of files) await this.bytes(file, bytes);
    await this.tree.journal(this.takeJournal());
  }

  /** Removes a file (and its `.gz`) from the export. */
  async remove(file: string): Promise<void> {
    if (await this.removeOne(file)) this.deleted++;
    await this.removeOne(`${file}.gz`);
  }

  /** Unlinks the file whether listed or not (a file written before an interruption may not be); whether it was listed. */
  private async removeOne(file: string): Promise<boolean> {
    const listed = this.files.delete(file);
    await this.tree.remove(file);
    if (listed) this.lines.push(`x ${file}`);
    return listed;
  }

  /** Every page of a list (`?page=2`… while a page links to the next); pages beyond the last are deleted. */
  async list(address: string): Promise<void> {
    let page = 1;
    for (;;) {
      const text = await this.fetch(page === 1 ? address : `${address}?page=${page}`);
      // The pager's link to the next page (none past the deepest page a list has, as on the service).
      // (A day page's rel="next" to the next day is not it: the pager's names the next page.)
      if (page >= MAX_LIST_PAGE || !new RegExp(`href="[^"]*[?&;]page=${page + 1}"[^>]*rel="next"`).test(text)) break;
      page++;
    }
    for (let stale = page + 1; ; stale++) {
      const file = mirrorFile(`${address}?page=${stale}`)!;
      if (!this.files.has(file)) break;
      await this.remove(file);
    }
  }

  /**
   * One day: its list pages in every locale and its statements JSON (all pages in one file); a day
   * without statements loses its files. Returns the registration numbers listed that day.
   */
  async day(day: string): Promise<number[]> {
    const statements: { registrationNumber: number }[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.renderer.get(`/api/v1/statements?date=${day}&page=${page}`);
      if (answer.status !== 200) throw new Error(`statements of ${day} page ${page}: the service answered ${answer.status}`);
      const json = JSON.parse(answer.body.toString('utf8')) as { hasMore: boolean; statements: { registrationNumber: number }[] };
      statements.push(...json.statements);
      if (!json.hasMore) break;
    }
    if (statements.length === 0) {
      await this.remove(dayStatementsFile(day));
      for (const locale of LOCALES) {
        for (let page = 1; ; page++) {
          const file = mirrorFile(`/${locale}/statements/${day}${page > 1 ? `?page=${page}` : ''}`)!;
          if (!this.files.has(file)) break;
          await this.remove(file);
        }
      }
      return [];
    }
    await this.bytes(dayStatementsFile(day), Buffer.from(JSON.stringify({ date: day, statements })));
    for (const locale of LOCALES) await this.list(`/${locale}/statements/${day}`);
    return statements.map((s) => s.registrationNumber);
  }

  /** One statement's pages in every locale; deleted when it is not published (any more). */
  async statement(number: number): Promise<void> {
    for (const [i, locale] of LOCALES.entries()) {
      const file = statementFiles(number)[i]!;
      const answer = await this.renderer.get(`/${locale}/s/${number}`);
      if (answer.status === 404) await this.remove(file);
      else if (answer.status === 200) await this.put(file, answer);
      else throw new Error(`statement ${number} (${locale}): the service answered ${answer.status}`);
    }
  }
}

function localeOfFile(file: string): Locale | undefined {
  const first = file.split('/', 1)[0];
  return LOCALES.find((l) => l === first);
}
