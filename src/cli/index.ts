import { Command } from 'commander';
import { decryptCommand } from './decrypt.js';
import { keygenCommand } from './keygen.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';

const program = new Command('rcenter')
  .description('Renunciation Center: intake, review, publication and counting of withdrawal statements.')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(migrateCommand())
  .addCommand(keygenCommand())
  .addCommand(decryptCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`rcenter: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
