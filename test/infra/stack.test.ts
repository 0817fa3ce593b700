import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as functionsFramework from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { Testing } from 'cdktf';
import request from 'supertest';
import { parsePubSubEvent, topicOf, type CloudEventLike } from '../../events/cloud-events.js';
import { SweepTickV1, TOPICS, type TopicName } from '../../events/schemas.js';
import { FUNCTION_ENTRIES } from '../../cdktf/build-functions.js';
import { DeployConfigError, ENVIRONMENTS, environmentConfig, FUNCTION_NAMES, validateEnvironment, type FunctionName } from '../../cdktf/config.js';
import { REQUIRED_APIS } from '../../cdktf/constructs/project-apis.js';
import { FIRESTORE_LAYOUT } from '../../cdktf/firestore-layout.js';
import { locateFunctionArchives, UNBUILT_ARCHIVE_HASH } from '../../cdktf/function-archives.js';
import { FUNCTION_RUNTIME } from '../../cdktf/function-runtime.js';
import { checkRuntimeEnvironment } from '../../cdktf/function-environment.js';
import { buildApp } from '../../cdktf/main.js';
import { Monitoring } from '../../cdktf/monitoring.js';
import { VividlyStack } from '../../cdktf/stack.js';
import { parseConfig } from '../../shared/config.js';

type Block = Record<string, any>;

/** Synthesised Terraform JSON of one stack, with the lookups the assertions need. */
class Synthesised {
  readonly json: Block;
  constructor(text: string) {
    this.json = JSON.parse(text);
  }
  resources(type: string): [string, Block][] {
    return Object.entries(this.json.resource?.[type] ?? {});
  }
  one(type: string, match: (r: Block) => boolean, what: string): [string, Block] {
    const found = this.resources(type).filter(([, r]) => match(r));
    assert.equal(found.length, 1, `expected exactly one ${type} for ${what}, found ${found.length}`);
    return found[0];
  }
  /** `${type.key.attr...}` -> [type, key]; literal -> null. */
  static refOf(value: unknown): [string, string] | null {
    const m = /^\$\{(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[^}]+\}$/.exec(String(value));
    return m ? [m[1], m[2]] : null;
  }
  /** The resource a reference points at. */
  target(value: unknown): Block {
    const ref = Synthesised.refOf(value);
    assert.ok(ref, `${String(value)} is not a reference`);
    const r = this.json.resource?.[ref[0]]?.[ref[1]];
    assert.ok(r, `${String(value)} points at nothing`);
    return r;
  }
  /** A literal, or the `name` (or account_id, secret_id) of the resource a reference points at. */
  nameOf(value: unknown): string {
    if (!Synthesised.refOf(value)) return String(value);
    const r = this.target(value);
    return r.name ?? r.account_id ?? r.secret_id;
  }
  fn(name: FunctionName): [string, Block] {
    return this.one('google_cloudfunctions2_function', (r) => r.build_config.entry_point === name, name);
  }
  fnAccountKey(name: FunctionName): string {
    const [, fn] = this.fn(name);
    const ref = Synthesised.refOf(fn.service_config.service_account_email);
    assert.ok(ref && ref[0] === 'google_service_account');
    return ref[1];
  }
  accountKey(accountId: string): string {
    return this.one('google_service_account', (r) => r.account_id === accountId, accountId)[0];
  }
  /**
   * Every grant held by a service account, as `role @ target` (target: "project", or the name of
   * the topic, bucket, secret, service account, subscription or Cloud Run service).
   */
  grantsOf(accountKey: string): string[] {
    const holder = (m: unknown) => String(m).includes(`google_service_account.${accountKey}.`);
    const out: string[] = [];
    const add = (type: string, target: (r: Block) => string) => {
      for (const [, r] of this.resources(type)) if (holder(r.member)) out.push(`${r.role} @ ${target(r)}`);
    };
    add('google_project_iam_member', () => 'project');
    add('google_pubsub_topic_iam_member', (r) => this.nameOf(r.topic));
    add('google_pubsub_subscription_iam_member', (r) => this.nameOf(r.subscription));
    add('google_storage_bucket_iam_member', (r) => this.nameOf(r.bucket));
    add('google_secret_manager_secret_iam_member', (r) => this.nameOf(r.secret_id));
    add('google_service_account_iam_member', (r) => this.nameOf(r.service_account_id));
    add('google_cloud_run_v2_service_iam_member', (r) => this.target(r.name).name);
    return out.sort();
  }
  subscriptionFor(name: FunctionName): Block {
    const [fnKey] = this.fn(name);
    return this.one('google_pubsub_subscription', (r) => String(r.push_config?.push_endpoint ?? '').startsWith(`\${google_cloudfunctions2_function.${fnKey}.service_config[0].uri}/`), `subscription to ${name}`)[1];
  }
}

const P = 'vividly-dev';
const bucket = { narration: `${P}-narration`, video: `${P}-videos`, content: `${P}-content` };
const viewer = 'roles/storage.objectViewer';
const user = 'roles/storage.objectUser';

/** The roles each function's own account must hold in dev: exactly these, nothing more. */
const EXPECTED_GRANTS: Record<FunctionName, string[]> = {
  api: ['roles/datastore.user @ project', `roles/pubsub.publisher @ ${TOPICS.generationRequested}`, `${viewer} @ ${bucket.content}`, `${viewer} @ ${bucket.video}`, `roles/secretmanager.secretAccessor @ ${P}-api-keys`, `roles/iam.serviceAccountTokenCreator @ ${P}-api`],
  understand: ['roles/datastore.user @ project', 'roles/aiplatform.user @ project', `roles/pubsub.publisher @ ${TOPICS.topicResolved}`, `${viewer} @ ${bucket.content}`, `${viewer} @ ${bucket.video}`],
  retrieve: ['roles/datastore.user @ project', 'roles/aiplatform.user @ project', `roles/pubsub.publisher @ ${TOPICS.sourcesRetrieved}`, `${viewer} @ ${bucket.content}`],
  write: ['roles/datastore.user @ project', 'roles/aiplatform.user @ project', `roles/pubsub.publisher @ ${TOPICS.scriptWritten}`, `${viewer} @ ${bucket.content}`],
  narrate: ['roles/datastore.user @ project', `${user} @ ${bucket.narration}`],
  render: ['roles/datastore.user @ project', `${viewer} @ ${bucket.narration}`, `${user} @ ${bucket.video}`, `${viewer} @ ${bucket.content}`],
  publish: ['roles/datastore.user @ project', `${viewer} @ ${bucket.video}`],
  'dead-letter': ['roles/datastore.user @ project'],
  sweep: [
    'roles/datastore.user @ project',
    ...[TOPICS.generationRequested, TOPICS.topicResolved, TOPICS.sourcesRetrieved, TOPICS.scriptWritten].map((t) => `roles/pubsub.publisher @ ${t}`),
    `${user} @ ${bucket.narration}`,
    `${user} @ ${bucket.video}`,
  ],
};

const PUBSUB_TRIGGERS: [FunctionName, TopicName][] = [
  ['understand', TOPICS.generationRequested],
  ['retrieve', TOPICS.topicResolved],
  ['write', TOPICS.sourcesRetrieved],
  ['narrate', TOPICS.scriptWritten],
  ['dead-letter', TOPICS.deadLetter],
  ['sweep', TOPICS.sweepTick],
];
const STORAGE_TRIGGERS: [FunctionName, string][] = [
  ['render', bucket.narration],
  ['publish', bucket.video],
];

describe('infrastructure: the CDKTF stack', function () {
  let dev: Synthesised;
  let prod: Synthesised;
  let devStack: VividlyStack;
  let archivesDir: string;
  let builtMd5: string;

  before(function () {
    // One built archive and eight missing ones: both ways of naming the uploaded object.
    archivesDir = mkdtempSync(path.join(os.tmpdir(), 'vividly-archives-'));
    const zip = Buffer.from('PK\u0005\u0006 pretend archive of understand');
    writeFileSync(path.join(archivesDir, 'understand.zip'), zip);
    builtMd5 = createHash('md5').update(zip).digest('hex');
    const synth = (env: 'dev' | 'prod') => {
      const app = Testing.app();
      const stack = new VividlyStack(app, env, { config: environmentConfig(env, {}), archives: locateFunctionArchives(archivesDir) });
      return { stack, out: new Synthesised(Testing.synth(stack)) };
    };
    const d = synth('dev');
    devStack = d.stack;
    dev = d.out;
    prod = synth('prod').out;
  });
  after(() => rmSync(archivesDir, { recursive: true, force: true }));

  describe('functions', () => {
    it('deploys exactly the functions `npm run build` packages, each with the Functions Framework target its entry file registers', () => {
      assert.deepEqual([...FUNCTION_NAMES].sort(), Object.keys(FUNCTION_ENTRIES).sort());
      for (const name of FUNCTION_NAMES) {
        const [, fn] = dev.fn(name);
        assert.equal(fn.name, `${P}-${name}`);
        assert.equal(fn.build_config.runtime, FUNCTION_RUNTIME);
        const source = readFileSync(FUNCTION_ENTRIES[name], 'utf8');
        assert.match(source, new RegExp(`functions\\.(http|cloudEvent)\\('${name}'`), `${FUNCTION_ENTRIES[name]} registers ${name}`);
      }
    });

    it('gives every function its own service account, none shared', () => {
      const keys = FUNCTION_NAMES.map((n) => dev.fnAccountKey(n));
      assert.equal(new Set(keys).size, FUNCTION_NAMES.length);
      for (const name of FUNCTION_NAMES) {
        const account = dev.json.resource.google_service_account[dev.fnAccountKey(name)];
        assert.equal(account.account_id, `${P}-${name}`);
      }
    });

    for (const name of FUNCTION_NAMES) {
      it(`${name}'s account holds exactly the roles it needs`, () => {
        assert.deepEqual(dev.grantsOf(dev.fnAccountKey(name)), [...EXPECTED_GRANTS[name]].sort());
      });
    }

    it('in prod, narrate also reads the ElevenLabs key (and only narrate does)', () => {
      const narrate = prod.grantsOf(prod.fnAccountKey('narrate'));
      assert.ok(narrate.includes('roles/secretmanager.secretAccessor @ vividly-prod-elevenlabs-api-key'), narrate.join('\n'));
      const readers = prod.resources('google_secret_manager_secret_iam_member').filter(([, r]) => prod.nameOf(r.secret_id).endsWith('elevenlabs-api-key'));
      assert.equal(readers.length, 1);
      const [, fn] = prod.fn('narrate');
      assert.deepEqual(
        fn.service_config.secret_environment_variables.map((s: Block) => [s.key, prod.nameOf(s.secret), s.version]),
        [['ELEVENLABS_API_KEY', 'vividly-prod-elevenlabs-api-key', 'latest']],
      );
      assert.equal(fn.service_config.environment_variables.VIVIDLY_SPEECH, 'elevenlabs,google,espeak');
    });

    it('only the api is public: allUsers may invoke it, and no other function; the rest take internal traffic only', () => {
      for (const out of [dev, prod]) {
        const publicBindings = out.resources('google_cloud_run_v2_service_iam_member').filter(([, r]) => r.member === 'allUsers');
        assert.deepEqual(publicBindings.map(([, r]) => out.target(r.name).build_config.entry_point), ['api']);
        assert.equal(publicBindings[0][1].role, 'roles/run.invoker');
        for (const name of FUNCTION_NAMES) {
          assert.equal(out.fn(name)[1].service_config.ingress_settings, name === 'api' ? 'ALLOW_ALL' : 'ALLOW_INTERNAL_ONLY', name);
        }
        for (const type of Object.keys(out.json.resource)) {
          for (const [key, r] of out.resources(type)) {
            if (String(r.member).startsWith('allUsers') || String(r.member).startsWith('allAuthenticatedUsers')) {
              assert.equal(out.target(r.name).build_config.entry_point, 'api', `${type}.${key} opens something other than the api`);
            }
          }
        }
      }
    });

    it('sizes render from the benchmark: 2 vCPU, 2 GiB, 540 s, one render per instance', () => {
      const [, render] = dev.fn('render');
      assert.equal(render.service_config.available_cpu, '2');
      assert.equal(render.service_config.available_memory, '2Gi');
      assert.equal(render.service_config.timeout_seconds, 540);
      assert.equal(render.service_config.max_instance_request_concurrency, 1);
    });

    it('configures every function for the cloud adapters, and the runtime parser accepts that configuration', () => {
      for (const name of FUNCTION_NAMES) {
        const vars = dev.fn(name)[1].service_config.environment_variables as Record<string, string>;
        const config = parseConfig({ ...vars, VIVIDLY_API_KEYS: 'k1' }, '/');
        assert.equal(config.stateStore, 'firestore');
        assert.equal(config.eventBus, 'pubsub');
        assert.equal(config.objectStore, 'gcs');
        assert.equal(config.languageModel, 'gemini');
        assert.equal(config.retrieval, 'vector');
        assert.equal(config.narrationBucket, bucket.narration);
        assert.equal(config.videoBucket, bucket.video);
        assert.equal(config.contentBucket, bucket.content);
        assert.equal(config.libraryPath, `gs://${bucket.content}/library.sqlite`);
        assert.equal(config.project, P);
        assert.equal(config.dataDir, '/tmp/vividly');
        assert.equal(config.maxAttempts, 5);
      }
      assert.throws(() => checkRuntimeEnvironment({ VIVIDLY_STATE_STORE: 'mongo' }), DeployConfigError);
      assert.throws(() => checkRuntimeEnvironment({ VIVIDLY_NOT_AN_OPTION: 'x' }), /not a runtime option/);
    });

    it('deploys each function from its archive, named by the archive md5 (a declared placeholder when not built)', () => {
      for (const name of FUNCTION_NAMES) {
        const [, fn] = dev.fn(name);
        const object = dev.target(fn.build_config.source.storage_source.object);
        assert.equal(object.name, `${name}-${name === 'understand' ? builtMd5 : UNBUILT_ARCHIVE_HASH}.zip`);
        assert.equal(object.source, path.join(archivesDir, `${name}.zip`));
        assert.equal(dev.nameOf(object.bucket), `${P}-functions`);
        assert.equal(dev.nameOf(fn.build_config.source.storage_source.bucket), `${P}-functions`);
      }
    });
  });

  describe('triggers and delivery', () => {
    for (const [name, topic] of PUBSUB_TRIGGERS) {
      it(`${name} gets ${topic} by an authenticated push subscription with retry and dead-letter policies`, () => {
        const sub = dev.subscriptionFor(name);
        const [fnKey, fn] = dev.fn(name);
        assert.equal(fn.event_trigger, undefined, 'no Eventarc trigger (and no hidden subscription) beside ours');
        assert.equal(dev.nameOf(sub.topic), topic);
        assert.equal(sub.name, `${topic}.${name}`);
        // The run.app URI: internal ingress admits Pub/Sub there (not at the cloudfunctions.net URL).
        assert.equal(sub.push_config.push_endpoint, `\${google_cloudfunctions2_function.${fnKey}.service_config[0].uri}/projects/${P}/topics/${topic}`);
        assert.equal(sub.push_config.oidc_token.audience, `\${google_cloudfunctions2_function.${fnKey}.service_config[0].uri}`);
        assert.equal(dev.target(sub.push_config.oidc_token.service_account_email).account_id, `${P}-push`);
        assert.deepEqual(sub.retry_policy, { minimum_backoff: '10s', maximum_backoff: '300s' });
        assert.equal(sub.dead_letter_policy.max_delivery_attempts, 5);
        assert.equal(dev.nameOf(sub.dead_letter_policy.dead_letter_topic), topic === TOPICS.deadLetter ? `${TOPICS.deadLetter}.parked` : TOPICS.deadLetter);
        assert.ok(sub.ack_deadline_seconds >= fn.service_config.timeout_seconds, 'not redelivered while still running');
        assert.deepEqual(sub.expiration_policy, { ttl: '' });
      });
    }

    for (const [name, bucketName] of STORAGE_TRIGGERS) {
      it(`${name} is triggered by object finalize on ${bucketName}, delivered by the Eventarc account`, () => {
        const [, fn] = dev.fn(name);
        assert.equal(fn.event_trigger.event_type, 'google.cloud.storage.object.v1.finalized');
        assert.equal(fn.event_trigger.event_filters.length, 1);
        assert.equal(fn.event_trigger.event_filters[0].attribute, 'bucket');
        assert.equal(dev.nameOf(fn.event_trigger.event_filters[0].value), bucketName);
        assert.equal(fn.event_trigger.retry_policy, 'RETRY_POLICY_RETRY');
        assert.equal(dev.target(fn.event_trigger.service_account_email).account_id, `${P}-eventarc`);
      });
    }

    it('the delivery identities may invoke exactly their functions; Eventarc receives events; the GCS agent publishes', () => {
      const invokes = (account: string) =>
        dev
          .grantsOf(dev.accountKey(account))
          .filter((g) => g.startsWith('roles/run.invoker'))
          .map((g) => g.replace(`roles/run.invoker @ ${P}-`, ''));
      assert.deepEqual(invokes(`${P}-push`), PUBSUB_TRIGGERS.map(([n]) => n).sort());
      assert.deepEqual(invokes(`${P}-eventarc`), ['publish', 'render']);
      assert.ok(dev.grantsOf(dev.accountKey(`${P}-eventarc`)).includes('roles/eventarc.eventReceiver @ project'));
      const [, gcsAgent] = dev.one('google_project_iam_member', (r) => String(r.member).includes('google_storage_project_service_account'), 'GCS agent');
      assert.equal(gcsAgent.role, 'roles/pubsub.publisher');
    });

    it('has a subscription on every topic, the dead-letter topic included, and every subscription retries', () => {
      const subs = dev.resources('google_pubsub_subscription').map(([, r]) => r);
      for (const topic of Object.values(TOPICS)) assert.ok(subs.some((s) => dev.nameOf(s.topic) === topic), `${topic} has a subscription`);
      assert.ok(subs.some((s) => dev.nameOf(s.topic) === TOPICS.deadLetter && String(s.push_config?.push_endpoint).includes('dead-letter')));
      for (const s of subs) assert.ok(s.retry_policy?.minimum_backoff && s.retry_policy?.maximum_backoff, `${s.name} has a retry policy`);
      // Every subscription that delivers has a dead-letter policy; the parked one is where the line ends.
      const withoutDeadLetter = subs.filter((s) => !s.dead_letter_policy).map((s) => s.name);
      assert.deepEqual(withoutDeadLetter, [`${TOPICS.deadLetter}.parked`]);
      const parked = subs.find((s) => s.name === `${TOPICS.deadLetter}.parked`)!;
      assert.equal(parked.push_config, undefined, 'a pull subscription kept for people to read');
      assert.equal(parked.message_retention_duration, '604800s');
    });

    it('grants the Pub/Sub service agent what dead-lettering and push tokens need', () => {
      const agent = 'serviceAccount:service-${data.google_project.project.number}@gcp-sa-pubsub.iam.gserviceaccount.com';
      const publishers = dev.resources('google_pubsub_topic_iam_member').filter(([, r]) => r.member === agent).map(([, r]) => `${r.role} @ ${dev.nameOf(r.topic)}`);
      assert.deepEqual(publishers.sort(), [`roles/pubsub.publisher @ ${TOPICS.deadLetter}`, `roles/pubsub.publisher @ ${TOPICS.deadLetter}.parked`]);
      const subscribed = dev.resources('google_pubsub_subscription_iam_member').filter(([, r]) => r.member === agent && r.role === 'roles/pubsub.subscriber').map(([, r]) => dev.nameOf(r.subscription));
      const withDeadLetter = dev.resources('google_pubsub_subscription').filter(([, r]) => r.dead_letter_policy).map(([, r]) => r.name);
      assert.deepEqual(subscribed.sort(), withDeadLetter.sort());
      const tokenCreator = dev.one('google_service_account_iam_member', (r) => r.member === agent, 'agent token creator')[1];
      assert.equal(tokenCreator.role, 'roles/iam.serviceAccountTokenCreator');
      assert.equal(dev.nameOf(tokenCreator.service_account_id), `${P}-push`);
      assert.equal(dev.json.data.google_project.project.project_id, P);
    });

    it('the Functions Framework turns a push to that endpoint into the CloudEvent the function parses, topic included', async () => {
      // The push endpoint path is what carries the topic: FF's Pub/Sub middleware reads it from there.
      let received: CloudEventLike | undefined;
      functionsFramework.cloudEvent('infra-push-probe', (event: unknown) => {
        received = event as CloudEventLike;
      });
      const sub = dev.subscriptionFor('understand');
      const endpointPath = String(sub.push_config.push_endpoint).replace(/^\$\{[^}]+\}/, '');
      const payload = { v: 1, generationId: 'gen_abcdefgh12', request: { question: 'Explain photosynthesis', grade: 8, interest: 'cooking', voice: 'female_professional' }, owner: 'k1', requestedAt: '2025-01-01T00:00:00.000Z' };
      // The body Pub/Sub sends to a push endpoint (wrapped delivery).
      const body = {
        message: {
          data: Buffer.from(JSON.stringify(payload)).toString('base64'),
          attributes: { eventType: TOPICS.generationRequested, schemaVersion: '1', generationId: payload.generationId },
          messageId: '1234567890',
          message_id: '1234567890',
          publishTime: '2025-01-01T00:00:01.000Z',
          publish_time: '2025-01-01T00:00:01.000Z',
        },
        subscription: `projects/${P}/subscriptions/${sub.name}`,
        deliveryAttempt: 1,
      };
      const res = await request(getTestServer('infra-push-probe')).post(endpointPath).set('content-type', 'application/json').send(body);
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
      assert.ok(received);
      assert.equal(topicOf(received), TOPICS.generationRequested);
      assert.equal(parsePubSubEvent(TOPICS.generationRequested, received).generationId, payload.generationId);
    });

    it('ticks the sweep from Cloud Scheduler with a valid sweep.tick payload', () => {
      const [, job] = dev.one('google_cloud_scheduler_job', () => true, 'sweep job');
      assert.equal(dev.nameOf(job.pubsub_target.topic_name), TOPICS.sweepTick);
      assert.equal(job.schedule, '*/5 * * * *');
      const tick = JSON.parse(Buffer.from(job.pubsub_target.data, 'base64').toString('utf8'));
      assert.ok(SweepTickV1.safeParse(tick).success);
      assert.equal(job.pubsub_target.attributes.eventType, TOPICS.sweepTick);
      assert.equal(dev.fn('sweep')[1].service_config.max_instance_count, 1, 'never two sweeps at once');
    });
  });

  describe('storage, data and project', () => {
    it('keeps narration and video in separate buckets, all uniform-access and never public, with lifecycle rules', () => {
      for (const [out, narrationDays, videoDays, project] of [
        [dev, 3, 14, 'vividly-dev'],
        [prod, 7, 90, 'vividly-prod'],
      ] as const) {
        const buckets: Record<string, Block> = Object.fromEntries(out.resources('google_storage_bucket').map(([, r]) => [r.name, r]));
        assert.deepEqual(Object.keys(buckets).sort(), [`${project}-content`, `${project}-functions`, `${project}-narration`, `${project}-videos`]);
        for (const b of Object.values(buckets)) {
          assert.equal(b.uniform_bucket_level_access, true, b.name);
          assert.equal(b.public_access_prevention, 'enforced', b.name);
        }
        assert.deepEqual(buckets[`${project}-narration`].lifecycle_rule, [{ action: { type: 'Delete' }, condition: { age: narrationDays } }]);
        assert.deepEqual(buckets[`${project}-videos`].lifecycle_rule, [{ action: { type: 'Delete' }, condition: { age: videoDays } }]);
        assert.equal(buckets[`${project}-content`].lifecycle_rule, undefined, 'the library is kept');
        // the student page (served by the api on its own origin) and the configured origins read the videos' tracks
        const cors = buckets[`${project}-videos`].cors as Array<{ origin: string[]; method: string[] }>;
        assert.equal(cors.length, 1);
        assert.deepEqual(cors[0]!.method, ['GET', 'HEAD']);
        assert.ok(cors[0]!.origin.some((o) => /google_cloudfunctions2_function\.[\w-]+api[\w-]*\.url/.test(o)), JSON.stringify(cors[0]!.origin));
        for (const o of project === 'vividly-dev' ? ['http://localhost:8080'] : ['https://vividly.example.com']) assert.ok(cors[0]!.origin.includes(o), o);
      }
    });

    it('declares the Firestore database, the composite index, the vector index and the TTL policies', () => {
      const [, db] = dev.one('google_firestore_database', () => true, 'database');
      assert.equal(db.type, 'FIRESTORE_NATIVE');
      assert.equal(db.name, '(default)');
      const indexes = dev.resources('google_firestore_index').map(([, r]) => r);
      const composite = indexes.find((i) => i.collection === 'generations')!;
      assert.deepEqual(composite.fields, [
        { field_path: 'terminal', order: 'ASCENDING' },
        { field_path: 'updatedAt', order: 'ASCENDING' },
      ]);
      const vector = indexes.find((i) => i.collection === 'passageVectors')!;
      assert.deepEqual(vector.fields, [
        { field_path: 'topicId', order: 'ASCENDING' },
        { field_path: 'embedding', vector_config: { dimension: 768, flat: {} } },
      ]);
      assert.equal(indexes.length, FIRESTORE_LAYOUT.compositeIndexes.length + FIRESTORE_LAYOUT.vectorIndexes.length);
      const ttl = dev.resources('google_firestore_field').map(([, r]) => r);
      assert.deepEqual(ttl.map((f) => `${f.collection}.${f.field}`).sort(), ['contentCache.expireAt', 'generations.expireAt', 'inflight.expireAt', 'notCoveredCache.expireAt', 'requestCache.expireAt']);
      for (const f of ttl) assert.deepEqual(f.ttl_config, {});
      for (const i of [...indexes, ...ttl]) assert.equal(dev.target(i.database), db);
    });

    it('enables every required API, and functions wait for theirs', () => {
      const enabled = dev.resources('google_project_service').map(([, r]) => r.service);
      for (const api of ['cloudfunctions', 'run', 'eventarc', 'pubsub', 'firestore', 'storage', 'aiplatform', 'texttospeech', 'secretmanager', 'cloudscheduler', 'cloudbuild', 'artifactregistry', 'logging', 'monitoring', 'iam']) {
        assert.ok(enabled.includes(`${api}.googleapis.com`), api);
      }
      assert.deepEqual(enabled.sort(), [...REQUIRED_APIS].sort());
      const [apiKey] = dev.one('google_project_service', (r) => r.service === 'cloudfunctions.googleapis.com', 'cloudfunctions');
      for (const name of FUNCTION_NAMES) assert.ok(dev.fn(name)[1].depends_on.includes(`google_project_service.${apiKey}`), name);
    });

    it('instantiates monitoring for the environment', () => {
      assert.ok(devStack.node.tryFindChild('monitoring') instanceof Monitoring);
    });
  });

  describe('environments', () => {
    it('dev and prod differ as configured', () => {
      assert.equal(dev.fn('api')[1].service_config.min_instance_count, 0);
      assert.equal(prod.fn('api')[1].service_config.min_instance_count, 1);
      assert.equal(prod.fn('render')[1].service_config.max_instance_count, 10);
      assert.equal(dev.fn('narrate')[1].service_config.environment_variables.VIVIDLY_SPEECH, 'google,espeak');
      assert.equal(dev.resources('google_secret_manager_secret').length, 1, 'dev has no ElevenLabs key');
      assert.equal(prod.resources('google_secret_manager_secret').length, 2);
      assert.equal(dev.one('google_firestore_database', () => true, 'db')[1].delete_protection_state, 'DELETE_PROTECTION_DISABLED');
      assert.equal(prod.one('google_firestore_database', () => true, 'db')[1].delete_protection_state, 'DELETE_PROTECTION_ENABLED');
      assert.ok(dev.json.terraform.backend.local);
      assert.deepEqual(prod.json.terraform.backend.gcs, { bucket: 'vividly-prod-tfstate', prefix: 'vividly/prod' });
      assert.equal(prod.fn('api')[1].service_config.environment_variables.VIVIDLY_CORS_ORIGINS, 'https://vividly.example.com');
    });

    it('applies the synth-time overrides and rejects configurations the cloud would refuse', () => {
      const c = environmentConfig('dev', { VIVIDLY_DEPLOY_PROJECT: 'acme-vividly-dev', VIVIDLY_DEPLOY_ALERT_EMAIL: 'ops@acme.test', VIVIDLY_DEPLOY_CORS_ORIGINS: 'https://a.test, https://b.test' });
      assert.equal(c.project, 'acme-vividly-dev');
      assert.deepEqual(c.corsOrigins, ['https://a.test', 'https://b.test']);
      assert.deepEqual(c.alerts.notificationChannels.map((n) => n.labels.email_address), ['ops@acme.test']);
      assert.throws(() => environmentConfig('staging', {}), (e: unknown) => e instanceof DeployConfigError && /unknown environment "staging"/.test(e.message));
      assert.throws(() => environmentConfig('dev', { VIVIDLY_DEPLOY_PROJECT: 'Not A Project' }), /not a valid project id/);
      const bad = structuredClone(ENVIRONMENTS.prod);
      bad.generationTtlDays = bad.buckets.videoDeleteAfterDays + 1;
      bad.functions.render.timeoutSeconds = 900;
      bad.speech = ['google'];
      assert.throws(() => validateEnvironment(bad), (e: unknown) => e instanceof DeployConfigError && /generationTtlDays/.test(e.message) && /render: timeoutSeconds/.test(e.message) && /espeak/.test(e.message));
    });
  });

  describe('synth @slow', () => {
    let outdir: string;
    before(() => {
      outdir = mkdtempSync(path.join(os.tmpdir(), 'vividly-synth-'));
    });
    after(() => rmSync(outdir, { recursive: true, force: true }));

    it('writes the Terraform JSON of an environment to <outdir>/stacks/<env>/cdk.tf.json, sources relative to it', () => {
      const built = buildApp({ env: 'prod', outdir, processEnv: {} });
      built.app.synth();
      const file = path.join(outdir, 'stacks', 'prod', 'cdk.tf.json');
      assert.ok(existsSync(file));
      const out = new Synthesised(readFileSync(file, 'utf8'));
      assert.equal(out.resources('google_cloudfunctions2_function').length, FUNCTION_NAMES.length);
      for (const [, o] of out.resources('google_storage_bucket_object')) assert.ok(!path.isAbsolute(o.source) && o.source.endsWith('.zip'), o.source);
      assert.ok(!path.isAbsolute(out.json.terraform.backend.gcs ? 'x' : out.json.terraform.backend.local.path));
    });

    it('`tsx cdktf/synth.ts` runs offline from the command line, and refuses an unknown environment without a stack trace', async () => {
      const run = promisify(execFile);
      const tsx = path.resolve('node_modules/.bin/tsx');
      const env = { ...process.env, CDKTF_OUTDIR: outdir, VIVIDLY_DEPLOY_PROJECT: 'cli-vividly-dev' };
      const ok = await run(tsx, ['cdktf/synth.ts', 'dev'], { env });
      assert.match(ok.stdout, /dev: .*stacks\/dev\/cdk\.tf\.json \(project cli-vividly-dev/);
      const out = new Synthesised(readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'));
      assert.equal(out.fn('api')[1].project, 'cli-vividly-dev');
      const failed = await run(tsx, ['cdktf/synth.ts', 'staging'], { env }).then(
        () => assert.fail('expected a non-zero exit'),
        (err: { code: number; stderr: string }) => err,
      );
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /DeployConfigError: unknown environment "staging"/);
      assert.doesNotMatch(failed.stderr, /\n\s+at /);
    });
  });
});
