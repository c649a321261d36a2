import { Command } from 'commander';
import { CliError, Progress } from './cli-output.js';
import { formatLine } from './verify.js';

const HELP_AFTER = `
URL is an export written by rcenter export-site, served by any web server: another mirror, or
the center's own export. Only files whose SHA-256 differs from the copy DIR holds are fetched.
The new copy is verified whole (as rcenter verify DIR does, against the tree head the last sync
verified, kept in .DIR.exports/sync-state.json) before DIR shows it; a source behind DIR, with
another log, or whose log does not extend the one verified last time is refused, and DIR is left
as it was. Needs no database.

Example (from cron, every 10 minutes):
  npx rcenter mirror sync https://mirror.example/ /srv/mirror --key "$(cat center-log.vkey)"
`;

/** `rcenter mirror sync URL DIR`: keep a mirror up to date from another one, verified. */
export function mirrorCommand(): Command {
  const mirror = new Command('mirror').description('Keep a static mirror of the center up to date (see also export-site).');
  mirror
    .command('sync')
    .description('Pull an export from URL (the center\'s or another mirror\'s) into DIR: only what changed, verified before DIR shows it.')
    .argument('<url>', 'where the export is served (http or https)')
    .argument('<dir>', 'the mirror on this machine (a link to the verified copy is made there)')
    .option('--key <vkey>', "the log's verifier key <name>+<hex8>+<base64> (default: the one pinned by the last sync, else the source's own: trust on first use)")
    .addHelpText('after', HELP_AFTER)
    .action(async (url: string, dir: string, options: { key?: string }) => {
      const { syncMirror, SyncError } = await import('../commands/mirror/mirror-sync.js');
      const { ExportTreeError } = await import('../commands/mirror/export-tree.js');
      let progress: Progress | undefined;
      let phase = '';
      const started = Date.now();
      try {
        const result = await syncMirror(url, dir, {
          key: options.key,
          onInfo: (message) => {
            progress?.finish();
            process.stderr.write(`rcenter: ${message}\n`);
          },
          onProgress: (name, done, total) => {
            if (name !== phase) {
              progress?.finish();
              phase = name;
              progress = new Progress(name, 1000, process.stderr, 'files');
            }
            progress!.update(done, total);
          },
          http: { onWait: (seconds) => process.stderr.write(`rcenter: the source asks to slow down; waiting ${seconds} s\n`) },
        });
        progress?.finish();
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(
          `rcenter: ${dir} now mirrors ${result.size.toLocaleString('en')} log entries (was ${result.from.toLocaleString('en')}), verified: ` +
            `${result.files.toLocaleString('en')} files, ${result.downloaded.toLocaleString('en')} fetched, ${result.kept.toLocaleString('en')} kept, ${result.deleted.toLocaleString('en')} deleted, in ${seconds} s\n`,
        );
      } catch (error) {
        progress?.finish();
        if (error instanceof SyncError) {
          for (const line of error.lines) process.stdout.write(formatLine(line));
          throw new CliError([`${error.message} (${error.code})`]);
        }
        if (error instanceof ExportTreeError) throw new CliError([`${error.message} (${error.code})`]);
        throw error;
      }
    });
  return mirror;
}
