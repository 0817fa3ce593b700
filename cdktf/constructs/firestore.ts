import { FirestoreDatabase } from '@cdktf/provider-google/lib/firestore-database/index.js';
import { FirestoreField } from '@cdktf/provider-google/lib/firestore-field/index.js';
import { FirestoreIndex } from '@cdktf/provider-google/lib/firestore-index/index.js';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';
import type { FirestoreLayout } from '../firestore-layout.js';

/**
 * The Firestore database (native mode) with the composite indexes, vector indexes and TTL
 * policies that cdktf/firestore-layout.ts lists.
 */
export class Firestore extends Construct {
  readonly database: FirestoreDatabase;

  constructor(scope: Construct, id: string, props: { config: EnvironmentConfig; layout: FirestoreLayout }) {
    super(scope, id);
    const { project, firestore } = props.config;
    this.database = new FirestoreDatabase(this, 'database', {
      project,
      name: firestore.database,
      locationId: firestore.locationId,
      type: 'FIRESTORE_NATIVE',
      deleteProtectionState: firestore.deleteProtection ? 'DELETE_PROTECTION_ENABLED' : 'DELETE_PROTECTION_DISABLED',
      // ABANDON leaves the data behind on `terraform destroy`; DELETE removes it.
      deletionPolicy: firestore.deleteProtection ? 'ABANDON' : 'DELETE',
      pointInTimeRecoveryEnablement: firestore.pointInTimeRecovery ? 'POINT_IN_TIME_RECOVERY_ENABLED' : 'POINT_IN_TIME_RECOVERY_DISABLED',
    });
    const database = this.database.name;

    props.layout.compositeIndexes.forEach((index, i) => {
      new FirestoreIndex(this, `index-${index.collection}-${i}`, {
        project,
        database,
        collection: index.collection,
        queryScope: 'COLLECTION',
        fields: index.fields.map((f) => ({ fieldPath: f.path, order: f.order })),
      });
    });

    props.layout.vectorIndexes.forEach((index, i) => {
      new FirestoreIndex(this, `vector-${index.collection}-${i}`, {
        project,
        database,
        collection: index.collection,
        queryScope: 'COLLECTION',
        fields: [
          ...index.prefilter.map((path) => ({ fieldPath: path, order: 'ASCENDING' })),
          // Flat (exact) index: the library is thousands of passages, not millions.
          { fieldPath: index.vectorField, vectorConfig: { dimension: index.dimension, flat: {} } },
        ],
      });
    });

    for (const ttl of props.layout.ttlFields) {
      new FirestoreField(this, `ttl-${ttl.collection}-${ttl.field}`, {
        project,
        database,
        collection: ttl.collection,
        field: ttl.field,
        ttlConfig: {},
        // A timestamp nobody queries on: no single-field indexes to keep (cheaper writes).
        indexConfig: {},
      });
    }
  }
}
