/**
 * The Cloud Run functions runtime every function deploys on: one setting, checked against the
 * provider's support schedule (`runtime-support.json`, with its source) by test/infra/function-runtime.test.ts.
 *
 * nodejs24 rather than nodejs22: both run the bundles (esbuild targets node20, the oldest Node the
 * code runs on, so the same bundle runs on the development machine's Node 20 and on the runtime),
 * but nodejs22 is deprecated on 2027-04-30, five months from the move, while nodejs24 is supported
 * until 2028-04-30: one migration instead of two.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const FUNCTION_RUNTIME = 'nodejs24';

/** esbuild's target for the function bundles: the oldest Node that runs them (tests run on Node 20). */
export const BUNDLE_TARGET = 'node20';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const RuntimeSupportSchema = z.object({
  source: z.string().url(),
  retrieved: IsoDate,
  runtimes: z.record(
    z.string().regex(/^nodejs\d+$/),
    z.object({ deprecation: IsoDate, decommission: IsoDate }).refine((r) => r.deprecation < r.decommission, 'deprecation comes before decommission'),
  ),
});
export type RuntimeSupport = z.infer<typeof RuntimeSupportSchema>;

export function readRuntimeSupport(file = new URL('./runtime-support.json', import.meta.url)): RuntimeSupport {
  return RuntimeSupportSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export type RuntimeStatus =
  | { state: 'supported'; deprecation: string; daysLeft: number }
  | { state: 'deprecated' | 'decommissioned' | 'unknown'; deprecation?: string; decommission?: string };

/** Where `runtime` stands on `today` (YYYY-MM-DD, UTC): deprecated from its deprecation date on. */
export function runtimeStatus(runtime: string, today: string, support: RuntimeSupport = readRuntimeSupport()): RuntimeStatus {
  const dates = support.runtimes[runtime];
  if (!dates) return { state: 'unknown' };
  if (today >= dates.decommission) return { state: 'decommissioned', ...dates };
  if (today >= dates.deprecation) return { state: 'deprecated', ...dates };
  const daysLeft = Math.round((Date.parse(dates.deprecation) - Date.parse(today)) / 86_400_000);
  return { state: 'supported', deprecation: dates.deprecation, daysLeft };
}
