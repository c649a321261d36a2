import { Command } from 'commander';
import { configWarnings, loadConfig } from '../config.js';
import { CliError } from './cli-support.js';
import { countEnabledAdmins } from '../storage/staff.repository.js';

/** `rcenter serve`: migrate, then serve until SIGINT or SIGTERM. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('Create or upgrade the database, then serve on HOST:PORT (default 127.0.0.1:3000).')
    .action(async () => {
      const config = loadConfig();
      for (const warning of configWarnings(config)) process.stderr.write(`rcenter: warning: ${warning}\n`);
      // Loaded here, not at the top: the other commands need none of the web app.
      const { startServer } = await import('../server.js');
      const { loadOrCreateLogKey } = await import('../commands/log-keys.js');
      let key;
      try {
        key = loadOrCreateLogKey(config);
      } catch (error) {
        throw new CliError([(error as Error).message]);
      }
      const server = await startServer(config, { logKey: { signer: key.signer, verifier: key.verifierKey } });
      const where = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
      process.stdout.write(`rcenter: serving on ${server.address} (${where})\n`);
      if (key.created) process.stdout.write(`rcenter: created the transparency log's signing key in ${key.file} (mode 0600): back it up; set LOG_SIGNING_KEY_FILE to keep it elsewhere\n`);
      process.stdout.write(`rcenter: transparency log ${key.name}, verifier key ${key.verifierKey} (also at /log/key)\n`);
      if (config.witnesses.length > 0) process.stdout.write(`rcenter: asking ${config.witnesses.length} witness(es) to cosign each checkpoint\n`);
      // A hint only: a failure to count must not stop a server that is already serving.
      if ((await countEnabledAdmins(server.database.db).catch(() => null)) === 0) {
        process.stdout.write(
          'rcenter: there is no enabled admin account yet. Create the first admin with the command below; it asks for the password (or reads it from a pipe), never from the command line:\n' +
            '  npx rcenter user add --name admin --role admin --password-file -\n',
        );
      }
      if (config.ageRecipients.length === 0) {
        process.stdout.write('rcenter: AGE_RECIPIENTS is not set, so the private contact field is not offered (see `rcenter keygen`).\n');
      }
      const stop = () => {
        process.stdout.write('rcenter: stopping…\n');
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
