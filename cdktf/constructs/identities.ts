import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import type { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';

export interface IdentitiesProps {
  config: EnvironmentConfig;
  /** service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com */
  pubsubAgent: string;
  /** The Cloud Storage service agent's e-mail. */
  storageAgent: string;
  sourceBucket: StorageBucket;
}

/**
 * The identities that deliver events and build functions (each function's own runtime account
 * lives with the function). Each may do one thing:
 * - push: the OIDC identity of Pub/Sub push deliveries (run.invoker is granted per function by
 *   PushSubscription); Pub/Sub's agent mints its tokens, which projects made before 2021-04-08
 *   need granted explicitly.
 * - eventarc: the identity of the object-finalized triggers (event receiver; run.invoker on
 *   render and publish only).
 * - build: Cloud Build's identity for the function builds, instead of the default compute
 *   account, which new projects no longer give broad roles.
 * The Cloud Storage agent publishes the object notifications behind Eventarc storage triggers.
 */
export class Identities extends Construct {
  readonly push: ServiceAccount;
  readonly eventarc: ServiceAccount;
  readonly build: ServiceAccount;
  /** What a function must wait for before it deploys (plus `storageTriggerReady` for storage triggers). */
  readonly buildReady: ITerraformDependable[];
  readonly storageTriggerReady: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: IdentitiesProps) {
    super(scope, id);
    const { config: c, pubsubAgent } = props;
    const project = c.project;

    this.push = new ServiceAccount(this, 'push', {
      project,
      accountId: `${c.prefix}-push`,
      displayName: `Vividly ${c.name} Pub/Sub push`,
      description: 'Identity of the OIDC tokens on Pub/Sub push deliveries; may invoke the Pub/Sub-driven functions.',
    });
    new ServiceAccountIamMember(this, 'push-token-creator', {
      serviceAccountId: this.push.name,
      role: 'roles/iam.serviceAccountTokenCreator',
      member: `serviceAccount:${pubsubAgent}`,
    });

    this.eventarc = new ServiceAccount(this, 'eventarc', {
      project,
      accountId: `${c.prefix}-eventarc`,
      displayName: `Vividly ${c.name} Eventarc triggers`,
      description: 'Identity of the object-finalized triggers; may invoke render and publish.',
    });
    const receiver = new ProjectIamMember(this, 'eventarc-receiver', { project, role: 'roles/eventarc.eventReceiver', member: this.eventarc.member });
    const storageAgentPublisher = new ProjectIamMember(this, 'storage-agent-publisher', {
      project,
      role: 'roles/pubsub.publisher',
      member: `serviceAccount:${props.storageAgent}`,
    });

    this.build = new ServiceAccount(this, 'build', {
      project,
      accountId: `${c.prefix}-build`,
      displayName: `Vividly ${c.name} function builds`,
      description: 'Cloud Build identity that turns the function archives into images.',
    });
    const builder = new ProjectIamMember(this, 'build-builder', { project, role: 'roles/cloudbuild.builds.builder', member: this.build.member });
    const sourceReader = new StorageBucketIamMember(this, 'build-source-reader', {
      bucket: props.sourceBucket.name,
      role: 'roles/storage.objectViewer',
      member: this.build.member,
    });

    this.buildReady = [builder, sourceReader];
    this.storageTriggerReady = [receiver, storageAgentPublisher];
  }
}
