import assert from 'node:assert/strict';
import request from 'supertest';
import { ApiKeys, apiKeysOf, bearerToken, ownerOfKey } from '../../functions/api/api-keys.js';
import { createLocalApp } from '../../functions/local/serve.js';
import { createEmbeddedPorts, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { testConfig } from '../helpers/embedded.js';

describe('api keys: one constant-time check', () => {
  const cases: { list: string; header: string | undefined; key: string | undefined; why: string }[] = [
    { list: 'key-one,key-two', header: 'Bearer key-one', key: 'key-one', why: 'the first key' },
    { list: 'key-one,key-two', header: 'Bearer key-two', key: 'key-two', why: 'the last key' },
    { list: ' key-one , key-two ,', header: 'bearer   key-two  ', key: 'key-two', why: 'blanks and scheme case do not matter' },
    { list: 'key-one,key-two', header: 'Bearer key-on', key: undefined, why: 'a prefix of a key' },
    { list: 'key-one,key-two', header: 'Bearer key-one-and-more', key: undefined, why: 'a key with more after it' },
    { list: 'key-one,key-two', header: 'Bearer key-one,key-two', key: undefined, why: 'the whole list' },
    { list: 'key-one', header: 'Bearer ' + 'x'.repeat(10_000), key: undefined, why: 'a much longer key (different lengths never throw)' },
    { list: 'k', header: 'Bearer k', key: 'k', why: 'a one-character key' },
    { list: 'key-one', header: 'Basic key-one', key: undefined, why: 'another scheme' },
    { list: 'key-one', header: 'Bearer ', key: undefined, why: 'an empty token' },
    { list: 'key-one', header: undefined, key: undefined, why: 'no header' },
    { list: 'clé-ünïcødé', header: 'Bearer clé-ünïcødé', key: 'clé-ünïcødé', why: 'non-ASCII keys' },
    { list: '', header: 'Bearer anything', key: undefined, why: 'no keys configured matches nothing' },
  ];
  for (const { list, header, key, why } of cases) {
    it(`${why}: ${JSON.stringify(header)?.slice(0, 40)} against ${JSON.stringify(list)} -> ${key ?? 'rejected'}`, () => {
      assert.equal(new ApiKeys(list).keyOf(header), key);
    });
  }

  it('is open only when no key is configured', () => {
    assert.equal(new ApiKeys('').open, true);
    assert.equal(new ApiKeys(' , ,').open, true);
    assert.equal(new ApiKeys('a').open, false);
  });

  it('reads the bearer token and names owners without revealing the key', () => {
    assert.equal(bearerToken('Bearer abc '), 'abc');
    assert.equal(bearerToken('Token abc'), undefined);
    assert.match(ownerOfKey('key-one'), /^key_[0-9a-f]{16}$/);
    assert.notEqual(ownerOfKey('key-one'), ownerOfKey('key-two'));
    assert.ok(!ownerOfKey('key-one').includes('key-one'));
  });

  it('hashes a configuration once', () => {
    assert.equal(apiKeysOf('a,b'), apiKeysOf('a,b'));
    assert.notEqual(apiKeysOf('a,b'), apiKeysOf('a,c'));
  });

  it('is the only comparison of keys in the api function and the local server', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const file of ['functions/api/api.ts', 'functions/local/serve.ts']) {
      const text = await readFile(file, 'utf8');
      assert.match(text, /from '(\.\.\/api|\.)\/api-keys\.js'/, `${file} uses api-keys.ts`);
      assert.doesNotMatch(text, /timingSafeEqual|apiKeys\.split/, `${file} compares keys itself`);
    }
  });

  describe('through the local server: the API and the operations endpoints agree', () => {
    let ports: EmbeddedPorts;
    afterEach(async () => ports?.close());

    it('the same keys open /v1/generations, /metrics and /ops/data, and the same keys are refused', async () => {
      ports = createEmbeddedPorts(testConfig({ VIVIDLY_API_KEYS: 'key-one,key-two' }), { logSink: () => {} });
      usePorts(ports);
      const app = createLocalApp(ports);
      for (const [header, ok] of [
        [undefined, false],
        ['Bearer wrong', false],
        ['Bearer key-on', false],
        ['Bearer key-one', true],
        ['Bearer key-two', true],
      ] as const) {
        const withKey = (r: request.Test) => (header ? r.set('authorization', header) : r);
        const api = await withKey(request(app).get('/v1/generations/gen_unknown000000'));
        assert.equal(api.status, ok ? 404 : 401, `api with ${header}`);
        for (const path of ['/metrics', '/ops/data']) {
          const res = await withKey(request(app).get(path));
          assert.equal(res.status, ok ? 200 : 401, `${path} with ${header}`);
        }
      }
    });
  });
});
