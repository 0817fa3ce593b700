import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import { TerraformDataSource, TerraformResource } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/** Every Google API the deployment uses. */
export const REQUIRED_APIS = [
  'cloudfunctions.googleapis.com',
  'run.googleapis.com',
  'eventarc.googleapis.com',
  'pubsub.googleapis.com',
  'firestore.googleapis.com',
  'storage.googleapis.com',
  'aiplatform.googleapis.com',
  'texttospeech.googleapis.com',
  'secretmanager.googleapis.com',
  'cloudscheduler.googleapis.com',
  'cloudbuild.googleapis.com',
  'artifactregistry.googleapis.com',
  'logging.googleapis.com',
  'monitoring.googleapis.com',
  'iam.googleapis.com',
  // signBlob for V4 signed URLs without a key file (the api signs as its own service account).
  'iamcredentials.googleapis.com',
  // Project IAM bindings and the project data source go through Resource Manager.
  'cloudresourcemanager.googleapis.com',
] as const;
export type ApiName = (typeof REQUIRED_APIS)[number];

/** The project's enabled APIs. Destroying the stack leaves them enabled (other things may use them). */
export class ProjectApis extends Construct {
  readonly services: Record<ApiName, ProjectService>;

  constructor(scope: Construct, id: string, props: { project: string }) {
    super(scope, id);
    this.services = {} as Record<ApiName, ProjectService>;
    for (const api of REQUIRED_APIS) {
      this.services[api] = new ProjectService(this, api.split('.')[0], {
        project: props.project,
        service: api,
        disableOnDestroy: false,
        disableDependentServices: false,
      });
    }
  }

  /**
   * Make every resource and data source under `scope` wait for `apis`: on a fresh project the
   * first apply would otherwise race the API enablement.
   */
  requireFor(scope: IConstruct, apis: readonly ApiName[]): void {
    // Plain `type.name` references, as Terraform wants in depends_on (fqn would be a `${}` token).
    const fqns = apis.map((a) => `${this.services[a].terraformResourceType}.${this.services[a].friendlyUniqueId}`);
    for (const node of scope.node.findAll()) {
      if (node instanceof TerraformResource || node instanceof TerraformDataSource) {
        node.dependsOn = [...new Set([...(node.dependsOn ?? []), ...fqns])];
      }
    }
  }
}
