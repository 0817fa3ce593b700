import assert from 'node:assert/strict';
import request from 'supertest';
import { Testing } from 'cdktf';
import { TOPICS } from '../../events/schemas.js';
import { LOG_METRICS, Monitoring, scopedFilter, type LogMetricSpec, type MonitoringProps } from '../../cdktf/monitoring.js';
import { createLocalApp } from '../../functions/local/serve.js';
import { objectNames } from '../../shared/domain/object-names.js';
import { FUNCTIONS, METRIC_NAMES } from '../../shared/observability/invocation-record.js';
import { readInvocationRecord } from '../../shared/observability/logger.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { alwaysFailingSpeech } from '../helpers/doubles.js';
import { startTestPipeline, waitForTerminal, type TestPipeline } from '../helpers/embedded.js';
import { compileExtractor, compileQuery, ingestCloudRunLine, labelValue, UnsupportedQueryError, type LogEntry } from '../helpers/logging-query.js';

const PROPS: MonitoringProps = {
  prefix: 'vividly-test',
  project: 'vividly-test',
  functions: FUNCTIONS.map((name) => ({ name, serviceName: `vividly-test-${name}` })),
  subscriptions: [
    ...['understand', 'retrieve', 'write', 'narrate', 'sweep', 'dead-letter'].map((name) => ({ name, subscriptionId: `vividly-test-${name}` })),
  ],
  deadLetterSubscriptionId: 'vividly-test-dead-letter',
  notificationChannels: [
    { type: 'email', displayName: 'on-call', labels: { email_address: 'oncall@example.com' } },
    { type: 'slack', displayName: 'ops channel', labels: { channel_name: '#vividly-ops', auth_token: '' } },
  ],
  objectives: { endToEndP95Seconds: 180, errorRatio: 0.05, stallMinutes: 10 },
};

/** A metric as the test evaluates it: from LOG_METRICS or from the synthesized Terraform JSON. */
interface MetricUnderTest {
  name: string;
  filter: string;
  labelExtractors: Record<string, string>;
  valueExtractor?: string;
}

/** What each metric must show after the run below (label values that must occur, value bounds). */
const EXPECTED: Record<keyof typeof METRIC_NAMES, { labels: Record<string, readonly string[]>; minValue?: number; exclusiveMin?: boolean }> = {
  invocations: { labels: { stage: FUNCTIONS, outcome: ['ok', 'duplicate', 'retry', 'failed', 'dead-lettered', 'ignored'], error_code: ['SPEECH_UNAVAILABLE', 'NOT_FOUND', 'GENERATION_NOT_FOUND'] } },
  latencyMs: { labels: { stage: FUNCTIONS, outcome: ['ok', 'retry', 'failed'] }, minValue: 0 },
  generationLatencyMs: { labels: { stage: ['publish'] }, minValue: 0, exclusiveMin: true },
  mediaSeconds: { labels: { stage: ['narrate', 'render'] }, minValue: 0, exclusiveMin: true },
  deadLettered: { labels: { source_stage: ['narrate'], error_code: ['SPEECH_UNAVAILABLE'] } },
  stalledGenerations: { labels: {}, minValue: 1 },
};

const keyOf = (name: string) => (Object.keys(METRIC_NAMES) as (keyof typeof METRIC_NAMES)[]).find((k) => name === METRIC_NAMES[k] || name.endsWith(`/${METRIC_NAMES[k]}`));

/**
 * Everything that must hold for one metric over the ingested entries; returns the problems found
 * (empty when the metric works). Used on the real records and on deliberately broken copies.
 */
function checkMetric(metric: MetricUnderTest, entries: LogEntry[]): string[] {
  const key = keyOf(metric.name);
  if (!key) return [`${metric.name}: not one of METRIC_NAMES`];
  const expected = EXPECTED[key];
  const problems: string[] = [];
  const matches = compileQuery(metric.filter);
  const matched = entries.filter(matches);
  if (matched.length === 0) return [`${metric.name}: its filter matches no record`];
  for (const e of matched) {
    const payload = e.jsonPayload as Record<string, unknown>;
    if (payload.kind !== 'invocation') problems.push(`${metric.name}: matched a line that is not an invocation record: ${String(payload.message)}`);
  }
  for (const [label, extractor] of Object.entries(metric.labelExtractors)) {
    const values = new Set(matched.map((e) => labelValue(compileExtractor(extractor)(e))));
    values.delete('');
    if (values.size === 0) problems.push(`${metric.name}: label ${label} is empty on every matched record`);
    for (const want of expected.labels[label] ?? []) if (!values.has(want)) problems.push(`${metric.name}: label ${label} never has the value ${want} (has ${[...values].join(', ')})`);
  }
  for (const label of Object.keys(expected.labels)) if (!(label in metric.labelExtractors)) problems.push(`${metric.name}: no extractor for label ${label}`);
  if (metric.valueExtractor) {
    const extract = compileExtractor(metric.valueExtractor);
    for (const e of matched) {
      const v = extract(e);
      if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${metric.name}: value ${JSON.stringify(v)} is not a number`);
      else if (expected.minValue !== undefined && (expected.exclusiveMin ? v <= expected.minValue : v < expected.minValue)) problems.push(`${metric.name}: value ${v} out of range`);
    }
  } else if (expected.minValue !== undefined) problems.push(`${metric.name}: a distribution without a value extractor`);
  return problems;
}

function checkAll(metrics: readonly MetricUnderTest[], entries: LogEntry[]): string[] {
  return metrics.flatMap((m) => checkMetric(m, entries));
}

const serviceOf = (stage: unknown) => PROPS.functions.find((f) => f.name === stage)?.serviceName ?? 'vividly-test-api';

describe('log-based metrics match the invocation records of a real generation @slow', function () {
  this.timeout(300_000);
  let t: TestPipeline;
  let lines: Record<string, unknown>[];
  let entries: LogEntry[];
  let synthesized: Record<string, { name: string; filter: string; label_extractors?: Record<string, string>; value_extractor?: string }>;

  before(async () => {
    t = await startTestPipeline({ env: { GOOGLE_CLOUD_PROJECT: 'vividly-test' } });
    const app = createLocalApp(t.ports);

    // A generation that completes, read back through the API.
    const ok = await request(app).post('/v1/generations').send({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }).expect(202);
    assert.equal((await waitForTerminal(t.ports, ok.body.id)).status, 'completed');
    await request(app).get(`/v1/generations/${ok.body.id}`).expect(200);
    await request(app).get('/v1/generations/gen_doesnotexist00').expect(404);

    // A duplicate delivery, a stray upload (ignored) and an object for an unknown generation (failed).
    const video = await t.ports.objects.stat(t.config.videoBucket, objectNames.video(ok.body.id));
    t.ports.router.objectFinalized(video!);
    await t.ports.objects.put(t.config.narrationBucket, 'stray/upload.mp3', Buffer.from('not audio'), { contentType: 'audio/mpeg' });
    await t.ports.objects.put(t.config.narrationBucket, objectNames.narration('gen_unknown000000000'), Buffer.from('x'), { contentType: 'audio/mpeg', metadata: { generationId: 'gen_unknown000000000' } });
    await t.ports.router.idle();

    // A stage that keeps failing: retries, then the dead-letter function.
    t.ports.speech = alwaysFailingSpeech();
    const bad = await request(app).post('/v1/generations').send({ question: 'What is photosynthesis?', grade: 6, interest: 'football' }).expect(202);
    assert.equal((await waitForTerminal(t.ports, bad.body.id)).error?.code, 'SPEECH_UNAVAILABLE');

    // A generation stuck long enough for sweep to give up on it.
    const longAgo = new Date(Date.now() - (t.config.giveUpSeconds + 60) * 1000).toISOString();
    await t.ports.state.createGeneration(newGeneration({ createdAt: longAgo, updatedAt: longAgo }));
    await t.ports.bus.publish(TOPICS.sweepTick, { v: 1, at: new Date().toISOString() }, { eventType: TOPICS.sweepTick, schemaVersion: '1' });
    await t.ports.router.idle();

    lines = t.logs;
    entries = lines.map((l) => ingestCloudRunLine(l, serviceOf(l.stage)));
    const stack = JSON.parse(Testing.synthScope((scope) => new Monitoring(scope, 'monitoring', PROPS)));
    synthesized = stack.resource.google_logging_metric;
  });
  after(async () => t?.ports.close());

  it('captured records of every function, each one valid under the record contract', () => {
    const records = lines.map(readInvocationRecord).filter((r) => r !== null);
    assert.deepEqual(new Set(records.map((r) => r.stage)), new Set(FUNCTIONS));
    assert.ok(lines.length > records.length, 'other log lines are present too (they must not match any metric)');
  });

  for (const spec of LOG_METRICS) {
    it(`${spec.name}: its filter and extractors (LOG_METRICS) match the records`, () => {
      assert.deepEqual(checkMetric(spec, entries), []);
    });
  }

  it('the synthesized stack has exactly the LOG_METRICS, with the same filters (scoped to the functions\' services) and extractors', () => {
    const byName = Object.values(synthesized);
    assert.deepEqual(byName.map((m) => m.name).sort(), LOG_METRICS.map((m) => `${PROPS.prefix}/${m.name}`).sort());
    for (const spec of LOG_METRICS) {
      const m = byName.find((x) => x.name === `${PROPS.prefix}/${spec.name}`)!;
      assert.equal(m.filter, scopedFilter(spec, PROPS.functions.map((f) => f.serviceName)));
      assert.deepEqual(m.label_extractors ?? {}, spec.labelExtractors);
      assert.equal(m.value_extractor, spec.valueExtractor);
    }
  });

  for (const spec of LOG_METRICS) {
    it(`${spec.name}: the synthesized filter and extractors match the records as Cloud Logging ingests them`, () => {
      const m = Object.values(synthesized).find((x) => x.name === `${PROPS.prefix}/${spec.name}`)!;
      assert.deepEqual(checkMetric({ name: m.name, filter: m.filter, labelExtractors: m.label_extractors ?? {}, valueExtractor: m.value_extractor }, entries), []);
    });
  }

  it('counts add up: one latency observation per invocation, one dead letter per dead-lettered generation', () => {
    const count = (spec: LogMetricSpec) => entries.filter(compileQuery(spec.filter)).length;
    const by = Object.fromEntries(LOG_METRICS.map((m) => [m.key, m]));
    assert.equal(count(by.latencyMs), count(by.invocations));
    assert.equal(count(by.invocations), lines.filter((l) => l.kind === 'invocation').length);
    assert.equal(count(by.deadLettered), 1);
    assert.equal(count(by.generationLatencyMs), 1, 'one generation completed');
  });

  it('records written by another service are outside the scope of the synthesized filters', () => {
    const foreign = lines.filter((l) => l.kind === 'invocation').map((l) => ingestCloudRunLine(l, 'some-other-service'));
    for (const m of Object.values(synthesized)) assert.equal(foreign.filter(compileQuery(m.filter)).length, 0, m.name);
  });

  const renames: [string, string][] = [
    ['kind', 'type'],
    ['stage', 'function'],
    ['outcome', 'result'],
    ['errorCode', 'error_code'],
    ['durationMs', 'duration_ms'],
    ['mediaSeconds', 'mediaSecs'],
    ['generationLatencyMs', 'e2eLatencyMs'],
    ['stalledGenerations', 'stalled'],
    ['sourceStage', 'deadLetterStage'],
  ];
  for (const [from, to] of renames) {
    it(`a record field renamed from ${from} to ${to} fails the check`, () => {
      assert.deepEqual(checkAll(LOG_METRICS, entries), [], 'the real records pass');
      const renamed = lines.map((l) => {
        if (!(from in l)) return l;
        const { [from]: value, ...rest } = l;
        return { ...rest, [to]: value };
      });
      const problems = checkAll(LOG_METRICS, renamed.map((l) => ingestCloudRunLine(l, serviceOf(l.stage ?? l.function))));
      assert.ok(problems.length > 0, `renaming ${from} went unnoticed`);
    });
  }

  it('a duration written as text instead of a number fails the check', () => {
    const broken = lines.map((l) => (l.kind === 'invocation' ? { ...l, durationMs: String(l.durationMs) } : l));
    assert.ok(checkAll(LOG_METRICS, broken.map((l) => ingestCloudRunLine(l, serviceOf(l.stage)))).length > 0);
  });
});

describe('the Logging query subset evaluator is strict', () => {
  const entry: LogEntry = {
    resource: { type: 'cloud_run_revision', labels: { service_name: 'svc' } },
    jsonPayload: { kind: 'invocation', stage: 'render', durationMs: 120, mediaSeconds: 0, note: 'a "quoted" word' },
  };
  const cases: [string, boolean][] = [
    ['jsonPayload.kind="invocation"', true],
    ['jsonPayload.kind="Invocation"', false],
    ['jsonPayload.durationMs>=120', true],
    ['jsonPayload.durationMs>120', false],
    ['jsonPayload.durationMs<121 AND jsonPayload.durationMs<=120', true],
    ['jsonPayload.mediaSeconds:*', true],
    ['jsonPayload.errorCode:*', false],
    ['jsonPayload.stage="narrate" OR jsonPayload.stage="render"', true],
    ['NOT jsonPayload.stage="render"', false],
    ['NOT jsonPayload.errorCode:*', true],
    // OR binds tighter than AND in Cloud Logging: this is kind AND (stage=narrate OR stage=render).
    ['jsonPayload.kind="invocation" AND jsonPayload.stage="narrate" OR jsonPayload.stage="render"', true],
    ['jsonPayload.kind="nothing" AND jsonPayload.stage="narrate" OR jsonPayload.stage="render"', false],
    ['(jsonPayload.kind="nothing" AND jsonPayload.stage="narrate") OR jsonPayload.stage="render"', true],
    ['jsonPayload.durationMs="120"', false],
    ['jsonPayload.note="a \\"quoted\\" word"', true],
    ['resource.labels.service_name="svc" AND jsonPayload.missing.deeper:*', false],
  ];
  for (const [query, expected] of cases) {
    it(`${query} -> ${expected}`, () => assert.equal(compileQuery(query)(entry), expected));
  }

  const unsupported = [
    'jsonPayload.kind="a" jsonPayload.stage="b"',
    'invocation',
    '"invocation"',
    'jsonPayload.kind=invocation',
    'jsonPayload.kind!="a"',
    'jsonPayload.kind=~"inv.*"',
    'jsonPayload.kind:"inv"',
    '-jsonPayload.kind="a"',
    'severity>="ERROR"',
    'jsonPayload.durationMs>"5"',
    '(jsonPayload.kind="a"',
    'jsonPayload.kind="a" AND',
    'jsonPayload.kind="a")',
    'jsonPayload.kind="a" OR OR jsonPayload.kind="b"',
    'sample(insertId, 0.1)',
    '',
  ];
  for (const query of unsupported) {
    it(`throws on ${JSON.stringify(query)}`, () => assert.throws(() => compileQuery(query), UnsupportedQueryError));
  }
  for (const extractor of ['REGEXP_EXTRACT(jsonPayload.stage, "(.*)")', 'EXTRACT(jsonPayload.stage', 'jsonPayload.stage', 'EXTRACT(jsonPayload.a b)']) {
    it(`throws on the extractor ${extractor}`, () => assert.throws(() => compileExtractor(extractor), UnsupportedQueryError));
  }
});

describe('cdktf monitoring: dashboard, alert policies, notification channels', () => {
  let stack: {
    resource: Record<string, Record<string, Record<string, unknown>>>;
    variable?: Record<string, { sensitive?: boolean }>;
  };
  const metricTypes = () => Object.values(stack.resource.google_logging_metric).map((m) => `logging.googleapis.com/user/${m.name}`);
  before(() => {
    stack = JSON.parse(Testing.synthScope((scope) => new Monitoring(scope, 'monitoring', PROPS)));
  });

  it('the dashboard has a row per function with invocations, errors, latency percentiles, instances and memory', () => {
    const dashboards = Object.values(stack.resource.google_monitoring_dashboard);
    assert.equal(dashboards.length, 1);
    const json = dashboards[0].dashboard_json as string;
    assert.ok(!json.includes('${'), 'no Terraform interpolation in the dashboard JSON');
    const { mosaicLayout } = JSON.parse(json) as { mosaicLayout: { columns: number; tiles: { xPos: number; yPos: number; width: number; height: number; widget: { title: string; collapsibleGroup?: unknown; xyChart?: { dataSets: { timeSeriesQuery: { timeSeriesFilter: { filter: string; aggregation: Record<string, unknown> } } }[] } } }[] } };
    for (const tile of mosaicLayout.tiles) assert.ok(tile.xPos + tile.width <= mosaicLayout.columns, `${tile.widget.title} fits in the grid`);
    for (const fn of PROPS.functions) {
      const group = mosaicLayout.tiles.find((t) => t.widget.collapsibleGroup && t.widget.title.startsWith(`${fn.name} `));
      assert.ok(group, `a row for ${fn.name}`);
      const row = mosaicLayout.tiles.filter((t) => t.widget.xyChart && t.yPos > group.yPos && t.yPos < group.yPos + group.height);
      const filters = row.map((t) => t.widget.xyChart!.dataSets.map((d) => d.timeSeriesQuery.timeSeriesFilter.filter).join(' | '));
      assert.equal(row.length, 5, fn.name);
      assert.match(filters[0], new RegExp(`vividly_invocations".*metric.label.stage="${fn.name}"`));
      assert.match(filters[1], /metric.label.outcome=one_of\("failed","retry"\)/);
      assert.equal(row[2].widget.xyChart!.dataSets.map((d) => d.timeSeriesQuery.timeSeriesFilter.aggregation.crossSeriesReducer).join(), 'REDUCE_PERCENTILE_50,REDUCE_PERCENTILE_95,REDUCE_PERCENTILE_99');
      assert.match(filters[3], new RegExp(`run.googleapis.com/container/instance_count".*service_name="${fn.serviceName}"`));
      assert.match(filters[4], new RegExp(`run.googleapis.com/container/memory/utilizations".*service_name="${fn.serviceName}"`));
    }
    const all = mosaicLayout.tiles.flatMap((t) => t.widget.xyChart?.dataSets.map((d) => d.timeSeriesQuery.timeSeriesFilter.filter) ?? []);
    for (const s of PROPS.subscriptions) {
      assert.ok(all.some((f) => f.includes('subscription/num_undelivered_messages') && f.includes(`"${s.subscriptionId}"`)), `backlog of ${s.subscriptionId}`);
      assert.ok(all.some((f) => f.includes('subscription/oldest_unacked_message_age') && f.includes(`"${s.subscriptionId}"`)), `oldest age of ${s.subscriptionId}`);
    }
    assert.ok(all.some((f) => f.includes('subscription/dead_letter_message_count')));
    assert.ok(all.some((f) => f.includes(METRIC_NAMES.deadLettered)));
    // Every log-based metric the dashboard charts exists in the stack under that exact type.
    for (const type of all.flatMap((f) => [...f.matchAll(/metric\.type="(logging\.googleapis\.com\/user\/[^"]+)"/g)].map((m) => m[1]))) assert.ok(metricTypes().includes(type), type);
  });

  it('alert policies: error ratio per stage, dead letters, end-to-end p95, stalled generations; each notifies every channel and documents what to do', () => {
    const policies = Object.values(stack.resource.google_monitoring_alert_policy) as {
      display_name: string;
      conditions: { condition_threshold: { filter: string; denominator_filter?: string; threshold_value: number; aggregations: { group_by_fields?: string[]; cross_series_reducer?: string }[] } }[];
      notification_channels: string[];
      documentation: { content: string };
      depends_on: string[];
    }[];
    assert.equal(policies.length, 4);
    const find = (re: RegExp) => policies.find((p) => re.test(p.display_name))!;
    const ratio = find(/error ratio/).conditions[0].condition_threshold;
    assert.match(ratio.filter, /metric.label.outcome=one_of\("failed","retry"\)/);
    assert.ok(ratio.denominator_filter?.includes(METRIC_NAMES.invocations));
    assert.equal(ratio.threshold_value, PROPS.objectives.errorRatio);
    assert.deepEqual(ratio.aggregations[0].group_by_fields, ['metric.label.stage']);
    const dead = find(/dead-lettered/).conditions.map((c) => c.condition_threshold);
    assert.ok(dead.some((c) => c.filter.includes(METRIC_NAMES.deadLettered) && c.threshold_value === 0));
    assert.ok(dead.some((c) => c.filter.includes('subscription/dead_letter_message_count')));
    const p95 = find(/end-to-end p95/).conditions[0].condition_threshold;
    assert.equal(p95.threshold_value, PROPS.objectives.endToEndP95Seconds * 1000);
    assert.equal(p95.aggregations[0].cross_series_reducer, 'REDUCE_PERCENTILE_95');
    const stalled = find(/stalled/).conditions.map((c) => c.condition_threshold);
    assert.ok(stalled.some((c) => c.filter.includes(METRIC_NAMES.stalledGenerations) && c.threshold_value === 0));
    assert.ok(stalled.some((c) => c.filter.includes('oldest_unacked_message_age') && c.threshold_value === PROPS.objectives.stallMinutes * 60));
    const channels = Object.keys(stack.resource.google_monitoring_notification_channel);
    for (const p of policies) {
      assert.deepEqual(p.notification_channels.sort(), channels.map((c) => `\${google_monitoring_notification_channel.${c}.id}`).sort());
      assert.ok(p.documentation.content.length > 100, `${p.display_name} has documentation`);
      assert.ok(!p.documentation.content.includes('${'), 'no Terraform interpolation in documentation');
      assert.equal(p.depends_on.length, LOG_METRICS.length, 'created after the log-based metrics');
      for (const c of p.conditions) {
        for (const type of [...c.condition_threshold.filter.matchAll(/metric\.type="(logging\.googleapis\.com\/user\/[^"]+)"/g)].map((m) => m[1])) assert.ok(metricTypes().includes(type), type);
      }
    }
  });

  it('notification channels come from the props; a secret label is a sensitive Terraform variable, never a literal', () => {
    const channels = Object.values(stack.resource.google_monitoring_notification_channel) as { type: string; labels: Record<string, string>; sensitive_labels?: Record<string, string> }[];
    assert.deepEqual(channels.map((c) => c.type).sort(), ['email', 'slack']);
    assert.equal(channels.find((c) => c.type === 'email')!.labels.email_address, 'oncall@example.com');
    const slack = channels.find((c) => c.type === 'slack')!;
    assert.equal(slack.labels.auth_token, undefined);
    assert.match(slack.sensitive_labels!.auth_token, /^\$\{var\.vividly_test_alert_channel_1_auth_token\}$/);
    assert.equal(stack.variable?.vividly_test_alert_channel_1_auth_token.sensitive, true);
    const leaky: MonitoringProps = { ...PROPS, notificationChannels: [{ type: 'slack', displayName: 'leaky', labels: { auth_token: 'xoxb-literal-secret' } }] };
    assert.throws(() => Testing.synthScope((scope) => new Monitoring(scope, 'monitoring', leaky)), /secret/);
  });
});
