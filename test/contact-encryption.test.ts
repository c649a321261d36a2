// Promise 2: private contact details are unreadable by the server. They are encrypted with age to
// the center's recipients before they reach storage; only the offline identities open them; a
// changed ciphertext does not open at all; and without a configured recipient the contact field
// is neither offered nor accepted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import * as age from 'age-encryption';
import { generateKeyPair, openContact } from '../src/crypto/contact-sealer.js';
import { SQLITE_FILE_NAME } from '../src/storage/database.js';
import { countSubmissions } from '../src/storage/submission.repository.js';
import { createTestApp, postForm, postJson, validSubmission, type TestApp } from './support/app.js';
import { describeEachDialect } from './support/databases.js';
import { dumpPostgresRows, searchBytes, searchFiles, searchRows, type Hit } from './support/server-process.js';

const CONTACT = 'signal: +00 0000 probe-7c1e';
const CONTACT_MARK = 'probe-7c1e';
const FORM_CONTACT = 'email: form-probe-e4b0@example.invalid';
/** Stored in plain text on purpose (the title): proves the search sees what was just written. */
const CONTROL_TITLE = 'contact-control-title-91ab';

const describeHits = (hits: Hit[]) => hits.map((h) => `  "${h.needle}" in ${h.where} at ${h.offset}: …${h.context}…`).join('\n');

/** Flips one bit of the byte at `index` of the binary age file, and armours it again. */
function tamper(armored: string, index: (binary: Uint8Array) => number): string {
  const binary = Uint8Array.from(age.armor.decode(armored));
  const at = index(binary);
  assert.ok(at >= 0 && at < binary.length, `index ${at} out of range`);
  binary[at] = binary[at]! ^ 0x01;
  return age.armor.encode(binary);
}

/** Offset of the first byte after the age header (`--- <mac>\n`): the payload nonce. */
function payloadStart(binary: Uint8Array): number {
  const text = Buffer.from(binary).toString('latin1');
  const macLine = text.indexOf('\n--- ');
  assert.ok(macLine > 0, 'no header MAC line');
  return text.indexOf('\n', macLine + 1) + 1;
}

describeEachDialect('promise 2: contact details are sealed with age before storage', (dialect) => {
  let keys: { identity: string; recipient: string };
  let second: { identity: string; recipient: string };
  let stranger: { identity: string; recipient: string };
  let t: TestApp;
  let id: string;
  let formId: string;
  let ciphertext: string;

  before(async () => {
    keys = await generateKeyPair();
    second = await generateKeyPair();
    stranger = await generateKeyPair();
    t = await createTestApp(dialect, { ageRecipients: [keys.recipient, second.recipient] });
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ title: CONTROL_TITLE, contact: CONTACT }));
    assert.equal(response.statusCode, 201, response.body);
    assert.ok(!response.body.includes(CONTACT_MARK), 'the response echoes the contact');
    id = (response.json() as { id: string }).id;
    const form = await postForm(t.app, '/en/submit', [
      ['language', 'en'],
      ['d0.displayName', 'Form Person'],
      ['d0.nameKind', 'pseudonym'],
      ['d0.organizations', 'young_pioneers'],
      ['d0.region', '110000'],
      ['contact', FORM_CONTACT],
      ['website', ''],
    ]);
    assert.equal(form.statusCode, 201, form.body);
    const row = await t.database.db
      .selectFrom('submission')
      .select(['id', 'contact_ciphertext'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    ciphertext = row.contact_ciphertext!;
    const formRow = await t.database.db
      .selectFrom('submission')
      .select('id')
      .where('id', '!=', id)
      .executeTakeFirstOrThrow();
    formId = formRow.id;
  });
  after(async () => {
    await t?.close();
  });

  it('stores an ASCII-armoured age file, not the plaintext', () => {
    assert.match(ciphertext, /^-----BEGIN AGE ENCRYPTED FILE-----\r?\n/);
    assert.match(ciphertext, /-----END AGE ENCRYPTED FILE-----\s*$/);
    assert.ok(!ciphertext.includes(CONTACT_MARK));
  });

  if (dialect === 'sqlite') {
    it('the plaintext is in no byte of the SQLite files (database, -wal, -shm), though the title is', () => {
      const file = t.database.file!;
      assert.equal(path.basename(file), SQLITE_FILE_NAME);
      const present = [file, `${file}-wal`, `${file}-shm`].filter((f) => fs.existsSync(f));
      assert.ok(present.length >= 2, `expected the database and its WAL, found ${present.join(', ')}`);
      // Every file of the data directory, as bytes, right after the write.
      const control = searchFiles([t.dataDir], [CONTROL_TITLE]);
      assert.ok(control.files.includes(file));
      assert.ok(control.hits.length > 0, 'the positive control (the stored title) was not found: the search sees nothing');
      const { hits } = searchFiles([t.dataDir], [CONTACT, CONTACT_MARK, FORM_CONTACT, 'form-probe-e4b0']);
      assert.deepEqual(hits, [], `plaintext contact on disk:\n${describeHits(hits)}`);
    });
  } else {
    it('the plaintext is in no row of any table, though the title is', async () => {
      const dump = await dumpPostgresRows(t.database.db);
      assert.ok(searchRows(dump, [CONTROL_TITLE]).length > 0, 'the positive control (the stored title) was not found');
      const hits = searchRows(dump, [CONTACT, CONTACT_MARK, FORM_CONTACT, 'form-probe-e4b0']);
      assert.deepEqual(hits, [], `plaintext contact in the database:\n${describeHits(hits)}`);
    });
  }

  it('the plaintext is in no log line', () => {
    const hits = t.logs.flatMap((line, i) => searchBytes(`log ${i}`, Buffer.from(line), [CONTACT_MARK, 'form-probe-e4b0']));
    assert.deepEqual(hits, [], describeHits(hits));
  });

  it('the offline identity opens it; so does every other configured recipient\'s', async () => {
    assert.equal(await openContact(ciphertext, [keys.identity]), CONTACT);
    assert.equal(await openContact(ciphertext, [second.identity]), CONTACT);
    assert.equal(await openContact(ciphertext, [stranger.identity, keys.identity]), CONTACT);
  });

  it('the form path seals the contact too', async () => {
    const row = await t.database.db
      .selectFrom('submission')
      .select('contact_ciphertext')
      .where('id', '=', formId)
      .executeTakeFirstOrThrow();
    assert.ok(row.contact_ciphertext && !row.contact_ciphertext.includes('form-probe-e4b0'));
    assert.equal(await openContact(row.contact_ciphertext, [keys.identity]), FORM_CONTACT);
  });

  it('a wrong identity cannot open it', async () => {
    await assert.rejects(openContact(ciphertext, [stranger.identity]));
  });

  it('a tampered ciphertext is rejected, wherever the changed bit is', async () => {
    const places: Record<string, (b: Uint8Array) => number> = {
      'last byte (tag of the last chunk)': (b) => b.length - 1,
      'first byte of the payload nonce': (b) => payloadStart(b),
      'middle of the encrypted payload': (b) => Math.floor((payloadStart(b) + 16 + b.length) / 2),
      'header stanza': (b) => Buffer.from(b).indexOf('\n-> ') + 20,
      'header MAC': (b) => Buffer.from(b).indexOf('\n--- ') + 6,
    };
    for (const [where, index] of Object.entries(places)) {
      const changed = tamper(ciphertext, index);
      assert.notEqual(changed, ciphertext);
      await assert.rejects(openContact(changed, [keys.identity]), `a change in the ${where} was not detected`);
    }
    // The untouched ciphertext still opens after all that: the failures were the tampering.
    assert.equal(await openContact(tamper(tamper(ciphertext, (b) => b.length - 1), (b) => b.length - 1), [keys.identity]), CONTACT);
  });

  it('the submit form offers the contact field when a recipient is configured', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/en/submit' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="contact"/);
  });
});

describeEachDialect('promise 2: without AGE_RECIPIENTS no contact is offered or accepted', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect, { ageRecipients: [] });
  });
  after(async () => {
    await t?.close();
  });

  it('the submit form has no contact field, in any locale', async () => {
    for (const locale of ['en', 'zh-hans', 'zh-hant']) {
      const page = await t.app.inject({ method: 'GET', url: `/${locale}/submit` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /name="d0\.displayName"/, 'not the submit form');
      assert.doesNotMatch(page.body, /name="contact"/, `/${locale}/submit offers a contact field`);
    }
  });

  it('the API refuses a contact with 400 contact_not_accepted and writes nothing', async () => {
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission({ contact: CONTACT }));
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json() as { error: { code: string; field?: string } };
    assert.equal(body.error.code, 'contact_not_accepted');
    assert.equal(body.error.field, 'contact');
    assert.equal(await countSubmissions(t.database.db), 0);
  });

  it('the form refuses a contact sent anyway, and writes nothing', async () => {
    const response = await postForm(t.app, '/en/submit', [
      ['language', 'en'],
      ['d0.displayName', 'Form Person'],
      ['d0.nameKind', 'pseudonym'],
      ['d0.organizations', 'party'],
      ['d0.region', '110000'],
      ['contact', FORM_CONTACT],
      ['website', ''],
    ]);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /does not accept contact details/, 'the page does not say why');
    assert.ok(!response.body.includes('form-probe-e4b0'), 'the refused contact is shown back in a field that is not offered');
    assert.equal(await countSubmissions(t.database.db), 0);
  });

  it('the same submission without a contact is accepted (the refusal was the contact)', async () => {
    const response = await postJson(t.app, '/api/v1/submissions', validSubmission());
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(await countSubmissions(t.database.db), 1);
    const row = await t.database.db.selectFrom('submission').select('contact_ciphertext').executeTakeFirstOrThrow();
    assert.equal(row.contact_ciphertext, null);
  });
});
