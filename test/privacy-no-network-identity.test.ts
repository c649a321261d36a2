// Promise 1: no network identity is kept. No IP address, user agent or other connection
// identifier is ever written to the database, to logs or to disk.
//
// The real server runs as a child process (`rcenter serve`, as an operator runs it) with every
// log line on (LOG_LEVEL=debug) and the contact path on (AGE_RECIPIENTS). It is sent traffic from
// the distinctive loopback address 127.0.0.77 with a distinctive User-Agent and a distinctive
// forwarded address: submissions (JSON and form), receipt look-ups, retractions, rate-limited and
// failing requests. Then every byte it left behind — files under its data and temporary
// directories (while running and after it stopped), everything it wrote to stdout and stderr,
// and for PostgreSQL every row of every table (and the cluster's own files when readable) — is
// searched for those strings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { generateKeyPair } from '../src/crypto/contact-sealer.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.js';
import {
  dumpPostgresRows,
  postgresStorageOf,
  readAppended,
  searchBytes,
  searchFiles,
  searchRows,
  startServerProcess,
  type Hit,
} from './support/server-process.js';
import type { Dialect } from '../src/storage/database.js';

const PROBE_ADDRESS = '127.0.0.77';
const FORWARDED_ADDRESS = '203.0.113.77';
const USER_AGENT_MARK = 'distinctive-ua-3f9c1d';
const USER_AGENT = `PrivacyProbe/7.7 (${USER_AGENT_MARK})`;
/** What must never be found anywhere the server writes. */
const NEEDLES = [PROBE_ADDRESS, FORWARDED_ADDRESS, USER_AGENT, USER_AGENT_MARK, 'PrivacyProbe/7.7'];
/** Text that IS stored (the statement): proves the search sees what the server writes. */
const STORED_CONTROL = 'stored-control-5d2a';

/** Whether this machine lets a socket bind to `address` (Linux allows all of 127/8 by default). */
async function canBindTo(address: string): Promise<boolean> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    return await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress: address });
      socket.once('connect', () => {
        resolve(socket.localAddress === address);
        socket.destroy();
      });
      socket.once('error', () => resolve(false));
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const canBind = await canBindTo(PROBE_ADDRESS);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A client that sends every request from PROBE_ADDRESS (when it can) with the distinctive
 * User-Agent and, unless told otherwise, the distinctive forwarded address; keeps a record of
 * everything it sent.
 */
function probeClient(port: number) {
  const sent: Sent[] = [];
  const send = (
    method: string,
    urlPath: string,
    options: { body?: string; type?: string; forwarded?: boolean } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' };
    if (options.forwarded !== false) {
      headers['x-forwarded-for'] = FORWARDED_ADDRESS;
      headers['x-real-ip'] = FORWARDED_ADDRESS;
      headers.forwarded = `for=${FORWARDED_ADDRESS};proto=http`;
    }
    if (options.type) headers['content-type'] = options.type;
    const body = options.body ?? '';
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    sent.push({ method, path: urlPath, headers, body });
    return new Promise<Answer>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port, method, path: urlPath, headers, agent: false, ...(canBind ? { localAddress: PROBE_ADDRESS } : {}) },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(options.body);
    });
  };
  const json = (urlPath: string, value: unknown, forwarded = true) =>
    send('POST', urlPath, { body: JSON.stringify(value), type: 'application/json', forwarded });
  const form = (urlPath: string, fields: [string, string][], forwarded = true) =>
    send('POST', urlPath, { body: new URLSearchParams(fields).toString(), type: 'application/x-www-form-urlencoded', forwarded });
  return { sent, send, json, form };
}

function submission(n: number, extra: Record<string, unknown> = {}) {
  return {
    language: 'zh-hans',
    title: `隐私探针 ${n}`,
    text: `这是一份为测试而写的合成声明。${STORED_CONTROL}-${n}`,
    declarants: [{ displayName: `探针${n}`, nameKind: 'pseudonym', organizations: ['party'], region: '440000' }],
    ...extra,
  };
}

function formSubmission(n: number, extra: [string, string][] = []): [string, string][] {
  return [
    ['language', 'zh-hans'],
    ['d0.displayName', `表单探针${n}`],
    ['d0.nameKind', 'real'],
    ['d0.organizations', 'youth_league'],
    ['d0.organizations', 'young_pioneers'],
    ['d0.region', '110000'],
    ['title', `表单 ${n}`],
    ['text', `表单合成声明 ${STORED_CONTROL}-form-${n}`],
    ...(extra.some(([name]) => name === 'website') ? [] : ([['website', '']] as [string, string][])),
    ...extra,
  ];
}

const receiptOf = (html: string): string => {
  const match = /<output>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})<\/output>/.exec(html);
  assert.ok(match, `no receipt on the page:\n${html.slice(0, 2000)}`);
  return match[1]!;
};

function describeHits(hits: Hit[]): string {
  return hits
    .slice(0, 20)
    .map((h) => `  "${h.needle}" (${h.encoding}) in ${h.where} at ${h.offset}: …${h.context}…`)
    .join('\n');
}

test('leak search finds a planted string in any file, any case, UTF-8 or UTF-16 (positive control)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-leak-control-'));
  try {
    fs.mkdirSync(path.join(dir, 'nested', 'deeper'), { recursive: true });
    const noise = Buffer.from([0, 255, 1, 254, 0x7f, 0]);
    fs.writeFileSync(path.join(dir, 'nested', 'deeper', 'a.bin'), Buffer.concat([noise, Buffer.from(PROBE_ADDRESS), noise]));
    fs.writeFileSync(path.join(dir, 'b.log'), `{"ua":"${USER_AGENT.toUpperCase()}"}\n`);
    fs.writeFileSync(path.join(dir, 'c.db'), Buffer.concat([noise, Buffer.from(FORWARDED_ADDRESS, 'utf16le'), noise]));
    fs.writeFileSync(path.join(dir, 'clean.txt'), 'served from 127.0.0.1 and 127.0.0.7, agent PrivacyProbe/7.6\n');
    const { files, hits } = searchFiles([dir], NEEDLES);
    assert.equal(files.length, 4);
    const found = (file: string) => new Set(hits.filter((h) => path.basename(h.where) === file).map((h) => h.needle));
    assert.deepEqual(found('a.bin'), new Set([PROBE_ADDRESS]));
    assert.deepEqual(found('b.log'), new Set([USER_AGENT, USER_AGENT_MARK, 'PrivacyProbe/7.7']));
    assert.deepEqual(found('c.db'), new Set([FORWARDED_ADDRESS]));
    assert.deepEqual(found('clean.txt'), new Set());
    assert.equal(hits.find((h) => h.where.endsWith('c.db'))?.encoding, 'utf16le');
    // …and in rows.
    assert.equal(searchRows([{ where: 't#0', text: `{"a":"x ${FORWARDED_ADDRESS} y"}` }], NEEDLES).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(`the probe client sends from ${PROBE_ADDRESS} with the distinctive User-Agent and forwarded address (sanity)`, async (t) => {
  if (!canBind) t.diagnostic(`cannot bind to ${PROBE_ADDRESS} here: requests go from the default address; the address check is skipped`);
  const seen: { address: string | undefined; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ address: req.socket.remoteAddress, headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = probeClient((server.address() as net.AddressInfo).port);
    const answer = await client.json('/x', { hello: 1 });
    assert.equal(answer.status, 200);
    assert.equal(seen.length, 1);
    if (canBind) assert.equal(seen[0]!.address, PROBE_ADDRESS);
    assert.equal(seen[0]!.headers['user-agent'], USER_AGENT);
    assert.equal(seen[0]!.headers['x-forwarded-for'], FORWARDED_ADDRESS);
    // The record of what was sent holds every needle, so a server that kept any would be caught.
    const record = Buffer.from(JSON.stringify(client.sent));
    for (const needle of NEEDLES.filter((n) => n !== PROBE_ADDRESS)) assert.ok(searchBytes('record', record, [needle]).length > 0, needle);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Exercise {
  dialect: Dialect;
  root: string;
  dataDir: string;
  tmpDir: string;
  testDatabase: TestDatabase | undefined;
  /** PostgreSQL: the server log and its size before the traffic, when readable. */
  postgresLog: { file: string; size: number } | undefined;
  /** Status of each named step, for the check that the traffic did what was meant. */
  statuses: Record<string, number>;
  requestsSent: number;
  logs: { where: string; text: string }[];
  /** Leak search of the data and temp directories while the server still ran (WAL and all). */
  liveFiles: ReturnType<typeof searchFiles>;
  liveControl: Hit[];
  /** …and after it stopped. */
  finalFiles: ReturnType<typeof searchFiles>;
  finalControl: Hit[];
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

async function exercise(dialect: Dialect): Promise<Exercise> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-privacy-'));
  const dataDir = path.join(root, 'data');
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(tmpDir);
  const testDatabase = dialect === 'postgres' ? await createTestDatabase('postgres') : undefined;
  const postgresLog = testDatabase && (await postgresStorageOf(testDatabase.database.db))?.serverLog;
  const { recipient } = await generateKeyPair();
  const server = await startServerProcess({
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: testDatabase?.databaseUrl,
      LOG_LEVEL: 'debug',
      AGE_RECIPIENTS: recipient,
      // The nearest proxy is trusted, so the forwarded address becomes the client address the
      // app works with (rate limits) — the most exposed it can be.
      TRUST_PROXY: '1',
      RATE_LIMITS: 'on',
      RATE_LIMIT_UNVERIFIED_PER_HOUR: '4',
      TMPDIR: tmpDir,
    },
  });
  const statuses: Record<string, number> = {};
  const client = probeClient(server.port);
  const step = async (name: string, answer: Promise<Answer>): Promise<Answer> => {
    const a = await answer;
    statuses[name] = a.status;
    return a;
  };
  try {
    // Pages and small endpoints.
    await step('GET /', client.send('GET', '/'));
    await step('GET /zh-hans/', client.send('GET', '/zh-hans/'));
    await step('GET /zh-hans/submit', client.send('GET', '/zh-hans/submit'));
    await step('GET /en/receipt', client.send('GET', '/en/receipt'));
    await step('GET /healthz', client.send('GET', '/healthz'));
    await step('GET /api/v1/challenge', client.send('GET', '/api/v1/challenge'));

    // Four submissions from the forwarded address: the unverified limit (4 an hour) is reached.
    const a = await step('api submit with contact', client.json('/api/v1/submissions', submission(1, { contact: 'probe contact 1' })));
    const b = await step('api submit', client.json('/api/v1/submissions', submission(2)));
    const c = await step('form submit with contact', client.form('/zh-hans/submit', formSubmission(3, [['contact', 'probe contact 3']])));
    const d = await step('form submit', client.form('/zh-hans/submit', formSubmission(4)));
    await step('api submit over the limit', client.json('/api/v1/submissions', submission(5)));
    await step('form submit over the limit', client.form('/zh-hans/submit', formSubmission(6)));
    // Without a forwarded address the client is 127.0.0.77 itself: a different limit.
    const e = await step('api submit without forwarding', client.json('/api/v1/submissions', submission(7), false));

    const receiptA = (JSON.parse(a.body) as { receipt: string }).receipt;
    const receiptB = (JSON.parse(b.body) as { receipt: string }).receipt;
    const receiptC = receiptOf(c.body);
    const receiptD = receiptOf(d.body);
    const receiptE = (JSON.parse(e.body) as { receipt: string }).receipt;

    await step('api receipt', client.json('/api/v1/receipt', { receipt: receiptA }));
    await step('api receipt without forwarding', client.json('/api/v1/receipt', { receipt: receiptE }, false));
    await step('form receipt', client.form('/zh-hans/receipt', [['receipt', receiptC.toLowerCase()]]));
    await step('api retract', client.json('/api/v1/receipt/retract', { receipt: receiptB }));
    await step('form retract', client.form('/zh-hans/receipt/retract', [['receipt', receiptD]]));
    await step('api retract again', client.json('/api/v1/receipt/retract', { receipt: receiptB }));

    // Errors.
    await step('api invalid json', client.send('POST', '/api/v1/submissions', { body: '{"declarants": [', type: 'application/json' }));
    await step('api invalid submission', client.json('/api/v1/submissions', { language: 'zh-hans', declarants: [] }));
    await step('api unsupported media type', client.send('POST', '/api/v1/submissions', { body: 'hello', type: 'text/plain' }));
    await step('api unknown receipt', client.json('/api/v1/receipt', { receipt: '2345-6789-ABCD-EFGH-JKMN' }));
    await step('api malformed receipt', client.json('/api/v1/receipt', { receipt: 'not a receipt' }));
    await step('form invalid submission', client.form('/zh-hans/submit', [['language', 'zh-hans'], ['d0.displayName', '']]));
    await step('form honeypot', client.form('/zh-hans/submit', formSubmission(8, [['website', 'http://spam.example']])));
    await step('form unknown receipt', client.form('/zh-hans/receipt', [['receipt', '2345-6789-ABCD-EFGH-JKMN']]));
    await step('GET unknown page', client.send('GET', '/zh-hans/no-such-page'));
    await step('GET unknown locale', client.send('GET', '/xx/submit'));
    await step('GET unknown api', client.send('GET', '/api/v1/no-such-endpoint?ip=x'));

    const liveFiles = searchFiles([dataDir, tmpDir], NEEDLES);
    const liveControl = searchFiles([dataDir, tmpDir], [STORED_CONTROL]).hits;
    const exit = await server.stop();
    const finalFiles = searchFiles([dataDir, tmpDir], NEEDLES);
    const finalControl = searchFiles([dataDir, tmpDir], [STORED_CONTROL]).hits;
    const logs = [
      ...server.stdout().toString('utf8').split('\n').map((text, i) => ({ where: `stdout line ${i + 1}`, text })),
      ...server.stderr().toString('utf8').split('\n').map((text, i) => ({ where: `stderr line ${i + 1}`, text })),
    ].filter((l) => l.text !== '');
    return {
      dialect,
      root,
      dataDir,
      tmpDir,
      testDatabase,
      postgresLog,
      statuses,
      requestsSent: client.sent.length,
      logs,
      liveFiles,
      liveControl,
      finalFiles,
      finalControl,
      exit,
    };
  } catch (error) {
    await server.kill();
    await testDatabase?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`${error}\nserver stdout:\n${server.stdout()}\nserver stderr:\n${server.stderr()}`, { cause: error });
  }
}

describeEachDialect('promise 1: the real server keeps no address, forwarded address or user agent', (dialect) => {
  let run: Exercise;
  before(async () => {
    run = await exercise(dialect);
  });
  after(async () => {
    if (!run) return;
    await run.testDatabase?.cleanup();
    fs.rmSync(run.root, { recursive: true, force: true });
  });

  it('the traffic did what it was meant to (submissions, look-ups, retractions, limits, errors)', () => {
    assert.deepEqual(run.statuses, {
      'GET /': 303,
      'GET /zh-hans/': 200,
      'GET /zh-hans/submit': 200,
      'GET /en/receipt': 200,
      'GET /healthz': 200,
      'GET /api/v1/challenge': 200,
      'api submit with contact': 201,
      'api submit': 201,
      'form submit with contact': 201,
      'form submit': 201,
      'api submit over the limit': 429,
      'form submit over the limit': 429,
      'api submit without forwarding': 201,
      'api receipt': 200,
      'api receipt without forwarding': 200,
      'form receipt': 200,
      'api retract': 200,
      'form retract': 200,
      'api retract again': 409,
      'api invalid json': 400,
      'api invalid submission': 400,
      'api unsupported media type': 415,
      'api unknown receipt': 404,
      'api malformed receipt': 400,
      'form invalid submission': 400,
      'form honeypot': 400,
      'form unknown receipt': 404,
      'GET unknown page': 404,
      'GET unknown locale': 404,
      'GET unknown api': 404,
    });
  });

  it('the server stopped cleanly when asked', () => {
    assert.deepEqual(run.exit, { code: 0, signal: null });
  });

  it('every request was logged at debug level, so the log search saw every line there is', () => {
    const requestLines = run.logs.filter((l) => /"msg":"request"/.test(l.text));
    assert.ok(
      requestLines.length >= run.requestsSent,
      `expected a request line per request (${run.requestsSent}), got ${requestLines.length}:\n${run.logs.map((l) => l.text).join('\n')}`,
    );
    assert.ok(run.logs.some((l) => /"level":20/.test(l.text)), 'no debug-level line at all');
  });

  it('no log line (stdout or stderr) holds the address, forwarded address or user agent', () => {
    const hits = run.logs.flatMap(({ where, text }) => searchBytes(where, Buffer.from(text, 'utf8'), NEEDLES));
    assert.deepEqual(hits, [], `network identity in the logs:\n${describeHits(hits)}`);
  });

  it('no file under DATA_DIR or TMPDIR holds them, while serving (database, WAL, journal) or after stopping', () => {
    if (dialect === 'sqlite') {
      assert.ok(
        run.liveFiles.files.some((f) => f.endsWith('rcenter.sqlite')),
        `the live search did not see the database: ${run.liveFiles.files.join(', ')}`,
      );
      assert.ok(run.finalFiles.files.some((f) => f.endsWith('rcenter.sqlite')));
    }
    const hits = [...run.liveFiles.hits, ...run.finalFiles.hits];
    assert.deepEqual(hits, [], `network identity on disk:\n${describeHits(hits)}`);
  });

  // PostgreSQL keeps rows elsewhere: see the row and cluster checks below.
  if (dialect === 'sqlite') {
    it('the file search sees what the server stores (positive control: the statement text is found)', () => {
      assert.ok(run.liveControl.length > 0, `"${STORED_CONTROL}" not found in the live files: ${run.liveFiles.files.join(', ')}`);
      assert.ok(run.finalControl.length > 0, `"${STORED_CONTROL}" not found after stopping: ${run.finalFiles.files.join(', ')}`);
    });
  }

  if (dialect === 'postgres') {
    it('no row of any table holds them (with the statement text found as positive control)', async () => {
      const dump = await dumpPostgresRows(run.testDatabase!.database.db);
      assert.ok(dump.some((r) => r.where.startsWith('submission#')) && dump.some((r) => r.where.startsWith('declarant#')));
      assert.ok(searchRows(dump, [STORED_CONTROL]).length >= 5, 'the stored statements are not in the dump');
      const hits = searchRows(dump, NEEDLES);
      assert.deepEqual(hits, [], `network identity in the database:\n${describeHits(hits)}`);
    });
  }

  if (dialect === 'postgres') {
    it('no file of this PostgreSQL database, nor the server log, holds them (when readable here)', async (t) => {
      const storage = await postgresStorageOf(run.testDatabase!.database.db);
      if (!storage) {
        t.skip("the cluster's files are not readable from here (remote server or not a superuser)");
        return;
      }
      const control = searchFiles([storage.databaseDir], [STORED_CONTROL]);
      assert.ok(control.hits.length > 0, `"${STORED_CONTROL}" not found in ${storage.databaseDir} (${control.files.length} files)`);
      const hits = searchFiles([storage.databaseDir], NEEDLES).hits;
      if (run.postgresLog) hits.push(...searchBytes(run.postgresLog.file, readAppended(run.postgresLog.file, run.postgresLog.size), NEEDLES));
      else t.diagnostic('no PostgreSQL server log found beside the data directory');
      assert.deepEqual(hits, [], `network identity in PostgreSQL's files:\n${describeHits(hits)}`);
    });
  }
});

describe('promise 1 test setup', () => {
  const skip = !canBind && `cannot bind to ${PROBE_ADDRESS} here`;
  it(`binds to ${PROBE_ADDRESS} (otherwise the address is not probed)`, { skip }, () => {
    assert.ok(canBind);
  });
});
