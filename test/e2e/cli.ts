// Runs the built CLI as a subprocess, the way a new user or a CI job would: its own HOME, no
// terminal, no DOTMAC_* leaking in from the developer's shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');

if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) {
  throw new Error('test/e2e runs the built CLI, but dist/cli.cjs does not exist: run `npm run build` first');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** added to the isolated environment; `undefined` removes a variable */
  env?: Record<string, string | undefined>;
  /** written to stdin, which is a pipe (never a terminal) and then closed */
  input?: string;
  /** default: the HOME, so relative paths never land in the repository */
  cwd?: string;
  /** kill the process after this long; a hung CLI fails the test instead of the whole run */
  timeoutMs?: number;
}

const tempDirs: string[] = [];
const servers = new Set<ChildProcess>();

/** A fresh directory under the OS temp dir, removed by cleanup(). */
export function tempDir(prefix = 'dotmac-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** For afterAll: kills servers a failed test left running, then removes the temp dirs. */
export function cleanup(): void {
  for (const child of servers) child.kill('SIGKILL');
  servers.clear();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Only what a process needs to run: nothing from the caller's DOTMAC_*, XDG_*, proxies or colour settings. */
function isolatedEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: extra.HOME ?? tempDir('dotmac-home-'),
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function spawnCli(args: string[], opts: RunOptions): ChildProcess {
  const env = isolatedEnv(opts.env);
  mkdirSync(env.HOME!, { recursive: true });
  return spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? env.HOME,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin!.on('error', () => undefined); // the CLI may exit before reading its input
  child.stdin!.end(opts.input ?? '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dotmac ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed and parses its --json output (--json is added). */
export async function cliJson<T = unknown>(args: string[], opts: RunOptions = {}): Promise<T> {
  const res = await runCli([...args, '--json'], opts);
  if (res.code !== 0) throw new Error(`dotmac ${args.join(' ')} --json exited ${res.code}\nstderr: ${res.stderr}\nstdout: ${res.stdout}`);
  return JSON.parse(res.stdout) as T;
}

export interface RunningServer {
  url: string;
  /** everything the server printed on stdout so far: the listening line, then the access log */
  output(): string;
  /** SIGTERM, then wait for the exit; a server that does not exit 0 fails the test */
  stop(): Promise<void>;
}

/**
 * Spawns `dotmac ARGS` and waits for `pattern` in what it prints on `stream` (within 20 s); the
 * process is killed by cleanup() if a test leaves it running.
 */
function spawnUntil(args: string[], env: Record<string, string | undefined>, stream: 'stdout' | 'stderr', pattern: RegExp) {
  const child = spawnCli(args, { env });
  child.stdin!.end();
  servers.add(child);
  const printed = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (printed.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (printed.stderr += chunk));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => {
      servers.delete(child);
      resolve(code ?? signal);
    }),
  );
  const name = `dotmac ${args.slice(0, 2).join(' ')}`;
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} printed nothing matching ${pattern} within 20 s\nstdout: ${printed.stdout}\nstderr: ${printed.stderr}`));
    }, 20_000);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited ${code} before it was ready\nstdout: ${printed.stdout}\nstderr: ${printed.stderr}`));
    });
    child[stream]!.on('data', () => {
      const match = pattern.exec(printed[stream]);
      if (!match) return;
      clearTimeout(timer);
      resolve(match);
    });
  });
  return { child, printed, exited, ready };
}

export async function startServer(env: Record<string, string | undefined>, extraArgs: string[] = []): Promise<RunningServer> {
  const { child, printed, exited, ready } = spawnUntil(['server', 'start', '--port', '0', ...extraArgs], env, 'stdout', /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const match = await ready;
  return {
    url: match[1]!,
    output: () => printed.stdout,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`server exited ${code} after SIGTERM\nstderr: ${printed.stderr}`);
    },
  };
}

export interface Workspace {
  /** the HOME of every command run through this workspace */
  home: string;
  /** the workspace directory `init --dir` created: database and signing key */
  dir: string;
  db: string;
  /** what `init` printed */
  init: CliResult;
  /** the bootstrap master_admin token from the `local` profile */
  token: string;
  env: Record<string, string>;
  run(args: string[], opts?: RunOptions): Promise<CliResult>;
  json<T = unknown>(args: string[], opts?: RunOptions): Promise<T>;
}

/** A fresh temp HOME plus `dotmac init --dir <tmp>/ws`, as a new user starts. */
export async function newWorkspace(initArgs: string[] = []): Promise<Workspace> {
  const root = tempDir();
  const home = join(root, 'home');
  const dir = join(root, 'ws');
  const env = { HOME: home };
  const init = await runCli(['init', '--dir', dir, ...initArgs], { env, timeoutMs: 120_000 });
  if (init.code !== 0) throw new Error(`dotmac init exited ${init.code}\nstderr: ${init.stderr}`);
  const config = JSON.parse(readFileSync(join(home, '.config', 'dotmac', 'config.json'), 'utf8')) as {
    profiles: Record<string, { token: string; db: string }>;
  };
  const local = config.profiles.local!;
  const merge = (opts: RunOptions = {}): RunOptions => ({ ...opts, env: { ...env, ...opts.env } });
  return {
    home,
    dir,
    db: local.db,
    init,
    token: local.token,
    env,
    run: (args, opts) => runCli(args, merge(opts)),
    json: (args, opts) => cliJson(args, merge(opts)),
  };
}

/**
 * stderr of a failed command: `Error: …` and at most a `Hint: …` line, never a stack trace. Notes
 * said before the failure (an environment variable overriding a profile) may precede them.
 */
export function expectOneLineError(res: CliResult): { message: string; hint?: string } {
  const lines = res.stderr.replace(/\n$/, '').split('\n').filter((line) => !/^(Note|Warning): /.test(line));
  const problems: string[] = [];
  if (/\n\s+at\s/.test(res.stderr)) problems.push('stderr has a stack trace');
  if (lines.length > 2) problems.push(`stderr has ${lines.length} lines`);
  if (!lines[0]?.startsWith('Error: ')) problems.push('stderr does not start with "Error: "');
  if (lines[1] !== undefined && !lines[1].startsWith('Hint: ')) problems.push('second line is not "Hint: "');
  if (problems.length) throw new Error(`${problems.join('; ')}:\n${res.stderr}`);
  return { message: lines[0]!.slice('Error: '.length), hint: lines[1]?.slice('Hint: '.length) };
}

export interface RunningWorker {
  /** the id it leases jobs under, from the line it prints when it starts */
  id: string;
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
  /** its exit code, or the signal that ended it */
  exited: Promise<number | string | null>;
}

/** `dotmac worker ARGS`, once it says it is running. */
export async function startWorker(env: Record<string, string | undefined>, args: string[] = []): Promise<RunningWorker> {
  const { child, printed, exited, ready } = spawnUntil(['worker', ...args], env, 'stderr', /dotmac worker (\S+) running/);
  const match = await ready;
  return { id: match[1]!, stderr: () => printed.stderr, kill: (signal) => child.kill(signal), exited };
}
