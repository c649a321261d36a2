import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { CompactTally } from '../../domain/compact-tally.js';
import { LOCALES, type Locale } from '../../domain/locales.js';
import { dayStatementsFile, statementFiles } from '../../domain/mirror-paths.js';
import { inReadersScript } from '../../domain/script-conversion.js';
import { statementCommitment } from '../../domain/log-entry.js';
import { readStatement } from '../log-statements-check.js';
import type { Checkpoint, NoteVerifier } from '../../tlog/index.js';
import { walkFiles } from './export-tree.js';
import { FILE_LIST, ManifestError, MANIFEST_FILE, openManifest, parseFileList, type ManifestText } from './mirror-manifest.js';
import { LogSourceError, type LogSource } from '../log-source.js';
import { forEachConcurrently, type CheckLine } from '../log-verify-support.js';

// Step 6 of `rcenter verify DIR|URL`, for a mirror written by `rcenter export-site` (docs/mirror.md),
// in a directory or served over HTTP:
//   - mirror/manifest is signed by the log's key and is of the checkpoint the mirror serves;
//   - every file it lists is there with its SHA-256, and (in a directory) nothing else is;
//   - every page says it is of that checkpoint;
//   - every statement the log publishes has its page in every locale, each page showing the
//     fields committed to in the log (text, title, names, salt); no page of a statement the log
//     does not publish (a retracted one) is there;
//   - the count on the home and statistics pages is the log's.

const MAX_PROBLEMS = 1000;
const gunzipAsync = promisify(gunzip);
const MAX_LIST_BYTES = 1024 * 1024 * 1024;
const MAX_DAY_BYTES = 512 * 1024 * 1024;
/** Pages are read for what they show whatever their size: the files check says whether they changed. */
const MAX_PAGE_BYTES = 64 * 1024 * 1024;
const STATEMENT_PAGE = new RegExp(`^(${LOCALES.join('|')})/s/([1-9]\\d{0,9})\\.html(?:\\.gz)?$`);

interface ServedStatement {
  registrationNumber: number;
  title: string | null;
  text: string | null;
  commitmentSalt: string | null;
  declarants: { displayName: string }[];
}

export async function checkMirror(source: LogSource, verifier: NoteVerifier, checkpoint: Checkpoint, tally: CompactTally, report: (line: CheckLine) => void): Promise<void> {
  const files = readerOf(source);
  const manifest = await readManifest(files, verifier, checkpoint, report);
  if (!manifest) {
    report({ ok: undefined, check: 'mirror files, mirror statements, mirror counts', detail: 'not checked: there is no manifest to check them against' });
    return;
  }
  const problems = new Problems();
  const listed = await readList(files, manifest, report);
  if (!listed) return;

  // Files: present, unchanged, stamped with this checkpoint; nothing outside the list.
  // A page not changed by later incremental exports keeps the checkpoint it was written at: of the
  // size exported now (and then of its root), or of an earlier one.
  const stampOf = (bytes: Buffer) => /data-checkpoint="(0|[1-9]\d{0,15}) ([A-Za-z0-9+/]{43}=)"/.exec(bytes.toString('latin1'));
  const entries = [...listed.values()];
  await forEachConcurrently(entries, 16, async ({ file, sha, size }) => {
    const bytes = await files.read(file, Math.max(size + 1, MAX_PAGE_BYTES));
    // The precompressed copies are for servers that want them: an archive leaves them out.
    if (bytes === undefined) return file.endsWith('.gz') ? undefined : problems.add(`${file}: listed in the manifest, but missing`);
    if (bytes.length !== size || createHash('sha256').update(bytes).digest('hex') !== sha) return problems.add(`${file}: not the file the manifest lists (changed)`);
    if (file.endsWith('.gz')) {
      // A precompressed copy must be the same file, or a server sending it would show other content.
      const plain = listed.get(file.slice(0, -3));
      if (!plain) return problems.add(`${file}: a compressed copy of ${file.slice(0, -3)}, which the manifest does not list`);
      const inflated = await gunzipAsync(bytes).catch(() => undefined);
      if (inflated === undefined || createHash('sha256').update(inflated).digest('hex') !== plain.sha) problems.add(`${file}: does not decompress to ${plain.file}`);
    }
    if (file.endsWith('.html') && file !== 'index.html') {
      const stamp = stampOf(bytes);
      const stampSize = stamp ? Number(stamp[1]) : undefined;
      if (stampSize === undefined || stampSize > manifest.size || (stampSize === manifest.size && stamp![2] !== manifest.rootHash)) {
        problems.add(`${file}: does not say which checkpoint it is of (at most ${manifest.size})`);
      }
    }
  });
  const unlisted: string[] = [];
  // Over HTTP a mirror's other files cannot be listed: only a directory is checked for them.
  for await (const file of source.kind === 'dir' ? walkFiles(source.location) : []) {
    if (file !== MANIFEST_FILE && file !== FILE_LIST && !listed.has(file)) {
      problems.add(`${file}: not in the manifest`);
      unlisted.push(file);
    }
  }
  const nothingElse = source.kind === 'dir' ? ', and nothing else' : ' (over HTTP, files outside the manifest cannot be seen)';
  problems.report(report, 'mirror files', `all ${listed.size.toLocaleString('en')} files of the manifest are there, unchanged, each page saying the checkpoint it is of${nothingElse}`);

  // Statements: a page per locale for each one the log publishes, none for any other.
  const statements = new Problems();
  for (const file of [...listed.keys(), ...unlisted]) {
    const match = STATEMENT_PAGE.exec(file);
    if (match && tally.commitmentAndDay(Number(match[2])) === undefined) {
      statements.add(`${file}: a page of statement ${match[2]}, which the log ${tally.retracted.has(Number(match[2])) ? 'retracted' : 'never published'}`);
    }
  }
  let pages = 0;
  const days = [...tally.publishedByDay()];
  await forEachConcurrently(days, 4, async ([day, numbers]) => {
    const served = await readDay(files, day);
    const byNumber = new Map(served.map((s) => [s.registrationNumber, s]));
    for (const number of numbers) {
      const statement = byNumber.get(number);
      for (const [i, file] of statementFiles(number).entries()) {
        const html = listed.has(file) ? await files.text(file, MAX_PAGE_BYTES) : undefined;
        if (html === undefined) {
          statements.add(`${file}: statement ${number} is published in the log, but its page is missing`);
          continue;
        }
        if (!statement) continue; // reported by the statements check
        if (i === 0 && !matchesCommitment(statement, tally)) {
          statements.add(`${dayStatementsFile(day)}: statement ${number} is not what the log commits to`);
          break;
        }
        const wrong = pageDiffers(html, statement, LOCALES[i]!);
        if (wrong) statements.add(`${file}: ${wrong} differs from the statement the log commits to`);
        pages++;
      }
    }
  });
  statements.report(report, 'mirror statements', `every statement the log publishes has its page in each locale (${pages.toLocaleString('en')} pages), showing what the log commits to; no page of a retracted one`);

  // Counts shown on pages.
  const counts = new Problems();
  for (const locale of LOCALES) {
    for (const [file, id] of [[`${locale}/index.html`, 'count-total'], [`${locale}/stats.html`, 'stats-total']] as const) {
      const html = listed.has(file) ? await files.text(file, MAX_PAGE_BYTES) : undefined;
      if (html === undefined) {
        counts.add(`${file}: missing`);
        continue;
      }
      const shown = shownCount(html, id);
      if (shown !== tally.total) counts.add(`${file}: shows ${shown ?? 'no count'}, the log counts ${tally.total}`);
    }
  }
  counts.report(report, 'mirror counts', `the home and statistics pages show the log's count, ${tally.total.toLocaleString('en')} persons, in every locale`);
}

interface FileReader {
  /** The bytes of a file of the mirror, or undefined when it is not there (or cannot be read). */
  read(file: string, maxBytes: number): Promise<Buffer | undefined>;
  text(file: string, maxBytes: number): Promise<string | undefined>;
}

function readerOf(source: LogSource): FileReader {
  const read = async (file: string, maxBytes: number) => {
    try {
      const bytes = await source.read(file, maxBytes);
      return bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (error instanceof LogSourceError) return undefined;
      throw error;
    }
  };
  return { read, text: async (file, maxBytes) => (await read(file, maxBytes))?.toString('utf8') };
}

class Problems {
  count = 0;
  readonly lines: string[] = [];
  add(line: string): void {
    if (this.count++ < MAX_PROBLEMS) this.lines.push(line);
  }
  report(report: (line: CheckLine) => void, check: string, passed: string): void {
    if (this.count === 0) return report({ ok: true, check, detail: passed });
    const more = this.count > this.lines.length ? [`… and ${this.count - this.lines.length} more`] : [];
    report({ ok: false, check, detail: `${this.count} problems:`, notes: [...this.lines.sort(), ...more] });
  }
}

async function readManifest(files: FileReader, verifier: NoteVerifier, checkpoint: Checkpoint, report: (line: CheckLine) => void): Promise<ManifestText | undefined> {
  const bytes = await files.read(MANIFEST_FILE, 64 * 1024);
  if (bytes === undefined) {
    report({ ok: false, check: 'mirror manifest', detail: `${MANIFEST_FILE} is missing: this is not a mirror written by rcenter export-site, or its manifest was removed` });
    return undefined;
  }
  let manifest: ManifestText;
  try {
    manifest = openManifest(bytes, verifier);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    report({ ok: false, check: 'mirror manifest', detail: error.message });
    return undefined;
  }
  const root64 = Buffer.from(checkpoint.rootHash).toString('base64');
  if (manifest.origin !== checkpoint.origin || manifest.size !== checkpoint.size || manifest.rootHash !== root64) {
    report({ ok: false, check: 'mirror manifest', detail: `the manifest is of ${manifest.origin} at ${manifest.size} entries (root ${manifest.rootHash}), but log/checkpoint is of ${checkpoint.size} (root ${root64})` });
    return undefined;
  }
  report({ ok: true, check: 'mirror manifest', detail: `signed by the log's key, of the checkpoint the mirror serves (${manifest.size} entries), exported ${manifest.exportedAt}` });
  return manifest;
}

async function readList(files: FileReader, manifest: ManifestText, report: (line: CheckLine) => void): Promise<Map<string, { file: string; sha: string; size: number }> | undefined> {
  try {
    const bytes = await files.read(FILE_LIST, MAX_LIST_BYTES);
    if (bytes === undefined) throw new ManifestError(`${FILE_LIST} is missing`);
    if (createHash('sha256').update(bytes).digest('hex') !== manifest.listHash) throw new ManifestError(`${FILE_LIST} is not the list the manifest signs (its SHA-256 differs)`);
    const listed = new Map<string, { file: string; sha: string; size: number }>();
    for (const entry of parseFileList(bytes.toString('utf8'))) listed.set(entry.file, entry);
    if (listed.size !== manifest.files) throw new ManifestError(`${FILE_LIST} lists ${listed.size} files, the manifest says ${manifest.files}`);
    return listed;
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    report({ ok: false, check: 'mirror files', detail: error.message });
    return undefined;
  }
}

async function readDay(files: FileReader, day: string): Promise<ServedStatement[]> {
  try {
    const json = JSON.parse((await files.text(dayStatementsFile(day), MAX_DAY_BYTES)) ?? '') as { statements?: ServedStatement[] };
    return Array.isArray(json.statements) ? json.statements.filter((s) => typeof s === 'object' && s !== null) : [];
  } catch {
    return []; // a missing or unreadable day is the statements check's failure
  }
}

/** Whether a statement of the statements JSON hashes, with its salt, to the log's commitment. */
function matchesCommitment(raw: ServedStatement, tally: CompactTally): boolean {
  try {
    const { statement, salt } = readStatement(raw);
    const logged = tally.commitmentAndDay(statement.registrationNumber);
    return logged !== undefined && Buffer.from(statementCommitment(salt, statement)).equals(logged.commitment);
  } catch {
    return false;
  }
}

/** Which shown field of a statement page is not the committed one (undefined when all match). */
export function pageDiffers(html: string, statement: ServedStatement, locale: Locale): string | undefined {
  const convert = (value: string) => inReadersScript(value, locale);
  const salts = [...html.matchAll(/data-commitment-salt="([^"]*)"/g)].map((m) => m[1]);
  if (salts.length !== 1 || (statement.commitmentSalt ?? undefined) !== salts[0]) return 'the commitment salt';
  const headings = [...html.matchAll(/<h1[^>]*>([^<]*)<\/h1>/g)].map((m) => m[1]!);
  if (headings.length !== 1) return 'the title';
  if (statement.title !== null && decodeHtml(headings[0]!) !== convert(statement.title)) return 'the title';
  // One text block; every paragraph in it (whatever its attributes) is the committed text's, in order.
  const blocks = [...html.matchAll(/<div class="text"[^>]*>([\s\S]*?)<\/div>/g)].map((m) => m[1]!);
  if (blocks.length !== 1 || html.split('class="text"').length !== 2) return 'the text';
  const paragraphs = [...blocks[0]!.matchAll(/<p( class="hint")?>([^<]*)<\/p>/g)];
  if (paragraphs.map((m) => m[0]).join('') !== blocks[0]!.trim()) return 'the text';
  const shown = paragraphs.filter((m) => m[1] === undefined).map((m) => decodeHtml(m[2]!));
  const expected = convert(statement.text ?? '').split(/\n\s*\n|\r?\n/).map((p) => p.trim()).filter((p) => p.length > 0);
  if (shown.length !== expected.length || shown.some((p, i) => p !== expected[i])) return 'the text';
  if (expected.length > 0 && paragraphs.length !== expected.length) return 'the text';
  const names = decodeHtml(/<ul class="declarants"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1]?.replace(/<[^>]*>/g, '\u0000') ?? '');
  if (!Array.isArray(statement.declarants) || statement.declarants.some((d) => !names.includes(convert(String(d.displayName))))) return 'a name';
  return undefined;
}

/** The figure inside the element with this id (digits with group separators), or undefined. */
function shownCount(html: string, id: string): number | undefined {
  const element = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</p>`).exec(html)?.[1];
  const figure = element?.replace(/<[^>]*>/g, '').match(/\d[\d,]*/)?.[0];
  return figure === undefined ? undefined : Number(figure.replaceAll(',', ''));
}

function decodeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39|#x([0-9a-f]+)|#(\d+));/gi, (entity, hex: string | undefined, decimal: string | undefined) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (decimal) return String.fromCodePoint(Number(decimal));
    return { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }[entity.toLowerCase()] ?? entity;
  });
}
