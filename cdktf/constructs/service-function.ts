import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function/index.js';
import type { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import type { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketObject } from '@cdktf/provider-google/lib/storage-bucket-object/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { STORAGE_OBJECT_FINALIZED } from '../../events/cloud-events.js';
import type { EnvironmentConfig, FunctionName, FunctionSize } from '../config.js';
import type { FunctionArchive } from '../function-archives.js';
import { FUNCTION_RUNTIME } from '../function-runtime.js';


export interface ServiceFunctionProps {
  config: EnvironmentConfig;
  functionName: FunctionName;
  description: string;
  archive: FunctionArchive;
  sourceBucket: StorageBucket;
  buildServiceAccount: ServiceAccount;
  environment: Record<string, string>;
  /** Secrets exposed as environment variables; the function's account gets secretAccessor on each, and only those. */
  secrets: { env: string; secret: SecretManagerSecret }[];
  /** `ALLOW_ALL` for the api only; stages accept only same-project traffic (Pub/Sub push, Eventarc). */
  ingress: 'ALLOW_ALL' | 'ALLOW_INTERNAL_ONLY';
  /** Object-finalized trigger (Eventarc) on a bucket, delivered as `triggerServiceAccount`. */
  storageTrigger?: { bucket: StorageBucket; triggerServiceAccount: ServiceAccount };
  /** Grants that must exist before the function deploys (e.g. the GCS agent's publisher role for a storage trigger). */
  dependsOn?: ITerraformDependable[];
}

/**
 * One Cloud Functions (gen2) function with its own service account, deployed from the archive
 * `npm run build` made for it. The archive's md5 is in the object's name, so a new build is a new
 * object and the function redeploys; an unchanged build changes nothing.
 */
export class ServiceFunction extends Construct {
  readonly functionName: FunctionName;
  readonly size: FunctionSize;
  readonly serviceAccount: ServiceAccount;
  readonly function: Cloudfunctions2Function;
  /** The Cloud Run service behind the function: gen2 names it after the function. */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { config: c, functionName } = props;
    this.functionName = functionName;
    this.size = c.functions[functionName];
    this.serviceName = `${c.prefix}-${functionName}`;

    this.serviceAccount = new ServiceAccount(this, 'account', {
      project: c.project,
      accountId: `${c.prefix}-${functionName}`,
      displayName: `Vividly ${c.name} ${functionName} function`,
      description: `Runtime identity of the ${functionName} function; holds only the roles it needs.`,
    });

    const archive = new StorageBucketObject(this, 'archive', {
      bucket: props.sourceBucket.name,
      name: `${functionName}-${props.archive.md5}.zip`,
      source: props.archive.source,
      contentType: 'application/zip',
    });

    const secretGrants = props.secrets.map(
      ({ env, secret }) =>
        new SecretManagerSecretIamMember(this, `secret-${env.toLowerCase()}`, {
          project: c.project,
          secretId: secret.secretId,
          role: 'roles/secretmanager.secretAccessor',
          member: this.serviceAccount.member,
        }),
    );

    const size = this.size;
    this.function = new Cloudfunctions2Function(this, 'function', {
      project: c.project,
      location: c.region,
      name: this.serviceName,
      description: props.description,
      labels: c.labels,
      buildConfig: {
        runtime: FUNCTION_RUNTIME,
        // The Functions Framework target, registered by functions/<name>/index.ts.
        entryPoint: functionName,
        serviceAccount: props.buildServiceAccount.id,
        source: { storageSource: { bucket: props.sourceBucket.name, object: archive.name } },
      },
      serviceConfig: {
        serviceAccountEmail: this.serviceAccount.email,
        availableCpu: size.cpu,
        availableMemory: size.memory,
        timeoutSeconds: size.timeoutSeconds,
        maxInstanceRequestConcurrency: size.concurrency,
        minInstanceCount: size.minInstances,
        maxInstanceCount: size.maxInstances,
        ingressSettings: props.ingress,
        allTrafficOnLatestRevision: true,
        environmentVariables: props.environment,
        secretEnvironmentVariables: props.secrets.map(({ env, secret }) => ({
          key: env,
          projectId: c.project,
          secret: secret.secretId,
          version: 'latest',
        })),
      },
      eventTrigger: props.storageTrigger && {
        triggerRegion: c.region,
        eventType: STORAGE_OBJECT_FINALIZED,
        eventFilters: [{ attribute: 'bucket', value: props.storageTrigger.bucket.name }],
        // Retried with Eventarc's backoff until it succeeds or the generation is terminal (sweep
        // fails a stuck generation after giveUpSeconds, and a terminal generation acknowledges).
        retryPolicy: 'RETRY_POLICY_RETRY',
        serviceAccountEmail: props.storageTrigger.triggerServiceAccount.email,
      },
      dependsOn: [...secretGrants, ...(props.dependsOn ?? [])],
    });
  }
}
