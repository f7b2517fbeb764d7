import { ProvisioningFailure, type ProvisioningDriver } from './driver.js';

export interface SimulatedOptions {
  /** how long each step takes (DOTMAC_SIM_STEP_MS) */
  stepMs: number;
  /** the step that fails, for tests and demonstrations (DOTMAC_SIM_FAIL_STEP) */
  failStep?: string;
}

/**
 * Deterministic steps that take `stepMs` each, reporting halfway and done; the endpoint is made
 * from the tenant's slug. `failStep` fails that step halfway through.
 */
export function simulatedDriver(options: SimulatedOptions): ProvisioningDriver {
  return {
    name: 'simulated',
    async provision({ deployment, tenant, steps, completed, signal, report }) {
      for (const step of steps) {
        if (completed.has(step)) continue;
        await report(step, 0);
        await pause(options.stepMs / 2, signal);
        await report(step, 50);
        if (options.failStep === step) throw new ProvisioningFailure(`simulated failure in step ${step} (DOTMAC_SIM_FAIL_STEP=${step})`);
        await pause(options.stepMs / 2, signal);
        await report(step, 100);
      }
      return { endpoint_url: `https://${tenant.slug}.${deployment.region.replace(/[^a-z0-9-]/gi, '') || 'region'}.sim.dotmac.invalid` };
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
