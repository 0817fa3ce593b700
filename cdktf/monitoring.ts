/**
 * Operations in the cloud: log-based metrics built from the invocation records (exactly the
 * fields of shared/observability/invocation-record.ts), one dashboard, alert policies and their
 * notification channels. test/infra/log-metrics.test.ts evaluates every metric's filter and
 * extractors against the records a real generation writes.
 */
import { TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard/index.js';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel/index.js';
import { ERROR_OUTCOMES, INVOCATION_KIND, METRIC_LABEL_FIELDS, METRIC_NAMES, type InvocationRecord } from '../shared/observability/invocation-record.js';

export interface MonitoringProps {
  prefix: string; // resource name prefix, e.g. 'vividly-dev'
  project: string;
  functions: { name: string; serviceName: string }[]; // every function (api + stages), serviceName = the Cloud Run service name of the gen2 function
  subscriptions: { name: string; subscriptionId: string }[]; // every Pub/Sub subscription incl. the dead-letter one
  deadLetterSubscriptionId: string;
  notificationChannels: { type: 'email' | 'slack' | 'pagerduty' | 'webhook_tokenauth'; displayName: string; labels: Record<string, string> }[];
  objectives: { endToEndP95Seconds: number; errorRatio: number; stallMinutes: number };
}

type MetricKey = keyof typeof METRIC_NAMES;

/** A log-based metric as data: what Cloud Logging evaluates, and what the test evaluates too. */
export interface LogMetricSpec {
  key: MetricKey;
  /** The Prometheus name; the Cloud metric is `logging.googleapis.com/user/<prefix>/<name>`. */
  name: string;
  description: string;
  /** Logging query over the record alone; the construct ANDs the scope to the functions' services. */
  filter: string;
  /** Metric label -> `EXTRACT(jsonPayload.<field>)`. */
  labelExtractors: Record<string, string>;
  /** Distributions only: `EXTRACT(jsonPayload.<field>)`. */
  valueExtractor?: string;
  unit: string;
  /** Exponential buckets of a distribution: bounds are scale * growthFactor^i. */
  buckets?: { scale: number; growthFactor: number; numFiniteBuckets: number };
}

const field = (name: keyof InvocationRecord) => `jsonPayload.${name}`;
const extract = (name: keyof InvocationRecord) => `EXTRACT(${field(name)})`;
const IS_RECORD = `${field('kind')}="${INVOCATION_KIND}"`;

function labelExtractors(key: MetricKey): Record<string, string> {
  const fields: Record<string, keyof InvocationRecord> = METRIC_LABEL_FIELDS[key];
  return Object.fromEntries(Object.entries(fields).map(([label, f]) => [label, extract(f)]));
}

/** The log-based metrics, built from exactly the invocation record's fields. */
export const LOG_METRICS: readonly LogMetricSpec[] = [
  {
    key: 'invocations',
    name: METRIC_NAMES.invocations,
    description: 'Invocations of every function, by stage, outcome and error code.',
    filter: IS_RECORD,
    labelExtractors: labelExtractors('invocations'),
    unit: '1',
  },
  {
    key: 'latencyMs',
    name: METRIC_NAMES.latencyMs,
    description: 'Duration of each invocation in milliseconds, by stage and outcome.',
    filter: `${IS_RECORD} AND ${field('durationMs')}>=0`,
    labelExtractors: labelExtractors('latencyMs'),
    valueExtractor: extract('durationMs'),
    unit: 'ms',
    // 1 ms .. about 700 s in steps of 40 %: finer than powers of two, past the 540 s function timeout.
    buckets: { scale: 1, growthFactor: 1.4, numFiniteBuckets: 40 },
  },
  {
    key: 'generationLatencyMs',
    name: METRIC_NAMES.generationLatencyMs,
    description: 'End to end: from the request to the completed video, in milliseconds.',
    filter: `${IS_RECORD} AND ${field('generationLatencyMs')}:*`,
    labelExtractors: labelExtractors('generationLatencyMs'),
    valueExtractor: extract('generationLatencyMs'),
    unit: 'ms',
    // 100 ms .. about an hour.
    buckets: { scale: 100, growthFactor: 1.3, numFiniteBuckets: 40 },
  },
  {
    key: 'mediaSeconds',
    name: METRIC_NAMES.mediaSeconds,
    description: 'Seconds of audio (narrate) and video (render) produced per invocation.',
    filter: `${IS_RECORD} AND (${field('stage')}="narrate" OR ${field('stage')}="render") AND ${field('mediaSeconds')}:*`,
    labelExtractors: labelExtractors('mediaSeconds'),
    valueExtractor: extract('mediaSeconds'),
    unit: 's',
    // 1 s .. about an hour.
    buckets: { scale: 1, growthFactor: 1.5, numFiniteBuckets: 20 },
  },
  {
    key: 'deadLettered',
    name: METRIC_NAMES.deadLettered,
    description: 'Messages that exhausted their retries, by the stage that gave up and the error code.',
    filter: `${IS_RECORD} AND ${field('stage')}="dead-letter" AND ${field('outcome')}="dead-lettered"`,
    labelExtractors: labelExtractors('deadLettered'),
    unit: '1',
  },
  {
    key: 'stalledGenerations',
    name: METRIC_NAMES.stalledGenerations,
    description: 'Generations a sweep found stalled past their stage deadline (only sweeps that found some).',
    filter: `${IS_RECORD} AND ${field('stage')}="sweep" AND ${field('stalledGenerations')}>0`,
    labelExtractors: labelExtractors('stalledGenerations'),
    valueExtractor: extract('stalledGenerations'),
    unit: '1',
    buckets: { scale: 1, growthFactor: 2, numFiniteBuckets: 12 },
  },
];

/** The Cloud Run services of the functions: where the records are written. */
export function serviceScope(serviceNames: string[]): string {
  if (serviceNames.length === 0) throw new TypeError('monitoring needs at least one function');
  return `resource.type="cloud_run_revision" AND (${serviceNames.map((s) => `resource.labels.service_name="${s}"`).join(' OR ')})`;
}

/** A metric's full filter: the functions' services and the record filter. */
export function scopedFilter(metric: LogMetricSpec, serviceNames: string[]): string {
  return `${serviceScope(serviceNames)} AND (${metric.filter})`;
}

/** The metric's id in the project: the environment's prefix, then the name shared with Prometheus. */
export const cloudMetricName = (prefix: string, metric: LogMetricSpec) => `${prefix}/${metric.name}`;
export const cloudMetricType = (prefix: string, metric: LogMetricSpec) => `logging.googleapis.com/user/${cloudMetricName(prefix, metric)}`;

/** Channel labels that hold a secret: never in configuration, always from a sensitive Terraform variable. */
const SECRET_LABELS: Record<MonitoringProps['notificationChannels'][number]['type'], string[]> = {
  email: [],
  slack: ['auth_token'],
  pagerduty: ['service_key'],
  webhook_tokenauth: ['url'],
};

export class Monitoring extends Construct {
  readonly metrics: Record<MetricKey, LoggingMetric>;
  readonly channels: MonitoringNotificationChannel[];
  readonly dashboard: MonitoringDashboard;
  readonly alerts: MonitoringAlertPolicy[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const services = props.functions.map((f) => f.serviceName);
    this.metrics = Object.fromEntries(LOG_METRICS.map((m) => [m.key, this.logMetric(m, props, services)])) as Record<MetricKey, LoggingMetric>;
    this.channels = props.notificationChannels.map((c, i) => this.channel(c, i, props));
    this.dashboard = new MonitoringDashboard(this, 'dashboard', { project: props.project, dashboardJson: JSON.stringify(dashboard(props)) });
    const channelIds = this.channels.map((c) => c.id);
    this.alerts = alertPolicies(props).map(
      (p) =>
        new MonitoringAlertPolicy(this, `alert-${p.id}`, {
          project: props.project,
          displayName: p.displayName,
          combiner: 'OR',
          severity: p.severity,
          conditions: p.conditions,
          notificationChannels: channelIds,
          documentation: { mimeType: 'text/markdown', subject: p.displayName, content: p.documentation },
          alertStrategy: { autoClose: '1800s' },
          userLabels: { app: 'vividly' },
          // An alert on a log-based metric fails to create before the metric exists.
          dependsOn: Object.values(this.metrics),
        }),
    );
  }

  private logMetric(m: LogMetricSpec, props: MonitoringProps, services: string[]): LoggingMetric {
    const labelKeys = Object.keys(m.labelExtractors);
    return new LoggingMetric(this, `metric-${m.key}`, {
      project: props.project,
      name: cloudMetricName(props.prefix, m),
      description: m.description,
      filter: scopedFilter(m, services),
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: m.valueExtractor ? 'DISTRIBUTION' : 'INT64',
        unit: m.unit,
        displayName: `${props.prefix} ${m.name}`,
        labels: labelKeys.map((key) => ({ key, valueType: 'STRING' })),
      },
      labelExtractors: labelKeys.length ? m.labelExtractors : undefined,
      valueExtractor: m.valueExtractor,
      bucketOptions: m.buckets ? { exponentialBuckets: m.buckets } : undefined,
    });
  }

  private channel(c: MonitoringProps['notificationChannels'][number], index: number, props: MonitoringProps): MonitoringNotificationChannel {
    const labels: Record<string, string> = { ...c.labels };
    const secret = (key: string): string => {
      const given = labels[key];
      delete labels[key];
      if (given && Token.isUnresolved(given)) return given;
      if (given) throw new TypeError(`notification channel "${c.displayName}": label ${key} is a secret; leave it empty and set the Terraform variable instead`);
      const variable = new TerraformVariable(this, `channel-${index}-${key}`, { type: 'string', sensitive: true, description: `${key} of the ${c.type} notification channel "${c.displayName}"` });
      variable.overrideLogicalId(`${props.prefix.replace(/-/g, '_')}_alert_channel_${index}_${key}`);
      return variable.stringValue;
    };
    const secrets = Object.fromEntries(SECRET_LABELS[c.type].map((key) => [key, secret(key)]));
    return new MonitoringNotificationChannel(this, `channel-${index}`, {
      project: props.project,
      type: c.type,
      displayName: c.displayName,
      labels: { ...labels, ...(secrets.url ? { url: secrets.url } : {}) },
      sensitiveLabels: secrets.auth_token ? { authToken: secrets.auth_token } : secrets.service_key ? { serviceKey: secrets.service_key } : undefined,
      userLabels: { app: 'vividly' },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Monitoring filters (Cloud Monitoring's time-series filter language, not Logging's).

const metricOf = (props: MonitoringProps, key: MetricKey) => {
  const spec = LOG_METRICS.find((m) => m.key === key)!;
  return `metric.type="${cloudMetricType(props.prefix, spec)}" AND resource.type="cloud_run_revision"`;
};
const oneOf = (values: readonly string[]) => `one_of(${values.map((v) => `"${v}"`).join(',')})`;
const subscriptionsFilter = (metric: string, ids: string[]) => `metric.type="pubsub.googleapis.com/subscription/${metric}" AND resource.type="pubsub_subscription" AND resource.label.subscription_id=${oneOf(ids)}`;

interface Aggregation {
  alignmentPeriod: string;
  perSeriesAligner: string;
  crossSeriesReducer?: string;
  groupByFields?: string[];
}
const percentile = (p: 50 | 95 | 99, period = '60s'): Aggregation => ({ alignmentPeriod: period, perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: `REDUCE_PERCENTILE_${p}` });
const sumBy = (groupByFields: string[], period = '60s'): Aggregation => ({ alignmentPeriod: period, perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_SUM', groupByFields });
const maxBy = (groupByFields: string[], period = '60s'): Aggregation => ({ alignmentPeriod: period, perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_MAX', groupByFields });

// ---------------------------------------------------------------------------------------------
// The dashboard: mosaicLayout, 48 columns; a collapsible row per function, then the queues.

interface Tile {
  xPos: number;
  yPos: number;
  width: number;
  height: number;
  widget: Record<string, unknown>;
}

// No legend templates with `${...}` here: Terraform would read them as interpolations. Series
// grouped by a label are named by that label anyway.
const chart = (title: string, dataSets: { filter: string; aggregation: Aggregation; legend?: string; plotType?: string }[], opts: { label?: string; threshold?: number } = {}) => ({
  title,
  xyChart: {
    dataSets: dataSets.map((d) => ({
      plotType: d.plotType ?? 'LINE',
      legendTemplate: d.legend,
      minAlignmentPeriod: d.aggregation.alignmentPeriod,
      timeSeriesQuery: { timeSeriesFilter: { filter: d.filter, aggregation: d.aggregation } },
    })),
    yAxis: { label: opts.label ?? '', scale: 'LINEAR' },
    ...(opts.threshold !== undefined ? { thresholds: [{ value: opts.threshold, color: 'RED', direction: 'ABOVE', label: 'objective' }] } : {}),
  },
});

const ROW_HEIGHT = 16;
/** Widths of the five widgets of a function's row (48 columns). */
const ROW_WIDTHS = [10, 10, 10, 9, 9];

export function dashboard(props: MonitoringProps): { displayName: string; mosaicLayout: { columns: number; tiles: Tile[] }; labels: Record<string, string> } {
  const tiles: Tile[] = [];
  let y = 0;
  const row = (title: string, widgets: Record<string, unknown>[], widths: number[]) => {
    tiles.push({ xPos: 0, yPos: y, width: 48, height: ROW_HEIGHT + 4, widget: { title, collapsibleGroup: { collapsed: false } } });
    let x = 0;
    widgets.forEach((widget, i) => {
      tiles.push({ xPos: x, yPos: y + 4, width: widths[i], height: ROW_HEIGHT, widget });
      x += widths[i];
    });
    y += ROW_HEIGHT + 4;
  };

  const invocations = metricOf(props, 'invocations');
  const latency = metricOf(props, 'latencyMs');
  for (const fn of props.functions) {
    const stage = `metric.label.stage="${fn.name}"`;
    const service = `resource.type="cloud_run_revision" AND resource.label.service_name="${fn.serviceName}"`;
    row(
      `${fn.name} (${fn.serviceName})`,
      [
        chart(`${fn.name}: invocations by outcome`, [{ filter: `${invocations} AND ${stage}`, aggregation: sumBy(['metric.label.outcome']), plotType: 'STACKED_BAR' }], { label: 'per minute' }),
        chart(`${fn.name}: errors by code`, [{ filter: `${invocations} AND ${stage} AND metric.label.outcome=${oneOf(ERROR_OUTCOMES)}`, aggregation: sumBy(['metric.label.error_code']), plotType: 'STACKED_BAR' }], { label: 'per minute' }),
        chart(
          `${fn.name}: latency p50 / p95 / p99`,
          ([50, 95, 99] as const).map((p) => ({ filter: `${latency} AND ${stage} AND metric.label.outcome=${oneOf(['ok', 'failed', 'retry'])}`, aggregation: percentile(p), legend: `p${p}` })),
          { label: 'ms' },
        ),
        chart(`${fn.name}: instances`, [{ filter: `metric.type="run.googleapis.com/container/instance_count" AND ${service}`, aggregation: maxBy(['metric.label.state']) }], { label: 'instances' }),
        chart(
          `${fn.name}: memory utilisation p50 / p99`,
          ([50, 99] as const).map((p) => ({ filter: `metric.type="run.googleapis.com/container/memory/utilizations" AND ${service}`, aggregation: percentile(p), legend: `p${p}` })),
          { label: 'fraction of limit' },
        ),
      ],
      ROW_WIDTHS,
    );
  }

  const subscriptionIds = props.subscriptions.map((s) => s.subscriptionId);
  const bySubscription = ['resource.label.subscription_id'];
  const stageSubscriptions = subscriptionIds.filter((s) => s !== props.deadLetterSubscriptionId);
  row(
    'Queues',
    [
      chart('Backlog (undelivered messages) per subscription', [{ filter: subscriptionsFilter('num_undelivered_messages', subscriptionIds), aggregation: maxBy(bySubscription) }], { label: 'messages' }),
      chart('Oldest unacknowledged message age per subscription', [{ filter: subscriptionsFilter('oldest_unacked_message_age', subscriptionIds), aggregation: maxBy(bySubscription) }], {
        label: 's',
        threshold: props.objectives.stallMinutes * 60,
      }),
      chart('End-to-end generation latency p50 / p95 / p99', ([50, 95, 99] as const).map((p) => ({ filter: metricOf(props, 'generationLatencyMs'), aggregation: percentile(p, '300s'), legend: `p${p}` })), {
        label: 'ms',
        threshold: props.objectives.endToEndP95Seconds * 1000,
      }),
    ],
    [16, 16, 16],
  );
  row(
    'Dead letters and stalled generations',
    [
      chart('Dead-lettered by stage (dead-letter function)', [{ filter: metricOf(props, 'deadLettered'), aggregation: sumBy(['metric.label.source_stage', 'metric.label.error_code']), plotType: 'STACKED_BAR' }], { label: 'messages' }),
      chart('Forwarded to the dead-letter topic per subscription (Pub/Sub)', [{ filter: subscriptionsFilter('dead_letter_message_count', stageSubscriptions.length ? stageSubscriptions : subscriptionIds), aggregation: sumBy(bySubscription), plotType: 'STACKED_BAR' }], { label: 'messages' }),
      chart('Dead-letter subscription backlog', [{ filter: subscriptionsFilter('num_undelivered_messages', [props.deadLetterSubscriptionId]), aggregation: maxBy(bySubscription) }], { label: 'messages' }),
      chart('Stalled generations found by sweep (p99 per run)', [{ filter: metricOf(props, 'stalledGenerations'), aggregation: percentile(99, '300s') }], { label: 'generations' }),
    ],
    [12, 12, 12, 12],
  );
  return { displayName: `${props.prefix} pipeline`, mosaicLayout: { columns: 48, tiles }, labels: { vividly: '' } };
}

// ---------------------------------------------------------------------------------------------
// Alert policies.

export interface AlertPolicySpec {
  id: string;
  displayName: string;
  severity: 'CRITICAL' | 'ERROR' | 'WARNING';
  conditions: MonitoringAlertPolicyConditions[];
  documentation: string;
}

const logQuery = (query: string) => `Logs Explorer query:\n\n    ${query}`;

export function alertPolicies(props: MonitoringProps): AlertPolicySpec[] {
  const { errorRatio, endToEndP95Seconds, stallMinutes } = props.objectives;
  const invocations = metricOf(props, 'invocations');
  const stageSubscriptions = props.subscriptions.map((s) => s.subscriptionId).filter((s) => s !== props.deadLetterSubscriptionId);
  const byStage = ['metric.label.stage'];
  return [
    {
      id: 'error-ratio',
      displayName: `${props.prefix}: error ratio per stage above ${errorRatio}`,
      severity: 'ERROR',
      conditions: [
        {
          displayName: `errors (${ERROR_OUTCOMES.join(', ')}) / invocations > ${errorRatio}, per stage, over 5 min`,
          conditionThreshold: {
            filter: `${invocations} AND metric.label.outcome=${oneOf(ERROR_OUTCOMES)}`,
            aggregations: [sumBy(byStage, '300s')],
            denominatorFilter: invocations,
            denominatorAggregations: [sumBy(byStage, '300s')],
            comparison: 'COMPARISON_GT',
            thresholdValue: errorRatio,
            duration: '0s',
            trigger: { count: 1 },
          },
        },
      ],
      documentation: [
        `More than ${errorRatio * 100}% of a stage's invocations failed or asked for a retry in the last 5 minutes.`,
        'The dashboard row of the stage shows the error codes. Each failed invocation has one record with `errorCode`; the human-readable reason is on the generation (`stages.<stage>.lastError` or `error`).',
        logQuery(`jsonPayload.kind="invocation" AND jsonPayload.outcome=("failed" OR "retry")`),
        'Retryable codes (a provider down, NOT_READY) heal by redelivery; permanent ones fail their generation at once.',
      ].join('\n\n'),
    },
    {
      id: 'dead-lettered',
      displayName: `${props.prefix}: a message was dead-lettered`,
      severity: 'ERROR',
      conditions: [
        {
          displayName: 'dead-letter function recorded a dead letter',
          conditionThreshold: {
            filter: metricOf(props, 'deadLettered'),
            aggregations: [sumBy(['metric.label.source_stage'], '60s')],
            comparison: 'COMPARISON_GT',
            thresholdValue: 0,
            duration: '0s',
            trigger: { count: 1 },
          },
        },
        {
          displayName: 'Pub/Sub forwarded a message to the dead-letter topic',
          conditionThreshold: {
            filter: subscriptionsFilter('dead_letter_message_count', stageSubscriptions.length ? stageSubscriptions : props.subscriptions.map((s) => s.subscriptionId)),
            aggregations: [sumBy(['resource.label.subscription_id'], '60s')],
            comparison: 'COMPARISON_GT',
            thresholdValue: 0,
            duration: '0s',
            trigger: { count: 1 },
          },
        },
      ],
      documentation: [
        'A message exhausted its delivery attempts; its generation was failed with the stage and the last error.',
        logQuery(`jsonPayload.kind="invocation" AND jsonPayload.stage="dead-letter"`),
        'The record names `sourceStage`, `errorCode` and `generationId`. If the second condition fires without the first, the dead-letter function itself is failing: check its own records.',
      ].join('\n\n'),
    },
    {
      id: 'end-to-end-p95',
      displayName: `${props.prefix}: end-to-end p95 above ${endToEndP95Seconds} s`,
      severity: 'WARNING',
      conditions: [
        {
          displayName: `p95 of request-to-video latency > ${endToEndP95Seconds} s over 15 min`,
          conditionThreshold: {
            filter: metricOf(props, 'generationLatencyMs'),
            aggregations: [percentile(95, '900s')],
            comparison: 'COMPARISON_GT',
            thresholdValue: endToEndP95Seconds * 1000,
            duration: '0s',
            trigger: { count: 1 },
          },
        },
      ],
      documentation: [
        `Students wait longer than the objective (${endToEndP95Seconds} s at the 95th percentile) for their video.`,
        'Look at the latency p95 of each stage and at the queue backlog on the dashboard: a stage at its maximum instances shows as a growing backlog.',
        logQuery(`jsonPayload.kind="invocation" AND jsonPayload.generationLatencyMs:*`),
      ].join('\n\n'),
    },
    {
      id: 'stalled',
      displayName: `${props.prefix}: generations stalled`,
      severity: 'ERROR',
      conditions: [
        {
          displayName: 'sweep found generations stalled past their stage deadline',
          conditionThreshold: {
            filter: metricOf(props, 'stalledGenerations'),
            aggregations: [percentile(99, '300s')],
            comparison: 'COMPARISON_GT',
            thresholdValue: 0,
            duration: '0s',
            trigger: { count: 1 },
          },
        },
        {
          displayName: `oldest unacknowledged message older than ${stallMinutes} min`,
          conditionThreshold: {
            filter: subscriptionsFilter('oldest_unacked_message_age', props.subscriptions.map((s) => s.subscriptionId)),
            aggregations: [maxBy(['resource.label.subscription_id'])],
            comparison: 'COMPARISON_GT',
            thresholdValue: stallMinutes * 60,
            duration: '0s',
            trigger: { count: 1 },
          },
        },
      ],
      documentation: [
        'Generations stopped moving: sweep re-drives them and fails those past the give-up age as STALLED; a queue whose oldest message is older than the objective has a consumer that is not keeping up or keeps failing.',
        logQuery(`jsonPayload.kind="invocation" AND jsonPayload.stage="sweep" AND jsonPayload.stalledGenerations>0`),
        'Check the backlog per subscription and the failing stage\'s error codes on the dashboard.',
      ].join('\n\n'),
    },
  ];
}
