import { ProvisioningFailure, type ProvisioningDriver } from './driver.js';
import { LineSplitter, OutputTail } from './program-output.js';
import { BIDI_CONTROLS, C0, DEL_C1, INVISIBLES } from '../../../../core/unsafe-text.js';

/** What a progress message loses: control, bidi, zero-width and separator characters. */
const UNSAFE_RUN = new RegExp(`[${C0}${DEL_C1}${INVISIBLES}${BIDI_CONTROLS}]+`, 'g');

export interface ExecOptions {
  /** the operator's provisioning program (run without a shell, no arguments) */
  command: string;
  /** killed, with its whole process group, after this long */
  timeoutMs: number;
  /** the environment it is given, less dotmac's own variables (default: this process's) */
  env?: NodeJS.ProcessEnv;
}

/** A progress line longer than this fails the deployment: a program's output is never held whole. */
export const MAX_PROGRESS_LINE_BYTES = 64 * 1024;
/** The failure reason quotes at most this much of the end of stderr, in whole lines… */
const STDERR_TAIL = 500;
/** …from the last bytes of it, the only ones kept. */
const STDERR_KEPT_BYTES = 8 * 1024;
/** setTimeout clamps anything longer to 1 ms. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs the operator's command once per run of the job. It gets the deployment as JSON on stdin
 * ({deployment, tenant, steps, completed_steps}), prints one JSON line per progress report on
 * stdout ({"step": "provision", "progress": 100, "message": "...", "endpoint_url": "..."}), and
 * exits 0 on success. Anything else fails the deployment with a reason: a non-zero exit (the tail
 * of its stderr), a line that is not a progress report or is longer than 64 KiB, a timeout. Its
 * environment is the worker's without dotmac's own variables (programEnvironment). When it ends,
 * however it ends, what is left of its process group is killed.
 */
export function execDriver(options: ExecOptions): ProvisioningDriver {
  return {
    name: 'exec',
    provision({ deployment, tenant, steps, completed, signal, report }) {
      return new Promise((resolve, reject) => {
        // loaded here, not with the API: child_process (with net and dgram) costs every local command ~3 ms
        const { spawn } = process.getBuiltinModule('node:child_process');
        const child = spawn(options.command, [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, shell: false, env: programEnvironment(options.env ?? process.env) });
        const stderr = new OutputTail(STDERR_KEPT_BYTES);
        let endpoint: string | null = null;
        let failure: Error | undefined;
        let exited = false;
        const killGroup = () => {
          if (child.pid === undefined) return false;
          try {
            process.kill(-child.pid, 'SIGKILL');
            return true;
          } catch {
            return false; // nothing is left of it
          }
        };
        const kill = (why: Error) => {
          failure ??= why;
          // once it has exited, its group was killed then
          if (!exited && !killGroup()) child.kill('SIGKILL');
        };
        const timer = setTimeout(
          () => kill(new ProvisioningFailure(`the provisioning command did not finish within ${Math.round(options.timeoutMs / 1000)}s and was killed`)),
          Math.min(options.timeoutMs, LONGEST_TIMER_MS),
        );
        const onAbort = () => kill(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        child.stdin.on('error', () => undefined);
        child.stdin.end(JSON.stringify({ deployment, tenant, steps, completed_steps: [...completed] }));
        const handle = async (line: string) => {
          if (failure || line.trim() === '') return;
          const parsed = progressLine(line, steps);
          if (typeof parsed === 'string') return kill(new ProvisioningFailure(parsed));
          if (parsed.endpoint_url) endpoint = parsed.endpoint_url;
          await report(parsed.step, parsed.progress, parsed.message).catch((error: Error) => kill(error));
        };
        // Lines are handled one at a time, each report written before the next chunk is read; after
        // a failure what it prints is read and dropped, so the program is never blocked on a full pipe.
        const lines = (async () => {
          const splitter = new LineSplitter(MAX_PROGRESS_LINE_BYTES);
          try {
            for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
              if (failure) continue;
              const split = splitter.push(chunk);
              for (const line of split.lines) await handle(line);
              if (split.tooLong) kill(new ProvisioningFailure(`the provisioning command printed a progress line longer than ${MAX_PROGRESS_LINE_BYTES / 1024} KiB and was killed`));
            }
          } catch {
            // stdout destroyed a second after the exit (below): what it held is not waited for
          }
          for (const line of splitter.end()) await handle(line);
        })();
        child.on('error', (error) => {
          exited = true;
          failure ??= new ProvisioningFailure(`the provisioning command could not be started: ${error.message}`);
        });
        child.on('exit', () => {
          exited = true;
          // what it started in the background dies with it, whether it succeeded or not
          killGroup();
          // A child of another session holding stdout open must not keep the deployment waiting
          // either: its output is read for a second after the exit.
          setTimeout(() => {
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
            const tail = stderr.quote(STDERR_TAIL);
            const how = code === null ? `was killed by ${sig}` : `exited with ${code}`;
            reject(new ProvisioningFailure(`the provisioning command ${how}${tail ? `: ${tail}` : ' (nothing on stderr)'}`));
          }, reject);
        });
      });
    },
  };
}

/**
 * What the program inherits: this process's environment without dotmac's own settings and
 * secrets, which it has no use for: every DOTMAC_* variable (tokens, the metrics secret, the
 * database), DATABASE_URL, and libpq's PG* variables (PGPASSWORD, PGHOST, …).
 */
export function programEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(DOTMAC_|PG[A-Z])|^DATABASE_URL$/.test(name)));
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
  if (step === undefined || step === null) return `the provisioning command printed a progress line with no step: ${shown} (the steps are ${steps.join(', ')})`;
  if (typeof step !== 'string' || !steps.includes(step)) return `the provisioning command reported an unknown step ${JSON.stringify(step)} (the steps are ${steps.join(', ')})`;
  if (typeof progress !== 'number' || !Number.isFinite(progress) || progress < 0 || progress > 100) return `the provisioning command reported progress ${JSON.stringify(progress)} for ${step}; it must be a number from 0 to 100`;
  if (message !== undefined && typeof message !== 'string') return `the provisioning command reported a message that is not a string for ${step}`;
  if (endpoint_url !== undefined && (typeof endpoint_url !== 'string' || !isHttpUrl(endpoint_url))) return `the provisioning command reported an endpoint_url that is not an http(s) URL`;
  if (endpoint_url !== undefined && hasCredentials(endpoint_url)) return 'the provisioning command reported an endpoint_url with a user name or password in it; an endpoint is stored and shown, so it must not hold credentials';
  return { step, progress: Math.round(progress), message: message?.replace(UNSAFE_RUN, ' ').slice(0, 500), endpoint_url: endpoint_url as string | undefined };
}

/** A URL with a user name or password in it: an endpoint is stored and shown to the tenant's people, so it holds no credentials. */
export function hasCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
