import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { GcsBackend, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TOPICS } from '../events/schemas.js';
import { FUNCTION_NAMES, type EnvironmentConfig, type FunctionName } from './config.js';
import { Buckets, type BucketRole } from './constructs/buckets.js';
import { EventTopics, PARKED_TOPIC } from './constructs/event-topics.js';
import { Firestore } from './constructs/firestore.js';
import { Identities } from './constructs/identities.js';
import { ProjectApis } from './constructs/project-apis.js';
import { PushSubscription } from './constructs/push-subscription.js';
import { Secrets } from './constructs/secrets.js';
import { ServiceFunction } from './constructs/service-function.js';
import { SweepSchedule } from './constructs/sweep-schedule.js';
import { FIRESTORE_LAYOUT, type FirestoreLayout } from './firestore-layout.js';
import { BUCKET_ROLES, FUNCTION_ACCESS, type FunctionAccess } from './function-access.js';
import type { FunctionArchive } from './function-archives.js';
import { functionEnvironment } from './function-environment.js';
import { Monitoring } from './monitoring.js';

export interface VividlyStackProps {
  config: EnvironmentConfig;
  archives: Record<FunctionName, FunctionArchive>;
  /** Local state file (when config.stateBackend is absent), relative to the directory Terraform runs in. */
  localStatePath?: string;
  /** Defaults to cdktf/firestore-layout.ts. */
  firestoreLayout?: FirestoreLayout;
}

/**
 * The whole deployment of one environment. Construct per concern: APIs, buckets, topics,
 * Firestore, secrets, one ServiceFunction per function with the grants FUNCTION_ACCESS lists,
 * push subscriptions (retry + dead-letter) for Pub/Sub-driven functions, Eventarc triggers for
 * object-finalized ones, the sweep schedule and monitoring.
 */
export class VividlyStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly apis: ProjectApis;
  readonly buckets: Buckets;
  readonly events: EventTopics;
  readonly functions: Record<FunctionName, ServiceFunction>;
  readonly subscriptions: PushSubscription[] = [];

  constructor(scope: Construct, id: string, props: VividlyStackProps) {
    super(scope, id);
    const c = (this.config = props.config);
    const { project, region } = c;

    new GoogleProvider(this, 'google', { project, region });
    // State outside cdktf.out/, which is build output and may be wiped.
    if (c.stateBackend) new GcsBackend(this, { bucket: c.stateBackend.bucket, prefix: c.stateBackend.prefix });
    else new LocalBackend(this, { path: props.localStatePath ?? `terraform.${c.name}.tfstate` });

    this.apis = new ProjectApis(this, 'apis', { project });
    const projectInfo = new DataGoogleProject(this, 'project', { projectId: project });
    // Service agents: Pub/Sub's moves messages to dead-letter topics and signs push tokens;
    // Cloud Storage's publishes the object notifications behind Eventarc storage triggers.
    const pubsubAgent = `service-${projectInfo.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    const storageAgent = new DataGoogleStorageProjectServiceAccount(this, 'storage-agent', { project });

    this.buckets = new Buckets(this, 'buckets', { config: c });
    this.events = new EventTopics(this, 'events', { config: c, pubsubAgent });
    const firestore = new Firestore(this, 'firestore', { config: c, layout: props.firestoreLayout ?? FIRESTORE_LAYOUT });
    const secrets = new Secrets(this, 'secrets', { config: c });

    const identities = new Identities(this, 'identities', { config: c, pubsubAgent, storageAgent: storageAgent.emailAddress, sourceBucket: this.buckets.source });

    // --- Functions ---------------------------------------------------------------------------
    const environment = functionEnvironment(c, this.buckets.names);
    const functionsScope = new Construct(this, 'functions');
    this.functions = {} as Record<FunctionName, ServiceFunction>;
    for (const name of FUNCTION_NAMES) {
      const access = FUNCTION_ACCESS[name];
      const trigger = access.trigger;
      const fn = new ServiceFunction(functionsScope, name, {
        config: c,
        functionName: name,
        description: access.description,
        archive: props.archives[name],
        sourceBucket: this.buckets.source,
        buildServiceAccount: identities.build,
        environment,
        secrets: access.secrets.filter((s) => secrets.has(s)).map((s) => secrets.use(s)),
        ingress: trigger.kind === 'http-public' ? 'ALLOW_ALL' : 'ALLOW_INTERNAL_ONLY',
        storageTrigger: trigger.kind === 'storage' ? { bucket: this.buckets.byRole(trigger.bucket), triggerServiceAccount: identities.eventarc } : undefined,
        dependsOn: [...identities.buildReady, ...(trigger.kind === 'storage' ? identities.storageTriggerReady : [])],
      });
      this.functions[name] = fn;
      this.grant(fn, access);

      if (trigger.kind === 'http-public') {
        new CloudRunV2ServiceIamMember(fn, 'public-invoker', {
          project,
          location: region,
          name: fn.function.name,
          role: 'roles/run.invoker',
          member: 'allUsers',
        });
      } else if (trigger.kind === 'storage') {
        new CloudRunV2ServiceIamMember(fn, 'eventarc-invoker', {
          project,
          location: region,
          name: fn.function.name,
          role: 'roles/run.invoker',
          member: identities.eventarc.member,
        });
      } else {
        this.subscriptions.push(
          new PushSubscription(fn, 'delivery', {
            config: c,
            topic: this.events.topics[trigger.topic],
            topicName: trigger.topic,
            // The dead-letter function's own failures go one step further, to the parked topic.
            deadLetterTopic: trigger.topic === TOPICS.deadLetter ? this.events.parked : this.events.deadLetter,
            target: fn,
            pushServiceAccount: identities.push.email,
            pubsubAgent,
          }),
        );
      }
    }

    const sweepSchedule = new SweepSchedule(this, 'sweep-schedule', { config: c, topic: this.events.topics[TOPICS.sweepTick] });

    const deadLetterSubscription = this.subscriptions.find((s) => s.topicName === TOPICS.deadLetter);
    if (!deadLetterSubscription) throw new Error('the dead-letter topic has no subscription');
    const monitoring = new Monitoring(this, 'monitoring', {
      prefix: c.prefix,
      project,
      functions: FUNCTION_NAMES.map((name) => ({ name, serviceName: this.functions[name].serviceName })),
      subscriptions: [
        ...this.subscriptions.map((s) => ({ name: s.targetName, subscriptionId: s.subscriptionName })),
        { name: 'parked', subscriptionId: PARKED_TOPIC },
      ],
      deadLetterSubscriptionId: deadLetterSubscription.subscriptionName,
      notificationChannels: c.alerts.notificationChannels,
      objectives: c.alerts.objectives,
    });

    // --- Ordering on a fresh project: nothing before the API it needs ------------------------
    this.apis.requireFor(this.buckets, ['storage.googleapis.com']);
    this.apis.requireFor(storageAgent, ['storage.googleapis.com']);
    this.apis.requireFor(this.events, ['pubsub.googleapis.com']);
    this.apis.requireFor(firestore, ['firestore.googleapis.com']);
    this.apis.requireFor(secrets, ['secretmanager.googleapis.com']);
    this.apis.requireFor(identities, ['iam.googleapis.com', 'cloudresourcemanager.googleapis.com', 'pubsub.googleapis.com', 'eventarc.googleapis.com']);
    this.apis.requireFor(functionsScope, [
      'cloudfunctions.googleapis.com',
      'run.googleapis.com',
      'cloudbuild.googleapis.com',
      'artifactregistry.googleapis.com',
      'eventarc.googleapis.com',
      'pubsub.googleapis.com',
      'iam.googleapis.com',
      'cloudresourcemanager.googleapis.com',
    ]);
    this.apis.requireFor(sweepSchedule, ['cloudscheduler.googleapis.com']);
    this.apis.requireFor(monitoring, ['monitoring.googleapis.com', 'logging.googleapis.com']);

    // The student page is served by the api function on its own origin: it loads the captions and
    // chapters (WebVTT <track>) and the video from signed URLs of the video bucket, which needs CORS
    // for that origin too, beside the configured ones.
    this.buckets.video.putCors([
      { origin: [...c.corsOrigins, this.functions.api.function.url], method: ['GET', 'HEAD'], responseHeader: ['Content-Type', 'Content-Range', 'Range'], maxAgeSeconds: 3600 },
    ]);
    new TerraformOutput(this, 'api_url', { value: this.functions.api.function.url, description: 'Base URL of the public API.' });
    new TerraformOutput(this, 'content_bucket', { value: this.buckets.content.name, description: 'Upload library.sqlite here.' });
    new TerraformOutput(this, 'library_uri', { value: environment.VIVIDLY_LIBRARY });
    new TerraformOutput(this, 'narration_bucket', { value: this.buckets.narration.name });
    new TerraformOutput(this, 'video_bucket', { value: this.buckets.video.name });
  }

  /** The roles FUNCTION_ACCESS lists for `fn`, each on the narrowest resource it applies to. */
  private grant(fn: ServiceFunction, access: FunctionAccess): void {
    const { project } = this.config;
    const member = fn.serviceAccount.member;
    const scope = new Construct(fn, 'grants');
    if (access.firestore) new ProjectIamMember(scope, 'datastore-user', { project, role: 'roles/datastore.user', member });
    if (access.vertexAi) new ProjectIamMember(scope, 'aiplatform-user', { project, role: 'roles/aiplatform.user', member });
    for (const topic of access.publishes) {
      new PubsubTopicIamMember(scope, `publish-${topic.replace(/\./g, '-')}`, {
        project,
        topic: this.events.topics[topic].name,
        role: 'roles/pubsub.publisher',
        member,
      });
    }
    for (const [bucket, level] of Object.entries(access.buckets) as [BucketRole, keyof typeof BUCKET_ROLES][]) {
      new StorageBucketIamMember(scope, `${bucket}-${level}`, { bucket: this.buckets.byRole(bucket).name, role: BUCKET_ROLES[level], member });
    }
    if (access.signsUrls) {
      new ServiceAccountIamMember(scope, 'sign-as-self', { serviceAccountId: fn.serviceAccount.name, role: 'roles/iam.serviceAccountTokenCreator', member });
    }
  }
}
