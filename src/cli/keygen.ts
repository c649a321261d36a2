import fs from 'node:fs';
import { Command } from 'commander';
import { generateKeyPair } from '../crypto/contact-sealer.js';

/** `rcenter keygen --out FILE`: a new age identity, written 0600; prints the recipient. */
export function keygenCommand(): Command {
  return new Command('keygen')
    .description('Create an age identity for reading private contact details. Keep the file offline; put the printed recipient in AGE_RECIPIENTS.')
    .requiredOption('--out <file>', 'where to write the identity (refuses to overwrite)')
    .action(async (options: { out: string }) => {
      const { identity, recipient } = await generateKeyPair();
      const contents = `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`;
      // 'wx': never overwrite an existing identity, which would lose every contact sealed to it.
      fs.writeFileSync(options.out, contents, { mode: 0o600, flag: 'wx' });
      process.stderr.write(`rcenter: identity written to ${options.out} (mode 0600). Keep it offline.\n`);
      process.stdout.write(`${recipient}\n`);
    });
}
