import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js';
import type { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic/index.js';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription/index.js';
import { PubsubSubscriptionIamMember } from '@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';
import type { ServiceFunction } from './service-function.js';

export interface PushSubscriptionProps {
  config: EnvironmentConfig;
  topic: PubsubTopic;
  /** The topic's name (a literal, so the subscription's name is one too). */
  topicName: string;
  deadLetterTopic: PubsubTopic;
  target: ServiceFunction;
  /** The identity Pub/Sub signs its OIDC tokens as; it gets run.invoker on the target. */
  pushServiceAccount: string;
  pubsubAgent: string;
}

/**
 * Delivery of one topic to one function: a push subscription we declare ourselves, rather than
 * an Eventarc Pub/Sub trigger. Eventarc creates and owns its trigger's subscription, so Terraform
 * could give it neither a dead-letter policy nor our retry policy; declaring the subscription
 * gives every delivery both, with no hidden subscription beside it.
 *
 * - Push endpoint: the function's Cloud Run (run.app) URI plus `/projects/<p>/topics/<topic>`. Only
 *   the run.app URI counts as internal for Pub/Sub of the same project (the cloudfunctions.net URL
 *   does not), and it is the audience Cloud Run checks. The Functions Framework
 *   turns a raw Pub/Sub push body into the same `messagePublished` CloudEvent Eventarc would send
 *   and reads the topic from that path (its legacy Pub/Sub middleware), so the function code is
 *   the same either way.
 * - Authentication: an OIDC token for the push service account, audience that URI; the function
 *   is private (internal ingress admits Pub/Sub of the same project; IAM admits the push account).
 * - Ack deadline: the function's timeout (Pub/Sub's limit is 600 s), so a running delivery is
 *   not redelivered underneath itself.
 * - Retries: exponential backoff between the configured bounds; after maxDeliveryAttempts the
 *   message goes to the dead-letter topic, which needs the Pub/Sub service agent to be a
 *   subscriber here (to acknowledge the original) and a publisher there (granted in EventTopics).
 * - Never expires: a quiet subscription is otherwise deleted after 31 days without traffic.
 */
export class PushSubscription extends Construct {
  readonly subscription: PubsubSubscription;
  readonly topicName: string;
  /** The subscription id: `<topic>.<function>`. */
  readonly subscriptionName: string;
  readonly targetName: string;

  constructor(scope: Construct, id: string, props: PushSubscriptionProps) {
    super(scope, id);
    const { config: c, topic, target } = props;
    const name = `${props.topicName}.${target.functionName}`;
    const uri = target.function.serviceConfig.uri;
    this.topicName = props.topicName;
    this.subscriptionName = name;
    this.targetName = target.functionName;
    this.subscription = new PubsubSubscription(this, 'subscription', {
      project: c.project,
      name,
      topic: topic.id,
      labels: c.labels,
      ackDeadlineSeconds: Math.min(600, Math.max(10, target.size.timeoutSeconds)),
      messageRetentionDuration: '604800s',
      expirationPolicy: { ttl: '' },
      retryPolicy: { minimumBackoff: `${c.delivery.minBackoffSeconds}s`, maximumBackoff: `${c.delivery.maxBackoffSeconds}s` },
      deadLetterPolicy: { deadLetterTopic: props.deadLetterTopic.id, maxDeliveryAttempts: c.delivery.maxDeliveryAttempts },
      pushConfig: {
        pushEndpoint: `${uri}/projects/${c.project}/topics/${props.topicName}`,
        oidcToken: { serviceAccountEmail: props.pushServiceAccount, audience: uri },
      },
    });
    new PubsubSubscriptionIamMember(this, 'agent-subscriber', {
      project: c.project,
      subscription: this.subscription.name,
      role: 'roles/pubsub.subscriber',
      member: `serviceAccount:${props.pubsubAgent}`,
    });
    new CloudRunV2ServiceIamMember(this, 'push-invoker', {
      project: c.project,
      location: c.region,
      name: target.function.name,
      role: 'roles/run.invoker',
      member: `serviceAccount:${props.pushServiceAccount}`,
    });
  }
}
