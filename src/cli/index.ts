import { Command } from 'commander';
import { auditCommand } from './audit.js';
import { backupCommand } from './backup.js';
import { runProgram } from './cli-output.js';
import { decryptCommand } from './decrypt.js';
import { demoCommand } from './demo.js';
import { exportSiteCommand } from './export-site.js';
import { importCommand } from './import.js';
import { keygenCommand } from './keygen.js';
import { logCommand } from './log.js';
import { migrateCommand } from './migrate.js';
import { mirrorCommand } from './mirror.js';
import { pagesCommand } from './pages.js';
import { purgeCommand } from './purge.js';
import { recountCommand } from './recount.js';
import { restoreCommand } from './restore.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';
import { userCommand } from './user.js';
import { verifyCommand } from './verify.js';
import { witnessCommand } from './witness.js';

const program = new Command('rcenter')
  .description('Renunciation Center: intake, review, publication and counting of withdrawal statements.')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(migrateCommand())
  .addCommand(userCommand())
  .addCommand(tokenCommand())
  .addCommand(importCommand())
  .addCommand(auditCommand())
  .addCommand(recountCommand())
  .addCommand(pagesCommand())
  .addCommand(purgeCommand())
  .addCommand(backupCommand())
  .addCommand(restoreCommand())
  .addCommand(keygenCommand())
  .addCommand(decryptCommand())
  .addCommand(logCommand())
  .addCommand(witnessCommand())
  .addCommand(exportSiteCommand())
  .addCommand(mirrorCommand())
  .addCommand(verifyCommand())
  .addCommand(demoCommand());

await runProgram(program);
