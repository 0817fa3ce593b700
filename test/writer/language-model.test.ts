import assert from 'node:assert/strict';
import { parseConfig } from '../../shared/config.js';
import { Logger } from '../../shared/observability/logger.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { languageModelFor } from '../../shared/writer/language-model.js';
import { testConfig } from '../helpers/embedded.js';

describe('VIVIDLY_LANGUAGE_MODEL chooses the topic chooser and script writer', () => {
  const log = new Logger('silent');

  it('is the deterministic local pair by default', () => {
    const { chooser, writer } = languageModelFor(parseConfig({}), log);
    assert.equal(chooser.provider, 'lexical');
    assert.equal(writer.provider, 'extractive');
  });

  it('gemini without a project is a configuration error at start-up, not a failure per generation', () => {
    assert.throws(() => languageModelFor(parseConfig({ VIVIDLY_LANGUAGE_MODEL: 'gemini' }), log), { code: 'CONFIG_INVALID', message: /GOOGLE_CLOUD_PROJECT/ });
  });

  it('gemini with a project: the embedded pipeline (npm start) uses it too, loading the SDK only when it writes', () => {
    const ports = createEmbeddedPorts(testConfig({ VIVIDLY_LANGUAGE_MODEL: 'gemini', GOOGLE_CLOUD_PROJECT: 'vividly-test' }), { logSink: () => {} });
    try {
      assert.equal(ports.chooser.provider, 'gemini');
      assert.equal(ports.writer.provider, 'gemini');
    } finally {
      void ports.close();
    }
  });
});
