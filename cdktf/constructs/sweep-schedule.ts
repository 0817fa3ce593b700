import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job/index.js';
import type { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic/index.js';
import { Construct } from 'constructs';
import { topicAttributes } from '../../events/cloud-events.js';
import { TOPICS, SweepTickV1 } from '../../events/schemas.js';
import type { EnvironmentConfig } from '../config.js';

/**
 * Cloud Scheduler publishes a tick to `sweep.tick`; the sweep function gets it through its push
 * subscription like every other event (same retry and dead-letter policy, same private ingress,
 * no second way in). A scheduler job cannot put the time in its message, so `at` names the
 * sender; the sweep reads the time from its own clock.
 */
export class SweepSchedule extends Construct {
  readonly job: CloudSchedulerJob;

  constructor(scope: Construct, id: string, props: { config: EnvironmentConfig; topic: PubsubTopic }) {
    super(scope, id);
    const c = props.config;
    const tick = SweepTickV1.parse({ v: 1, at: 'cloud-scheduler' });
    this.job = new CloudSchedulerJob(this, 'job', {
      project: c.project,
      region: c.region,
      name: `${c.prefix}-sweep`,
      description: 'Ticks the sweep: re-drive stalled generations, fail the hopeless ones.',
      schedule: c.sweep.schedule,
      timeZone: c.sweep.timeZone,
      pubsubTarget: {
        topicName: props.topic.id,
        data: Buffer.from(JSON.stringify(tick), 'utf8').toString('base64'),
        attributes: topicAttributes(TOPICS.sweepTick, tick),
      },
    });
  }
}
