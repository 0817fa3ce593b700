import assert from 'node:assert/strict';
import { FUNCTION_RUNTIME, readRuntimeSupport, runtimeStatus } from '../../cdktf/function-runtime.js';

describe('function runtime', () => {
  const support = readRuntimeSupport();

  it('the configured runtime is in the support table and not past its deprecation date today', () => {
    const today = new Date().toISOString().slice(0, 10);
    const status = runtimeStatus(FUNCTION_RUNTIME, today, support);
    assert.equal(status.state, 'supported', `${FUNCTION_RUNTIME} is ${status.state} on ${today} (cdktf/runtime-support.json, from ${support.source}): move FUNCTION_RUNTIME in cdktf/function-runtime.ts`);
  });

  const cases: { runtime: string; today: string; state: string }[] = [
    { runtime: 'nodejs20', today: '2026-04-29', state: 'supported' },
    { runtime: 'nodejs20', today: '2026-04-30', state: 'deprecated' },
    { runtime: 'nodejs20', today: '2026-10-30', state: 'decommissioned' },
    { runtime: 'nodejs24', today: '2028-04-30', state: 'deprecated' },
    { runtime: 'nodejs99', today: '2026-01-01', state: 'unknown' },
  ];
  for (const c of cases) {
    it(`${c.runtime} on ${c.today} is ${c.state}`, () => {
      assert.equal(runtimeStatus(c.runtime, c.today, support).state, c.state);
    });
  }

  it('counts the days a supported runtime has left', () => {
    const status = runtimeStatus('nodejs24', '2028-04-20', support);
    assert.deepEqual(status, { state: 'supported', deprecation: '2028-04-30', daysLeft: 10 });
  });
});
