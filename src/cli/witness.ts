import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { writeSignerKeyFile } from '../commands/signer-key-file.js';
import { generateCosignatureKey } from '../tlog/index.js';
import { defaultWitnessName, readWitnessKey } from '../witness/witness-key.js';
import { parseTrustedLogKey, parseTrustedLogsFile, trustedLogs, type TrustedLogKey } from '../witness/trusted-logs.js';
import { CliError } from './cli-support.js';
import { requireKeyName } from './log.js';

/** The witness key file under the data directory when --key-file is not given. */
const WITNESS_KEY_FILE_NAME = 'witness.key';

interface ServeOptions {
  dataDir: string;
  keyFile?: string;
  log: string[];
  logsFile?: string;
  host: string;
  port: string;
}

/** `rcenter witness keygen|serve`: a tlog-witness that another organisation runs for the center's log. */
export function witnessCommand(): Command {
  const witness = new Command('witness').description('A transparency log witness (c2sp.org/tlog-witness): checks that logs only grow, and cosigns their checkpoints.');
  witness
    .command('keygen')
    .description('Create a witness cosigning key (Ed25519, tlog-cosignature/v1), written with mode 0600 (never over an existing file); prints its verifier key.')
    .requiredOption('--out <file>', 'where to write the signer key')
    .option('--name <name>', 'the witness name, a schema-less URL you control (default: this host name + "/witness")')
    .action((options: { out: string; name?: string }) => {
      const name = options.name ?? defaultWitnessName();
      requireKeyName(name);
      const { signerKey, verifierKey } = generateCosignatureKey(name);
      writeSignerKeyFile(options.out, signerKey);
      process.stderr.write(`rcenter: witness key ${name} written to ${options.out} (mode 0600).\n`);
      process.stdout.write(`${verifierKey}\n`);
    });
  witness
    .command('serve')
    .description('Serve POST /add-checkpoint for the given logs, keeping the latest cosigned checkpoint of each in SQLite under --data-dir.')
    .option('--log <entry>', 'a log to witness, ORIGIN=VKEY or VKEY (origin = key name); repeat for more logs or keys', collect, [])
    .option('--logs-file <file>', 'logs to witness, one ORIGIN=VKEY or VKEY a line (# comments)')
    .option('--data-dir <dir>', 'where the witness keeps its database (created with mode 0700)', './witness-data')
    .option('--key-file <file>', `the witness key (default: <data-dir>/${WITNESS_KEY_FILE_NAME})`)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '3001')
    .action(serve);
  return witness;
}

async function serve(options: ServeOptions): Promise<void> {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535) throw new CliError([`--port must be a whole number from 0 to 65535 (got "${options.port}")`]);
  const logs = trustedLogs(logEntries(options));
  if (logs.size === 0) throw new CliError(['no log to witness: give --log ORIGIN=VKEY (or VKEY) or --logs-file FILE']);
  const dataDir = path.resolve(options.dataDir);
  const keyFile = path.resolve(options.keyFile ?? path.join(dataDir, WITNESS_KEY_FILE_NAME));
  // Loaded here, not at the top: the other commands need none of the server.
  const [{ openWitnessStore }, { Witness }, { buildWitnessApp }] = await Promise.all([
    import('../witness/witness-store.js'),
    import('../witness/witness.js'),
    import('../witness/witness-app.js'),
  ]);
  let key;
  try {
    key = readWitnessKey(keyFile);
  } catch (error) {
    throw new CliError([error instanceof Error ? error.message : String(error), 'make a key with: rcenter witness keygen --out FILE (then --key-file FILE)']);
  }
  const store = openWitnessStore(dataDir);
  const app = buildWitnessApp(new Witness(store, logs, key.cosigner));
  let address: string;
  try {
    address = await app.listen({ host: options.host, port });
  } catch (error) {
    store.close();
    throw error;
  }
  process.stdout.write(`rcenter: witness verifier key: ${key.verifierKey}\n`);
  process.stdout.write(`rcenter: witnessing ${logs.size} log${logs.size === 1 ? '' : 's'}: ${[...logs.keys()].join(', ')}\n`);
  process.stdout.write(`rcenter: witness serving on ${address} (SQLite in ${dataDir})\n`);
  const stop = () => {
    process.stdout.write('rcenter: stopping…\n');
    app.close().then(
      () => {
        store.close();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function logEntries(options: ServeOptions): TrustedLogKey[] {
  const entries = options.log.map(parseTrustedLogKey);
  if (options.logsFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(options.logsFile, 'utf8');
    } catch (error) {
      throw new CliError([`cannot read --logs-file ${options.logsFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
    }
    entries.push(...parseTrustedLogsFile(text));
  }
  return entries;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
