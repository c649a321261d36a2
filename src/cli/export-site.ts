import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { CliError, Progress, withDatabase } from './cli-support.js';

const HELP_AFTER = `
What it writes (docs/mirror.md): every public page in the three locales, the statements JSON of
each day, the counter, open data, feeds, assets and the transparency log's files, with links
relative to each page (so the copy works under any path, from file:// and from an onion
address), and mirror/files.txt with mirror/manifest: the SHA-256 of every file, signed with the
log's key and bound to the checkpoint the export is of. Check a copy with: rcenter verify DIR

DIR becomes a link to the finished export in .DIR.exports/ beside it: a reader of DIR sees the
previous export until the new one is complete; an interrupted run leaves it as it was and the
next run resumes. Serve DIR with any static web server (README, "Run a mirror").

Examples:
  npx rcenter export-site /srv/mirror               # a full export
  npx rcenter export-site /srv/mirror --since auto  # only what changed since the last one
`;

function parseSince(value: string): 'auto' {
  if (value !== 'auto') throw new InvalidArgumentError('only "auto" (from the checkpoint of the export DIR holds)');
  return value;
}

/** `rcenter export-site DIR`: the public site as static files, for mirrors. */
export function exportSiteCommand(): Command {
  return new Command('export-site')
    .description('Write every public page, the log and a signed manifest as static files under DIR, for a mirror; --since auto rewrites only what changed.')
    .argument('<dir>', 'where the mirror is (a link to the finished export is made there)')
    .option('--since <auto>', 'incremental: from the checkpoint of the export DIR holds (a full export when it holds none)', parseSince)
    .option('--archive <file>', 'also write the export as one .tar.gz (without the .gz copies), to carry or send')
    .option('--zim <file>', 'also write it as a .zim for Kiwix readers (needs zimwriterfs, from zim-tools)')
    .option('--no-search', 'do not build the static search index (Pagefind) for the search page')
    .option('--no-gzip', 'do not write FILE.gz beside each text file (for servers that send precompressed files)')
    .addHelpText('after', HELP_AFTER)
    .action(async (dir: string, options: { since?: 'auto'; archive?: string; zim?: string; gzip: boolean; search: boolean }) => {
      const config = loadConfig();
      const { readLogKey } = await import('../commands/log-keys.js');
      const { logIdentity } = await import('../commands/log/log-identity.js');
      const { exportSite, ExportError } = await import('../commands/mirror/site-exporter.js');
      const { ExportTreeError } = await import('../commands/mirror/export-tree.js');
      const { mirrorRenderer } = await import('../web/mirror-renderer.js');
      const { ArchiveError, writeTarGz, writeZim } = await import('../commands/mirror/mirror-archives.js');
      let key;
      try {
        // Never a new key: an export signed by a key nobody knows would replace a center's mirror.
        key = readLogKey(config);
      } catch (error) {
        throw new CliError([`${(error as Error).message}; export-site signs with the log key rcenter serve uses (it creates DATA_DIR/log-signing.key on its first start), or LOG_SIGNING_KEY_FILE (log_key_missing)`]);
      }
      const logKey = { signer: key.signer, verifier: key.verifierKey };
      const log = logIdentity(key.name, logKey);
      await withDatabase(async (database) => {
        const renderer = await mirrorRenderer(config, database, logKey);
        const started = Date.now();
        let progress: InstanceType<typeof Progress> | undefined;
        let phase = '';
        try {
          const result = await exportSite(database, log, renderer, {
            dir,
            since: options.since,
            gzip: options.gzip,
            search: options.search,
            onInfo: (message) => {
              progress?.finish();
              process.stderr.write(`rcenter: ${message}\n`);
            },
            onProgress: (name, done, total) => {
              if (name !== phase) {
                progress?.finish();
                phase = name;
                progress = new Progress(name, 1, process.stderr, name === 'days' ? 'days' : 'pages');
              }
              progress!.update(done, total);
            },
          });
          progress?.finish();
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          const how = result.mode === 'full' ? 'full export' : `incremental export since ${result.since!.toLocaleString('en')} entries`;
          process.stdout.write(
            `rcenter: ${how}${result.resumed ? ' (resumed)' : ''} of checkpoint ${result.size.toLocaleString('en')} in ${result.dir}: ` +
              `${result.files.toLocaleString('en')} files, ${result.written.toLocaleString('en')} written, ${result.deleted.toLocaleString('en')} deleted, in ${seconds} s\n`,
          );
          if (options.archive) {
            await writeTarGz(result.version, options.archive);
            process.stdout.write(`rcenter: archive written: ${options.archive} (extract it and check it with rcenter verify rcenter-mirror)\n`);
          }
          if (options.zim) {
            await writeZim(result.version, options.zim, 'Renunciation Center');
            process.stdout.write(`rcenter: ZIM written: ${options.zim} (open it with Kiwix)\n`);
          }
        } catch (error) {
          progress?.finish();
          if (error instanceof ExportError || error instanceof ExportTreeError || error instanceof ArchiveError) throw new CliError([`${error.message} (${error.code})`]);
          throw error;
        } finally {
          await renderer.close();
        }
      });
    });
}
