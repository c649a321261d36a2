import { link, lstat, mkdir, readdir, readFile, readlink, rename, rm, rmdir, symlink, unlink, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';

// Where an export is written (docs/mirror.md, "Atomic"): DIR is a symbolic link to one complete
// export in `.DIR.exports/` beside it. A run writes a new one in `.DIR.exports/partial` — for an
// incremental run, hard links to the previous export's files first, each changed file then
// replaced (never written in place, which would change the previous export too) — and switches DIR
// to it with one rename. A reader of DIR sees the old export or the new one, never a mix; an
// interrupted run leaves DIR as it was, and the next run resumes from its journal.

export class ExportTreeError extends Error {
  override readonly name = 'ExportTreeError';
  constructor(readonly code: 'mirror_dir_not_ours' | 'export_running', message: string) {
    super(message);
  }
}

/** The name of one finished export in the store: when it was made and the log size it is of. */
const VERSION_NAME = /^\d{8}T\d{6}Z-\d+(?:-\d+)?$/;

export class ExportTree {
  readonly root: string;
  readonly store: string;
  readonly partial: string;
  private readonly journalFile: string;
  private readonly lockFile: string;

  constructor(dir: string) {
    this.root = path.resolve(dir);
    this.store = path.join(path.dirname(this.root), `.${path.basename(this.root)}.exports`);
    this.partial = path.join(this.store, 'partial');
    this.journalFile = path.join(this.store, 'partial.journal');
    this.lockFile = path.join(this.store, 'lock');
  }

  /**
   * Takes the store for this process: one export of DIR at a time. A lock left by a process that
   * is no longer running is taken over; one held by a running process is refused.
   */
  async lock(): Promise<void> {
    await mkdir(this.store, { recursive: true });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(this.lockFile, `${process.pid}\n`, { flag: 'wx' });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(this.lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new ExportTreeError('export_running', `another export of ${this.root} is running (process ${holder}); wait for it to end`);
      }
      if (holder === process.pid) throw new ExportTreeError('export_running', `an export of ${this.root} is already running in this process`);
      await rm(this.lockFile, { force: true });
    }
    throw new ExportTreeError('export_running', `could not take ${this.lockFile}`);
  }

  async unlock(): Promise<void> {
    const holder = Number((await readFile(this.lockFile, 'utf8').catch(() => '')).trim());
    if (holder === process.pid) await rm(this.lockFile, { force: true });
  }

  /**
   * The directory of the export DIR shows now, or undefined before the first. Refuses a DIR that
   * is something else (a file, a directory with files, a link elsewhere): nothing of it is touched.
   */
  async current(): Promise<string | undefined> {
    let stat;
    try {
      stat = await lstat(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (stat.isSymbolicLink()) {
      const target = path.resolve(path.dirname(this.root), await readlink(this.root));
      if (path.dirname(target) === this.store) return target;
    } else if (stat.isDirectory() && (await readdir(this.root)).length === 0) {
      return undefined;
    }
    throw new ExportTreeError(
      'mirror_dir_not_ours',
      `${this.root} is not an export made by rcenter export-site (it must be absent, an empty directory, or the link export-site made); give another DIR`,
    );
  }

  /** The journal of an interrupted run, if its first line is `header`; otherwise the partial export is removed. */
  async resumable(header: string): Promise<string[] | undefined> {
    // A journal without its partial export (removed, or already finished) resumes nothing.
    const partialThere = await lstat(this.partial).then((s) => s.isDirectory(), () => false);
    const text = partialThere ? await readFile(this.journalFile, 'utf8').catch(() => undefined) : undefined;
    const lines = text?.split('\n') ?? [];
    // The last line may be cut short by the interruption: only whole lines count.
    if (text !== undefined && !text.endsWith('\n')) lines.pop();
    if (lines[0] === header) return lines.slice(1).filter((l) => l !== '');
    await this.discardPartial();
    return undefined;
  }

  /** A fresh partial export: empty, or hard links to every file of `from`. */
  async begin(header: string, from: string | undefined, onFile?: (n: number) => void): Promise<void> {
    await this.discardPartial();
    await mkdir(this.partial, { recursive: true });
    if (from !== undefined) await linkTree(from, this.partial, onFile);
    await writeFile(this.journalFile, `${header}\n`);
  }

  /** Appends lines to the journal (each unit of work once it is written, with its files). */
  async journal(lines: readonly string[]): Promise<void> {
    if (lines.length > 0) await appendFile(this.journalFile, `${lines.join('\n')}\n`);
  }

  /** Writes a file of the partial export (replacing, never writing through, a linked one). */
  async write(file: string, bytes: Uint8Array): Promise<void> {
    const target = path.join(this.partial, ...file.split('/'));
    const temporary = `${target}.rcenter-tmp`;
    try {
      await writeFile(temporary, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(temporary, bytes);
    }
    await rename(temporary, target);
  }

  async remove(file: string): Promise<void> {
    await unlink(path.join(this.partial, ...file.split('/'))).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Reads a file of the partial export. */
  read(file: string): Promise<Buffer> {
    return readFile(path.join(this.partial, ...file.split('/')));
  }

  /** Moves the partial export to `name` and points DIR at it; keeps the one before, removes older ones. */
  async finish(name: string): Promise<string> {
    const previous = await this.current();
    let finished = path.join(this.store, name);
    // Never over an export that is there (two runs within one second at one size): another name.
    for (let n = 2; await lstat(finished).then(() => true, () => false); n++) finished = path.join(this.store, `${name}-${n}`);
    await unlink(this.journalFile).catch(() => {});
    await rename(this.partial, finished);
    await removeEmptyDirectories(finished);
    const temporaryLink = `${this.root}.rcenter-link`;
    await rm(temporaryLink, { force: true });
    await symlink(path.relative(path.dirname(this.root), finished), temporaryLink);
    const stat = await lstat(this.root).catch(() => undefined);
    if (stat?.isDirectory()) await rmdir(this.root); // the empty directory given the first time
    await rename(temporaryLink, this.root);
    for (const entry of await readdir(this.store)) {
      const full = path.join(this.store, entry);
      if (full !== finished && full !== previous && VERSION_NAME.test(entry)) await rm(full, { recursive: true, force: true });
    }
    return finished;
  }

  private async discardPartial(): Promise<void> {
    // The journal first: interrupted in between, no run resumes a partial export half removed.
    await rm(this.journalFile, { force: true });
    await rm(this.partial, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Hard links every file under `from` into `to`, keeping the tree. */
async function linkTree(from: string, to: string, onFile?: (n: number) => void): Promise<void> {
  let n = 0;
  const walk = async (relative: string) => {
    await mkdir(path.join(to, relative), { recursive: true });
    const entries = await readdir(path.join(from, relative), { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const child = path.join(relative, entry.name);
        if (entry.isDirectory()) return walk(child);
        if (entry.isFile()) {
          await link(path.join(from, child), path.join(to, child));
          if (++n % 1000 === 0) onFile?.(n);
        }
      }),
    );
  };
  await walk('');
  onFile?.(n);
}

/** Removes the directories left empty (a day or a list whose files were all deleted). */
async function removeEmptyDirectories(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  let empty = true;
  for (const entry of entries) {
    if (entry.isDirectory() && (await removeEmptyDirectories(path.join(dir, entry.name)))) await rmdir(path.join(dir, entry.name));
    else empty = false;
  }
  return empty;
}

/** Every file under `dir`, as mirror paths (`a/b.html`), in no particular order. */
export async function* walkFiles(dir: string, relative = ''): AsyncGenerator<string> {
  for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) yield* walkFiles(dir, child);
    else yield child;
  }
}
