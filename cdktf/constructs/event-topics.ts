import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription/index.js';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic/index.js';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js';
import { Construct } from 'constructs';
import { TOPICS, type TopicName } from '../../events/schemas.js';
import type { EnvironmentConfig } from '../config.js';

/**
 * Where messages go that the dead-letter function itself could not take after every attempt.
 * Nothing subscribes to it but a pull subscription that keeps them for people to inspect.
 */
export const PARKED_TOPIC = `${TOPICS.deadLetter}.parked`;

/**
 * One Pub/Sub topic per event, named exactly as the event (events/schemas.ts TOPICS), which is
 * the topic the event bus adapter publishes to. Also the parked topic behind the dead-letter one.
 *
 * Pub/Sub moves a message to a dead-letter topic as its own service agent, so that agent needs
 * publisher on the dead-letter topic (and on the parked one, the dead-letter subscription's own
 * dead-letter topic).
 */
export class EventTopics extends Construct {
  readonly topics: Record<TopicName, PubsubTopic>;
  readonly parked: PubsubTopic;
  readonly parkedSubscription: PubsubSubscription;

  constructor(scope: Construct, id: string, props: { config: EnvironmentConfig; pubsubAgent: string }) {
    super(scope, id);
    const { project, labels, delivery } = props.config;
    this.topics = {} as Record<TopicName, PubsubTopic>;
    for (const topic of Object.values(TOPICS)) {
      this.topics[topic] = new PubsubTopic(this, topic.replace(/\./g, '-'), { project, name: topic, labels });
    }
    this.parked = new PubsubTopic(this, 'parked', { project, name: PARKED_TOPIC, labels });
    for (const [key, topic] of [
      ['dead-letter', this.topics[TOPICS.deadLetter]],
      ['parked', this.parked],
    ] as const) {
      new PubsubTopicIamMember(this, `${key}-agent-publisher`, {
        project,
        topic: topic.name,
        role: 'roles/pubsub.publisher',
        member: `serviceAccount:${props.pubsubAgent}`,
      });
    }
    // The end of the line: messages the dead-letter function could not record wait here (7 days,
    // the most Pub/Sub keeps) for a person to read. A pull subscription that nothing consumes.
    this.parkedSubscription = new PubsubSubscription(this, 'parked-hold', {
      project,
      name: PARKED_TOPIC,
      topic: this.parked.id,
      labels,
      ackDeadlineSeconds: 60,
      messageRetentionDuration: '604800s',
      expirationPolicy: { ttl: '' },
      retryPolicy: { minimumBackoff: `${delivery.minBackoffSeconds}s`, maximumBackoff: `${delivery.maxBackoffSeconds}s` },
    });
  }

  get deadLetter(): PubsubTopic {
    return this.topics[TOPICS.deadLetter];
  }
}
