import { StorageBucket, type StorageBucketLifecycleRule } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';

export type BucketRole = 'narration' | 'video' | 'content';

/**
 * The buckets: narration and video apart (an Eventarc Cloud Storage trigger filters by bucket,
 * not by object name, so each finalize trigger needs its own bucket), the content library, and
 * the function archives. All have uniform bucket-level access and public access prevention
 * enforced: clients reach videos only through V4 signed URLs.
 */
export class Buckets extends Construct {
  readonly narration: StorageBucket;
  readonly video: StorageBucket;
  readonly content: StorageBucket;
  readonly source: StorageBucket;
  /** The names as literals (not Terraform references), for environment variables and checks. */
  readonly names: Record<BucketRole | 'source', string>;

  constructor(scope: Construct, id: string, props: { config: EnvironmentConfig }) {
    super(scope, id);
    const c = props.config;
    // Derived from the project id, which is globally unique, so the bucket names are too.
    this.names = {
      narration: `${c.project}-narration`,
      video: `${c.project}-videos`,
      content: `${c.project}-content`,
      source: `${c.project}-functions`,
    };
    const base = {
      project: c.project,
      location: c.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: c.buckets.forceDestroy,
      labels: c.labels,
    };
    const deleteAfter = (days: number): StorageBucketLifecycleRule[] => [{ action: { type: 'Delete' }, condition: { age: days } }];
    // Media is short-lived and re-creatable: no soft-delete copies to pay for.
    const noSoftDelete = { softDeletePolicy: { retentionDurationSeconds: 0 } };

    this.narration = new StorageBucket(this, 'narration', {
      ...base,
      ...noSoftDelete,
      name: this.names.narration,
      lifecycleRule: deleteAfter(c.buckets.narrationDeleteAfterDays),
    });
    this.video = new StorageBucket(this, 'video', {
      ...base,
      ...noSoftDelete,
      name: this.names.video,
      lifecycleRule: deleteAfter(c.buckets.videoDeleteAfterDays),
      // A page on another origin loads the captions (WebVTT) with fetch/<track>, which needs CORS;
      // the signed URL itself is the authorisation.
      cors: [{ origin: c.corsOrigins, method: ['GET', 'HEAD'], responseHeader: ['Content-Type', 'Content-Range', 'Range'], maxAgeSeconds: 3600 }],
    });
    // The content library (library.sqlite and figures) is kept: no lifecycle rule.
    this.content = new StorageBucket(this, 'content', {
      ...base,
      name: this.names.content,
      versioning: { enabled: c.buckets.contentVersioning },
    });
    // Function archives: an object per build (named by its md5), read by Cloud Build at deploy.
    this.source = new StorageBucket(this, 'source', {
      ...base,
      ...noSoftDelete,
      name: this.names.source,
    });
  }

  byRole(role: BucketRole): StorageBucket {
    return this[role];
  }
}
