import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startServer } from '../server.js';

/** `rcenter serve`: migrate, then serve until SIGINT or SIGTERM. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('Create or upgrade the database, then serve on HOST:PORT (default 127.0.0.1:3000).')
    .action(async () => {
      const config = loadConfig();
      const server = await startServer(config);
      const where = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
      process.stdout.write(`rcenter: serving on ${server.address} (${where})\n`);
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
