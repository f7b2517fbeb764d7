import { ProvisioningFailure, type ProvisioningDriver } from './driver.js';

export interface ExecOptions {
  /** the operator's provisioning program (run without a shell, no arguments) */
  command: string;
  /** killed, with its whole process group, after this long */
  timeoutMs: number;
}

const STDERR_TAIL = 500;

/**
 * Runs the operator's command once per run of the job. It gets the deployment as JSON on stdin
 * ({deployment, tenant, steps, completed_steps}), prints one JSON line per progress report on
 * stdout ({"step": "provision", "progress": 100, "message": "...", "endpoint_url": "..."}), and
 * exits 0 on success. Anything else fails the deployment with a reason: a non-zero exit (the tail
 * of its stderr), a line that is not a progress report, a timeout (the process group is killed).
 */
export function execDriver(options: ExecOptions): ProvisioningDriver {
  return {
    name: 'exec',
    provision({ deployment, tenant, steps, completed, signal, report }) {
      return new Promise((resolve, reject) => {
        // loaded here, not with the API: child_process (with net and dgram) and readline cost every local command ~3 ms
        const { spawn } = process.getBuiltinModule('node:child_process');
        const { createInterface } = process.getBuiltinModule('node:readline');
        const child = spawn(options.command, [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, shell: false });
        let stderr = '';
        let endpoint: string | null = null;
        let failure: Error | undefined;
        let exited = false;
        const kill = (why: Error) => {
          failure ??= why;
          if (exited || child.pid === undefined) return;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        };
        const timer = setTimeout(() => kill(new ProvisioningFailure(`the provisioning command did not finish within ${Math.round(options.timeoutMs / 1000)}s and was killed`)), options.timeoutMs);
        const onAbort = () => kill(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL * 4);
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(JSON.stringify({ deployment, tenant, steps, completed_steps: [...completed] }));
        // Lines are handled one at a time, each report written before the next is read.
        const reader = createInterface({ input: child.stdout });
        const lines = (async () => {
          for await (const line of reader) {
            if (failure) continue;
            if (line.trim() === '') continue;
            const parsed = progressLine(line, steps);
            if (typeof parsed === 'string') {
              kill(new ProvisioningFailure(parsed));
              continue;
            }
            if (parsed.endpoint_url) endpoint = parsed.endpoint_url;
            await report(parsed.step, parsed.progress, parsed.message).catch((error: Error) => kill(error));
          }
        })();
        child.on('error', (error) => {
          exited = true;
          failure ??= new ProvisioningFailure(`the provisioning command could not be started: ${error.message}`);
        });
        // A program that left a child of its own holding stdout open (outside its process group)
        // must not keep the deployment waiting: its output is read for a second after it exits.
        child.on('exit', () => {
          exited = true;
          setTimeout(() => {
            reader.close();
            child.stdout.destroy();
            child.stderr.destroy();
          }, 1_000).unref();
        });
        child.on('close', (code, sig) => {
          exited = true;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          lines.then(() => {
            if (failure) return reject(failure);
            if (code === 0) return resolve({ endpoint_url: endpoint });
            const tail = stderr.trim().slice(-STDERR_TAIL).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
            const how = code === null ? `was killed by ${sig}` : `exited with ${code}`;
            reject(new ProvisioningFailure(`the provisioning command ${how}${tail ? `: ${tail}` : ' (nothing on stderr)'}`));
          }, reject);
        });
      });
    },
  };
}

interface ProgressLine {
  step: string;
  progress: number;
  message?: string;
  endpoint_url?: string;
}

/** A progress report, or why the line is not one. */
export function progressLine(line: string, steps: readonly string[]): ProgressLine | string {
  const shown = JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `the provisioning command printed a line that is not JSON: ${shown}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `the provisioning command printed a line that is not a progress object: ${shown}`;
  const { step, progress, message, endpoint_url } = value as Record<string, unknown>;
  if (typeof step !== 'string' || !steps.includes(step)) return `the provisioning command reported an unknown step ${JSON.stringify(step)} (the steps are ${steps.join(', ')})`;
  if (typeof progress !== 'number' || !Number.isFinite(progress) || progress < 0 || progress > 100) return `the provisioning command reported progress ${JSON.stringify(progress)} for ${step}; it must be a number from 0 to 100`;
  if (message !== undefined && typeof message !== 'string') return `the provisioning command reported a message that is not a string for ${step}`;
  if (endpoint_url !== undefined && (typeof endpoint_url !== 'string' || !isHttpUrl(endpoint_url))) return `the provisioning command reported an endpoint_url that is not an http(s) URL`;
  return { step, progress: Math.round(progress), message: message?.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ').slice(0, 500), endpoint_url: endpoint_url as string | undefined };
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
