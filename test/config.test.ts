import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, configWarnings, loadConfig } from '../src/config.js';

test('defaults: 127.0.0.1:3000, SQLite under ./data, no contact field, rate limits on', () => {
  const config = loadConfig({});
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 3000);
  assert.equal(config.dataDir, path.resolve('data'));
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.ageRecipients, []);
  assert.equal(config.rateLimits.enabled, true);
  assert.equal(config.trustProxy, false);
});

test('every bad setting is listed at once', () => {
  const error = (() => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', AGE_RECIPIENTS: 'AGE-SECRET-KEY-1XYZ', LOG_LEVEL: 'loud', RATE_LIMITS: 'maybe', ALTCHA_HMAC_KEY: 'short', TRUST_PROXY: 'yes please' });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof ConfigError);
  assert.equal(error.problems.length, 7, error.message);
  for (const name of ['PORT', 'DATABASE_URL', 'AGE_RECIPIENTS', 'LOG_LEVEL', 'RATE_LIMITS', 'ALTCHA_HMAC_KEY', 'TRUST_PROXY']) {
    assert.ok(error.message.includes(name), name);
  }
  assert.ok(!error.message.includes('AGE-SECRET-KEY-1XYZ'), 'a secret pasted by mistake is not echoed whole');
});

test('settings are read', () => {
  const config = loadConfig({
    HOST: '0.0.0.0', PORT: '8080', DATABASE_URL: 'postgres://u@h/db', TRUST_PROXY: '1', RATE_LIMITS: 'off',
    AGE_RECIPIENTS: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p, age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg',
  });
  assert.equal(config.port, 8080);
  assert.equal(config.databaseUrl, 'postgres://u@h/db');
  assert.equal(config.trustProxy, 1);
  assert.equal(config.rateLimits.enabled, false);
  assert.equal(config.ageRecipients.length, 2);
});

test('PUBLIC_URL is an http(s) origin; a path, query, credentials or another scheme is refused', () => {
  assert.equal(loadConfig({ PUBLIC_URL: 'https://example.org' }).publicUrl, 'https://example.org');
  assert.equal(loadConfig({ PUBLIC_URL: 'http://abcdefghijklmnop.onion/' }).publicUrl, 'http://abcdefghijklmnop.onion');
  assert.equal(loadConfig({}).publicUrl, undefined);
  for (const bad of ['example.org', 'https://example.org/path', 'https://u:p@example.org', 'javascript:alert(1)', 'https://example.org/?x=1', 'ftp://example.org']) {
    assert.throws(() => loadConfig({ PUBLIC_URL: bad }), (error: unknown) => error instanceof ConfigError && error.message.includes('PUBLIC_URL'), bad);
  }
});

test('TRUST_PROXY=true is accepted with a warning: any client could choose its address; a hop count or addresses are not warned about', () => {
  const warnings = configWarnings(loadConfig({ TRUST_PROXY: 'true' }));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /TRUST_PROXY=true/);
  assert.match(warnings[0]!, /X-Forwarded-For/);
  assert.match(warnings[0]!, /number of proxies|addresses/);
  for (const safe of ['', 'false', '1', '2', '10.0.0.1', '10.0.0.0/8, fd00::/8']) assert.deepEqual(configWarnings(loadConfig({ TRUST_PROXY: safe })), [], safe);
});

test('retention of retracted statements and redacted originals: 7 and 30 days by default, read, and every bad one listed', () => {
  assert.deepEqual([loadConfig({}).retention.retractedDays, loadConfig({}).retention.editsDays], [7, 30]);
  const read = loadConfig({ RETENTION_RETRACTED_DAYS: '2', RETENTION_EDITS_DAYS: '90' }).retention;
  assert.deepEqual([read.retractedDays, read.editsDays], [2, 90]);
  const error = (() => {
    try {
      loadConfig({ RETENTION_RETRACTED_DAYS: '0', RETENTION_EDITS_DAYS: 'soon' });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof ConfigError);
  assert.equal(error.problems.length, 2, error.message);
  assert.match(error.message, /RETENTION_RETRACTED_DAYS must be a whole number from 1 to 36500/);
  assert.match(error.message, /RETENTION_EDITS_DAYS must be a whole number from 1 to 36500/);
});

test('LOG_SIGNING_KEY_FILE is unset by default, resolved to an absolute path, and refused when it names a directory', () => {
  assert.equal(loadConfig({}).logSigningKeyFile, undefined);
  assert.equal(loadConfig({ LOG_SIGNING_KEY_FILE: 'keys/log.key' }).logSigningKeyFile, path.resolve('keys/log.key'));
  assert.equal(loadConfig({ LOG_SIGNING_KEY_FILE: '/etc/rc/log.key' }).logSigningKeyFile, '/etc/rc/log.key');
  for (const bad of ['/etc/rc/', 'keys/']) {
    assert.throws(() => loadConfig({ LOG_SIGNING_KEY_FILE: bad }), (error: unknown) => error instanceof ConfigError && error.message.includes('LOG_SIGNING_KEY_FILE'), bad);
  }
});

test('WITNESSES: URL and cosignature key pairs; anything else is listed as a bad setting', async () => {
  const { generateCosignatureKey, generateKey } = await import('../src/tlog/index.js');
  const a = generateCosignatureKey('a.example/w').verifierKey;
  const b = generateCosignatureKey('b.example/w').verifierKey;
  assert.deepEqual(loadConfig({ WITNESSES: `https://a.example/w ${a},\n http://b.example:8080 ${b}` }).witnesses, [
    { url: 'https://a.example/w', verifierKey: a },
    { url: 'http://b.example:8080', verifierKey: b },
  ]);
  assert.deepEqual(loadConfig({}).witnesses, []);
  for (const bad of [`ftp://a.example ${a}`, `https://a.example`, `https://a.example ${generateKey('log.example/log').verifierKey}`, `https://a.example ${a} extra`, `https://a.example ${a}, https://c.example ${a}`]) {
    assert.throws(() => loadConfig({ WITNESSES: bad }), (error: Error) => error.message.includes('WITNESSES'), bad);
  }
});
