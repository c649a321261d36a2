// The history cannot be edited: an entry deleted, two swapped, or an entry and its tile altered
// together are found — against the checkpoint's root when the checkpoint was not re-signed, and
// by the entries themselves (event numbers, a history that does not add up) when it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEntryBundle, encodeEntryBundle, recordHash } from '../../src/tlog/index.js';
import { FakeLog } from '../support/fake-log.js';
import { lineOf, verifyMirror } from '../support/fake-mirror.js';

const fresh = () => FakeLog.random(400, { days: 10, seed: 3 });

test('an entry deleted from a served bundle fails the tree check', async () => {
  const log = fresh();
  const files = await log.files();
  const entries = decodeEntryBundle(files.get('log/tile/entries/000')!);
  entries.splice(17, 1);
  files.set('log/tile/entries/000', encodeEntryBundle(entries));
  const result = await verifyMirror(files, 'http', { key: log.verifierKey });
  assert.equal(lineOf(result, 'tree').ok, false);
  assert.match(lineOf(result, 'tree').detail, /log\/tile\/entries\/000 holds 255 entries, not 256/);
  assert.equal(result.ok, false);
});

test('two entries swapped in a served bundle fail the tree check', async () => {
  const log = fresh();
  const files = await log.files();
  const entries = decodeEntryBundle(files.get('log/tile/entries/001.p/' + (log.entries.length - 256))!);
  [entries[3], entries[4]] = [entries[4]!, entries[3]!];
  files.set('log/tile/entries/001.p/' + (log.entries.length - 256), encodeEntryBundle(entries));
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.match(lineOf(result, 'tree').detail, /tile\/0\/001\.p\/\d+ is not the hashes of the entries in its bundle/);
});

test('an entry and its tile altered together fail at the checkpoint root', async () => {
  const log = fresh();
  const files = await log.files();
  const width = log.entries.length - 256;
  const bundle = `log/tile/entries/001.p/${width}`;
  const entries = decodeEntryBundle(files.get(bundle)!);
  entries[0] = Buffer.from(Buffer.from(entries[0]!).toString('ascii').replace(/person ([a-z_,]+) (\w+)\n/, 'person $1 $2\nperson $1 $2\n'));
  files.set(bundle, encodeEntryBundle(entries));
  files.set(`log/tile/0/001.p/${width}`, Buffer.concat(entries.map((e) => recordHash(e))));
  const result = await verifyMirror(files, 'http', { key: log.verifierKey });
  assert.match(lineOf(result, 'tree').detail, /tile\/1\/000\.p\/1 is not the tiles below it|not the checkpoint's/);
  assert.equal(result.ok, false);
});

test('a log re-signed without one of its entries fails: an event number is missing', async () => {
  const log = fresh();
  log.entries.splice(100, 1);
  const result = await verifyMirror(await log.files(), 'dir', { key: log.verifierKey });
  assert.equal(lineOf(result, 'tree').ok, undefined, 'the tree is not finished once an entry fails');
  assert.equal(lineOf(result, 'entries').ok, false);
  assert.match(lineOf(result, 'entries').detail, /^entry 100: malformed log entry: entry 100 says it is event 102$/);
});

test('a log re-signed with two entries swapped fails: events out of order', async () => {
  const log = fresh();
  [log.entries[50], log.entries[51]] = [log.entries[51]!, log.entries[50]!];
  const result = await verifyMirror(await log.files(), 'http', { key: log.verifierKey });
  assert.equal(lineOf(result, 'entries').ok, false);
  assert.match(lineOf(result, 'entries').detail, /entry 50 says it is event 52/);
});

test('a log re-signed with its events renumbered after a deletion fails: the history does not add up', async () => {
  const log = fresh();
  const published = log.entries.findIndex((e, i) => i > 10 && e.kind === 'published' && log.entries.some((later) => later.number === e.number && later.kind === 'retracted'));
  assert.ok(published > 0, 'the random log has a retracted statement');
  log.entries.splice(published, 1);
  log.entries.forEach((e, i) => (e.event = i + 1));
  const result = await verifyMirror(await log.files(), 'dir', { key: log.verifierKey });
  assert.equal(lineOf(result, 'entries').ok, false);
  assert.match(lineOf(result, 'entries').detail, /retracted while not published/);
});

test('a tile that is not the tree\'s fails even when the bundles are intact', async () => {
  const log = fresh();
  const files = await log.files();
  const tile = Buffer.from(files.get('log/tile/0/000')!);
  tile[100] = tile[100]! ^ 1;
  files.set('log/tile/0/000', tile);
  const result = await verifyMirror(files, 'dir', { key: log.verifierKey });
  assert.match(lineOf(result, 'tree').detail, /^tile\/0\/000 is not the hashes of the entries in its bundle/);
});

test('a missing bundle fails and names it', async () => {
  const log = fresh();
  const files = await log.files();
  files.delete('log/tile/entries/000');
  const result = await verifyMirror(files, 'http', { key: log.verifierKey });
  assert.match(lineOf(result, 'tree').detail, /^log\/tile\/entries\/000 is missing$/);
});
