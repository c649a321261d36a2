import fs from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openContact, parseIdentityFile } from '../crypto/contact-sealer.js';
import { openDatabase } from '../storage/database.js';
import { listContactCiphertexts } from '../storage/submission.repository.js';

/**
 * `rcenter decrypt --identity FILE [--submission ID…]`: prints the private contact details of
 * chosen submissions (all that have any, by default). Run it offline, on the editor's machine,
 * against a copy of the database (DATA_DIR or DATABASE_URL); the identity never goes on the server.
 */
export function decryptCommand(): Command {
  return new Command('decrypt')
    .description('Decrypt private contact details with an offline age identity.')
    .requiredOption('--identity <file>', 'age identity file from `rcenter keygen`')
    .option('--submission <id...>', 'only these submission ids')
    .action(async (options: { identity: string; submission?: string[] }) => {
      const identities = parseIdentityFile(fs.readFileSync(options.identity, 'utf8'));
      if (identities.length === 0) throw new Error(`${options.identity} holds no age identity (AGE-SECRET-KEY-…)`);
      const database = openDatabase(loadConfig());
      let failures = 0;
      try {
        const rows = await listContactCiphertexts(database.db, options.submission ?? []);
        for (const row of rows) {
          try {
            const contact = await openContact(row.contact_ciphertext, identities);
            process.stdout.write(`${row.id}\t${JSON.stringify(contact)}\n`);
          } catch (error) {
            failures++;
            process.stderr.write(`rcenter: ${row.id}: cannot decrypt (${(error as Error).message})\n`);
          }
        }
        process.stderr.write(`rcenter: ${rows.length - failures} of ${rows.length} decrypted\n`);
      } finally {
        await database.close();
      }
      if (failures > 0) process.exitCode = 1;
    });
}
