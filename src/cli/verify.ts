import { statSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { dirLogSource, httpLogSource, type LogSource } from '../commands/log-source.js';
import type { StatementsMode } from '../commands/log-statements-check.js';
import { verifyLog } from '../commands/log-verifier.js';
import type { CheckLine } from '../commands/log-verify-support.js';
import { cosignatureVerifier, noteVerifier } from '../tlog/index.js';
import { CliError, printable, Progress } from './cli-output.js';

interface VerifyFlags {
  key?: string;
  witness: string[];
  quorum?: number;
  state?: string;
  statements: StatementsMode;
  manifest: boolean;
}

/** `rcenter verify URL|DIR`: proves a center or a mirror against its own transparency log. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'Check a center or a mirror against its transparency log: the checkpoint signature (and witness cosignatures), ' +
        'every tile and entry against the checkpoint, the history against the last run (--state), the published count ' +
        'against the entries, and the statements served against their commitments. One PASS/FAIL/SKIP line per check; ' +
        'exit code 0 only when no check failed.',
    )
    .argument('<source>', 'the center or a mirror: an http(s) URL, or a mirror directory on disk')
    .option('--key <vkey>', "the log's verifier key <name>+<hex8>+<base64>, from the center's announcement (default: pinned in --state, else the log's own log/key: trust on first use)")
    .option('--witness <vkey>', 'a witness cosignature verifier key (tlog-cosignature/v1); repeat for several', (value: string, all: string[]) => [...all, value], [])
    .option('--quorum <k>', 'valid cosignatures needed from the witnesses given (default: all of them)', positiveInteger)
    .option('--state <file>', 'remember the key and tree head here; the next run must extend that tree (written only when every check passed)')
    .option('--no-manifest', 'a DIR that is a bare copy of log/ and api/v1/, not written by rcenter export-site: skip the mirror checks (manifest, files, pages)')
    .addOption(new Option('--statements <mode>', 'statements to check: every day with entries, a random 1,000 days, or none').choices(['all', 'sample', 'none']).default('all'))
    .action(async (target: string, flags: VerifyFlags) => {
      checkFlags(flags);
      const source = openSource(target);
      const entries = new Progress('reading entries', 10_000, process.stderr, 'entries');
      // Made at its step's first report, so that its rate and time left count from there.
      let days: Progress | undefined;
      let result;
      try {
        result = await verifyLog(source, {
          key: flags.key,
          witnesses: flags.witness,
          quorum: flags.quorum,
          stateFile: flags.state,
          statements: flags.statements,
          manifest: flags.manifest,
          onCheck: (line) => {
            entries.finish();
            days?.finish();
            process.stdout.write(formatLine(line));
          },
          onProgress: (step, done, total) => {
            if (step === 'entries') return entries.update(done, total);
            days ??= new Progress('checking statements', 100, process.stderr, 'days');
            days.update(done, total);
          },
        });
      } finally {
        entries.finish();
        days?.finish();
      }
      const failed = result.lines.filter((l) => l.ok === false).length;
      if (failed > 0) {
        process.stdout.write(`NOT VERIFIED: ${failed} of ${result.lines.length} checks failed${flags.state ? `; ${flags.state} was left as it was` : ''}\n`);
        throw new CliError([`${source.location} did not verify`]);
      }
      const size = result.checkpoint ? ` (${result.checkpoint.size} entries)` : '';
      process.stdout.write(`VERIFIED: no check failed${size}${result.stateWritten ? `; ${flags.state} now holds this tree head` : ''}\n`);
    });
}

/** `PASS what: detail`, and the notes under it, with nothing a terminal would interpret. */
export function formatLine(line: CheckLine): string {
  const word = line.ok === true ? 'PASS' : line.ok === false ? 'FAIL' : 'SKIP';
  return [`${word} ${line.check}: ${line.detail}`, ...(line.notes ?? []).map((n) => `  - ${n}`)].map((l) => `${printable(l)}\n`).join('');
}

function checkFlags(flags: VerifyFlags): void {
  const problems: string[] = [];
  if (flags.key !== undefined) {
    try {
      noteVerifier(flags.key.trim());
    } catch (error) {
      problems.push(`--key is not an Ed25519 verifier key <name>+<hex8>+<base64>: ${(error as Error).message}`);
    }
  }
  for (const witness of flags.witness) {
    try {
      cosignatureVerifier(witness.trim());
    } catch (error) {
      problems.push(`--witness ${printable(witness)} is not a cosignature verifier key (type 0x04): ${(error as Error).message}`);
    }
  }
  const witnesses = new Set(flags.witness.map((w) => w.trim())).size;
  if (flags.quorum !== undefined && flags.quorum > witnesses) problems.push(`--quorum ${flags.quorum} is more than the ${witnesses} distinct witnesses given`);
  if (problems.length > 0) throw new CliError(problems);
}

function openSource(target: string): LogSource {
  if (/^https?:\/\//i.test(target)) {
    try {
      let said = 0;
      return httpLogSource(target, {
        // The center's work budget slows a client that reads a lot (README "Work budget"): wait as told.
        onWait: (seconds) => {
          if (Date.now() - said < 10_000) return;
          said = Date.now();
          process.stderr.write(`rcenter: verify: the server asks to slow down; waiting ${seconds} s (429/503 with Retry-After)\n`);
        },
      });
    } catch (error) {
      throw new CliError([(error as Error).message]);
    }
  }
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new CliError([`${target} is neither an http(s) URL nor a directory`]);
  return dirLogSource(target);
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,5}$/.test(value)) throw new InvalidArgumentError('a whole number from 1');
  return Number(value);
}
