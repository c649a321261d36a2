// TRUST_PROXY=true lets any client choose the address it is counted under, through
// X-Forwarded-For: `rcenter serve` still starts (it may be behind a proxy that overwrites the
// header) but warns on stderr, naming the setting and the safe values, never an address.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { startServerProcess } from './support/server-process.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-trust-proxy-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

for (const [value, warned] of [['true', true], ['1', false]] as const) {
  test(`TRUST_PROXY=${value}: ${warned ? 'a warning at start' : 'no warning'}`, async () => {
    const server = await startServerProcess({ env: { DATA_DIR: path.join(root, value), TRUST_PROXY: value, LOG_LEVEL: 'warn' } });
    try {
      // Answer one request first, so that anything written at start is in the output.
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
    const stderr = server.stderr().toString('utf8');
    if (warned) {
      assert.match(stderr, /rcenter: warning: TRUST_PROXY=true trusts every X-Forwarded-For hop/);
      assert.match(stderr, /\(e\.g\. 1\)/);
    } else {
      assert.doesNotMatch(stderr, /TRUST_PROXY/);
    }
    assert.doesNotMatch(stderr, /\d+\.\d+\.\d+\.\d+|::1/, 'an address in the output');
  });
}
