import type { DeploymentRow } from '../../../../db/tables/deployments.js';

/** What a driver is asked to do: the deployment, its steps in order, and those already finished. */
export interface ProvisionRequest {
  deployment: DeploymentRow;
  tenant: { id: string; slug: string };
  steps: readonly string[];
  /** finished by an earlier run of the same job: skip them */
  completed: ReadonlySet<string>;
  signal: AbortSignal;
  /** Progress of a step, 0–100; 100 means the step finished. Awaited: it writes the event. */
  report(step: string, progress: number, message?: string): Promise<void>;
}

/**
 * Provisions a deployment's instance, step by step. Chosen in the server's own configuration
 * (`server start` / `worker` flags), never by a request.
 */
export interface ProvisioningDriver {
  readonly name: 'simulated' | 'exec';
  provision(request: ProvisionRequest): Promise<{ endpoint_url: string | null }>;
}

/** The driver says the deployment failed; the message is the deployment's failure reason. */
export class ProvisioningFailure extends Error {
  override name = 'ProvisioningFailure';
}
