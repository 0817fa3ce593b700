import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OPTIONS } from '../shared/config.js';

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');
  for (const option of Object.values(OPTIONS)) {
    it(`documents ${option.env} with its default`, () => {
      const row = readme.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${option.env}\``));
      assert.ok(row, `no configuration row for ${option.env}`);
      if (option.default) assert.ok(row.includes(option.default), `${option.env}'s row does not show its default ${option.default}`);
    });
  }
  it('names the test command that CI runs', () => {
    assert.match(readme, /npm test/);
    assert.match(readFileSync('.ci/run', 'utf8'), /npm test/);
  });
});
