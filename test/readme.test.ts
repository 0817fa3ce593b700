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
  it('documents the fast run and running one file, and the fast run leaves the @slow tests out', () => {
    assert.match(readme, /npm run test:fast/);
    assert.match(readme, /npx mocha test\/[\w/.-]+\.test\.ts/);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts['test:fast'], /--grep @slow --invert/);
    assert.match(scripts.test, /^tsc -p \. && mocha 'test\/\*\*\/\*\.test\.ts'$/, 'npm test still type-checks and runs every test');
  });
  it('names the test command that CI runs', () => {
    assert.match(readme, /npm test/);
    assert.match(readFileSync('.ci/run', 'utf8'), /npm test/);
  });
});
