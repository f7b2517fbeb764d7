// What the durability scripts share: a throwaway workspace made by the built CLI, CLI processes
// and `dotmac server start` processes run in it, and a look at the database afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');

export function requireBuild() {
  if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) {
    console.error('dist/ is missing: run `npm run build` first');
    process.exit(1);
  }
}

/** `--name value` from argv, else the fallback (numbers stay numbers). */
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  return typeof fallback === 'number' ? Number(value) : value;
}

export const flag = (name) => process.argv.includes(`--${name}`);

/**
 * A fresh HOME and `dotmac init --dir <home>/ws` (SQLite, or PostgreSQL with a URL): the
 * `local` profile it saves is current, so CLI processes run in local mode on that file.
 */
export async function createWorkspace({ tenants, databaseUrl } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'dotmac-durability-'));
  const dir = join(home, 'ws');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: tmpdir(), LANG: 'C.UTF-8', NO_COLOR: '1' };
  const args = ['init', '--dir', dir, '--json'];
  if (tenants) args.push('--tenants', String(tenants));
  if (databaseUrl) args.push('--database-url', databaseUrl);
  const init = await runCli(env, args).done;
  if (init.code !== 0) throw new Error(`dotmac init exited ${init.code}: ${init.stderr}`);
  const token = databaseUrl ? JSON.parse(init.stdout).token : JSON.parse(readFileSync(join(home, '.config', 'dotmac', 'config.json'), 'utf8')).profiles.local.token;
  return { home, dir, db: join(dir, 'dotmac.db'), env, token, remove: () => rmSync(home, { recursive: true, force: true }) };
}

const running = new Set();
// A script that fails half-way must not leave servers or writers behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns `dotmac <args>`; `done` resolves with its exit code or the signal that ended it. */
export function runCli(env, args) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: env.HOME, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const done = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/**
 * `dotmac server start` on a free port with rate limits off; resolves once it listens. `exited`
 * resolves with the exit code or signal, whenever that happens.
 */
export function startServer(ws, extraArgs = []) {
  const { child, done } = runCli(ws.env, ['server', 'start', '--dir', ws.dir, '--port', '0', '--quiet', '--rate-limit', '0', ...extraArgs]);
  const exited = done.then((r) => ({ ...r, ended: r.signal ?? r.code }));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('server start printed no "listening on" line within 60 s'));
    }, 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, url: match[1], exited });
    });
    exited.then((r) => {
      clearTimeout(timer);
      reject(new Error(`server start exited ${r.ended} before listening: ${r.stderr}`));
    });
  });
}

/** SIGTERM, and the server must then exit 0 once its in-flight requests are done. */
export async function stopServer(server) {
  server.child.kill('SIGTERM');
  const r = await server.exited;
  if (r.code !== 0) throw new Error(`server exited ${r.ended} after SIGTERM: ${r.stderr}`);
}

/** `dotmac audit verify --json` through the given environment (local mode, or a server's URL and token). */
export async function verifyAudit(env) {
  const r = await runCli(env, ['audit', 'verify', '--json']).done;
  let check;
  try {
    check = JSON.parse(r.code === 0 ? r.stdout : r.stderr);
  } catch {
    check = { ok: false, problem: r.stderr.trim() || `exit ${r.code}` };
  }
  return { exit: r.code, ...check };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded generator (mulberry32), so a failing run can be repeated with --seed. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
