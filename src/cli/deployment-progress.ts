import type { ApiClient } from '../client/api-client.js';
import type { Deployment, DeploymentEvent } from '../client/types.js';
import { isSettingProblem, localProvisioning } from '../server/modules/deployments/drivers/choice.js';
import { CliError, EXIT, usageError } from './errors.js';
import { jsonText, terminalSafe } from './output.js';

const STEPS = ['validate', 'provision', 'configure', 'health_check'];
const ENDED = new Set(['succeeded', 'failed', 'rolled_back']);
const POLL_MS = 150;
/** how long a deployment may show no new event before the watcher says why it may be waiting */
const QUIET_MS = 15_000;

export type ProgressStyle = 'bar' | 'json-lines' | 'none';

/**
 * Follows a deployment until it ends, showing its events: a progress bar with the step's name
 * (a terminal), one JSON line per event (a pipe), or nothing. In local mode the deployment's job
 * runs in this process meanwhile; over HTTP the server's worker runs it.
 */
export async function followDeployment(client: ApiClient, id: string, style: ProgressStyle, out: NodeJS.WriteStream): Promise<Deployment> {
  const done = new Set<string>();
  let after = 0;
  let page = await client.deployments.events(id, 0);
  const local = client.runsJobsHere;
  // In local mode the job runs here; if another process holds its lease, it is asked again until
  // that lease runs out (a process that died) or the deployment ends (one that finishes it).
  let running: Promise<boolean> | undefined;
  let failure: unknown;
  let lastNews = Date.now();
  let toldWhy = false;
  for (;;) {
    if (local && !running && !ENDED.has(page.deployment.status)) {
      running = client.runJobHere(page.deployment.job_id).then(
        (ran) => {
          if (!ran) running = undefined;
          return ran;
        },
        (error: unknown) => {
          failure = error;
          return false;
        },
      );
    }
    for (const event of page.events) {
      after = event.seq;
      if (event.type === 'step' && event.progress === 100 && event.step) done.add(event.step);
      show(event, done, style, out);
    }
    if (failure) throw failure;
    if (ENDED.has(page.deployment.status) && page.events.length === 0) break;
    if (page.events.length > 0) lastNews = Date.now();
    else if (!toldWhy && Date.now() - lastNews >= QUIET_MS) {
      toldWhy = true;
      // ids come from the API (another login's server, over HTTP): shown as every note is, escaped
      process.stderr.write(`${style === 'bar' ? '\n' : ''}${terminalSafe(quietNote(page.deployment, local))}\n`);
    }
    if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    page = await client.deployments.events(id, after);
  }
  await running;
  if (style === 'bar') out.write('\n');
  return page.deployment;
}

/** Why a deployment may show nothing new: no worker took its job, or the one that did died and its lease has not run out. */
function quietNote(deployment: Deployment, local: boolean): string {
  const seconds = Math.round(QUIET_MS / 1000);
  if (deployment.status === 'queued' && !local) {
    return `Note: deployment ${deployment.id} is still queued after ${seconds} s: a worker runs it (\`dotmac server start\` without --no-worker, or \`dotmac worker\`); is one running against this API's database?`;
  }
  return `Note: no news of deployment ${deployment.id} (${deployment.status}) for ${seconds} s: a step may be slow, or the worker running it stopped, and another takes its job when its lease runs out (\`dotmac jobs get ${deployment.job_id}\`)`;
}

function show(event: DeploymentEvent, done: Set<string>, style: ProgressStyle, out: NodeJS.WriteStream): void {
  if (style === 'json-lines') {
    out.write(`${jsonText(event)}\n`);
    return;
  }
  if (style !== 'bar') return;
  const current = event.type === 'step' ? (event.progress ?? 0) : 0;
  const finished = STEPS.filter((s) => done.has(s)).length;
  const share = event.type === 'step' && !done.has(event.step ?? '') ? current : 0;
  const percent = Math.min(100, Math.round((finished * 100 + share) / STEPS.length));
  const width = 24;
  const filled = Math.round((percent / 100) * width);
  const label = event.type === 'step' ? `${event.step}${event.message ? `: ${event.message}` : ''}` : (event.status ?? '');
  out.write(`\r\u001b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${terminalSafe(label).slice(0, 60)}`);
}

/**
 * Before a command queues a deployment with --wait: in local mode its job runs in this process,
 * with the driver the environment names, so a setting `dotmac worker` would refuse is refused
 * here too, before anything is queued.
 */
export function refuseBadLocalDriver(client: ApiClient, wait: boolean, env: NodeJS.ProcessEnv): void {
  if (!wait || !client.runsJobsHere) return;
  const chosen = localProvisioning(env);
  if (isSettingProblem(chosen)) throw usageError(chosen.message, chosen.hint);
}

/** After a command queued a deployment: follow it (--wait), or say who runs it and how to follow it. */
export async function afterQueued(
  client: ApiClient,
  deployment: Deployment,
  wait: boolean,
  note: (line: string) => void,
): Promise<Deployment> {
  if (!wait) {
    note(
      client.runsJobsHere
        ? `Queued deployment ${deployment.id} (job ${deployment.job_id}). In local mode it runs when you follow it, dotmac deployments watch ${deployment.id} (or pass --wait next time), or when a \`dotmac worker\` on this workspace takes it`
        : `Queued deployment ${deployment.id} (job ${deployment.job_id}); a worker of the server's runs it. Follow it: dotmac deployments watch ${deployment.id}`,
    );
    return deployment;
  }
  const ended = await followDeployment(client, deployment.id, process.stderr.isTTY ? 'bar' : 'none', process.stderr);
  if (ended.status === 'failed') {
    throw new CliError(`deployment ${ended.id} failed: ${ended.failure_reason ?? 'no reason given'}`, `fix the cause, then \`dotmac jobs retry ${ended.job_id}\` (finished steps are not repeated)`, EXIT.error, 'deployment_failed');
  }
  note(`Deployment ${ended.id} ${ended.status}${ended.endpoint_url ? `: ${ended.endpoint_url}` : ''}`);
  return ended;
}
