import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/client/api-client.js';
import type { Deployment } from '../../src/client/types.js';
import { followDeployment } from '../../src/cli/deployment-progress.js';

/** A client whose deployment shows no event, in `status`, until `endAfterMs` of (fake) time have passed. */
function silentDeployment(status: Deployment['status'], endAfterMs: number, local = false, id = 'dep_1'): ApiClient {
  const started = Date.now();
  const deployment = { id, job_id: 'job_1', status } as Deployment;
  return {
    runsJobsHere: local,
    runJobHere: async () => false,
    deployments: {
      events: async () => ({ deployment: Date.now() - started >= endAfterMs ? { ...deployment, status: 'succeeded' } : deployment, events: [] }),
    },
  } as unknown as ApiClient;
}

async function follow(client: ApiClient): Promise<string> {
  const notes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => notes.push(String(text)) > 0);
  const following = followDeployment(client, 'dep_1', 'none', process.stderr);
  await vi.advanceTimersByTimeAsync(40_000);
  await following;
  return notes.join('');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('following a deployment that shows nothing new', () => {
  it('says once, after 15 s, that a queued deployment needs a worker', async () => {
    vi.useFakeTimers();
    const said = await follow(silentDeployment('queued', 35_000));
    expect(said.match(/Note: /g)).toHaveLength(1);
    expect(said).toMatch(/deployment dep_1 is still queued after 15 s: a worker runs it/);
  });

  it('says a running one may be slow or its worker gone, naming the job', async () => {
    vi.useFakeTimers();
    expect(await follow(silentDeployment('running', 35_000))).toMatch(/no news of deployment dep_1 \(running\) for 15 s: .*dotmac jobs get job_1/);
  });

  it('escapes what the API sent, as every note does: a hostile id cannot drive the terminal', async () => {
    vi.useFakeTimers();
    const said = await follow(silentDeployment('queued', 35_000, false, 'dep_\u001b]52;c;cm0gLXJmIH4=\u0007x'));
    expect(said).not.toMatch(/[\u001b\u0007]/);
    expect(said).toContain('dep_\\x1b]52;c;cm0gLXJmIH4=\\x07x');
  });

  it('says nothing when it ends sooner', async () => {
    vi.useFakeTimers();
    expect(await follow(silentDeployment('queued', 10_000))).toBe('');
  });
});
