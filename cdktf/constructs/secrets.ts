import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';

export type SecretName = 'apiKeys' | 'elevenLabsApiKey';

/** Which runtime option each secret fills (shared/config.ts OPTIONS). */
export const SECRET_ENV: Record<SecretName, string> = {
  apiKeys: 'VIVIDLY_API_KEYS',
  elevenLabsApiKey: 'ELEVENLABS_API_KEY',
};

/**
 * Secret Manager secrets (their values are added by hand, never by Terraform: see README
 * "Deploying"). No signing key: on Cloud Storage the api signs V4 URLs as its own service account
 * through IAM signBlob, so there is no key to keep. The ElevenLabs key exists only where the
 * speech chain names ElevenLabs.
 */
export class Secrets extends Construct {
  readonly secrets: Partial<Record<SecretName, SecretManagerSecret>> = {};

  constructor(scope: Construct, id: string, props: { config: EnvironmentConfig }) {
    super(scope, id);
    const c = props.config;
    const declare = (name: SecretName, suffix: string) => {
      this.secrets[name] = new SecretManagerSecret(this, suffix, {
        project: c.project,
        secretId: `${c.prefix}-${suffix}`,
        labels: c.labels,
        replication: { auto: {} },
      });
    };
    declare('apiKeys', 'api-keys');
    if (c.speech.includes('elevenlabs')) declare('elevenLabsApiKey', 'elevenlabs-api-key');
  }

  /** The secret and the environment variable it fills, for a function's `secrets`. */
  use(name: SecretName): { env: string; secret: SecretManagerSecret } {
    const secret = this.secrets[name];
    if (!secret) throw new Error(`secret ${name} is not declared in this environment`);
    return { env: SECRET_ENV[name], secret };
  }

  has(name: SecretName): boolean {
    return this.secrets[name] !== undefined;
  }
}
