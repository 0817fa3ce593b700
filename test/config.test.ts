import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, OPTIONS, parseConfig, signingKeyFor } from '../shared/config.js';

describe('config', () => {
  it('has a default for every option, and the defaults parse', () => {
    const config = parseConfig({}, '/srv/app');
    assert.equal(config.dataDir, '/srv/app/.vividly');
    assert.equal(config.port, 8080);
    assert.equal(config.maxAttempts, 5);
    for (const key of Object.keys(OPTIONS)) assert.ok(key in config, key);
  });

  const invalid: [string, string][] = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['VIVIDLY_MAX_ATTEMPTS', '0'],
    ['VIVIDLY_MIN_CONFIDENCE', '1.5'],
    ['VIVIDLY_NARRATION_BUCKET', '../escape'],
    ['VIVIDLY_RENDER_PRESET', 'placebo'],
    ['VIVIDLY_LOG_LEVEL', 'loud'],
  ];
  for (const [name, value] of invalid) {
    it(`rejects ${name}=${value} with a message naming the variable`, () => {
      assert.throws(() => parseConfig({ [name]: value }), (e: unknown) => e instanceof ConfigError && e.message.includes(name));
    });
  }

  it('creates the signing key once and reuses it', () => {
    const config = parseConfig({ VIVIDLY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vividly-cfg-')) });
    const first = signingKeyFor(config);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(signingKeyFor(config), first);
    assert.equal(signingKeyFor({ ...config, signingKey: 'configured' }), 'configured');
  });
});
