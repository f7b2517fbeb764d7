// Requests per second of the API against floors measured in the same run: GET /v1/tenants?limit=50
// against bench/floor-server.js over the same database, GET /v1/me against GET /healthz of the same
// server. autocannon with 50 connections on loopback; the targets take turns round by round, so a
// neighbour's load falls on all of them alike.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { CLI, ROOT, startListening } from './processes.js';
import { join } from 'node:path';

const CONNECTIONS = 50;

/** CPU seconds (user + system) a process has used so far, where /proc tells; else undefined. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export function cannon(target, seconds) {
  return autocannon({ url: target.url, connections: target.connections ?? CONNECTIONS, duration: seconds, headers: target.headers });
}

/** One timed run against a target: req/s, latency percentiles and the server's CPU per request. */
export async function measureOnce(target, seconds) {
  const cpuBefore = cpuSeconds(target.pid);
  const result = await cannon(target, seconds);
  const cpuAfter = cpuSeconds(target.pid);
  const ok = result['2xx'];
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`${target.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMicros: cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1e6) / ok,
  };
}

export const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};

/**
 * Starts the dotmac server (rate limits on, set far above what the run sends, so their cost is
 * paid and none answers 429), the same without /metrics, and the floor over one seeded workspace,
 * and measures them.
 */
export async function measureThroughput({ env, workspace, rounds, seconds, warmupSeconds, log }) {
  const serve = (...flags) => startListening(env, [CLI, 'server', 'start', '--quiet', '--port', '0', '--dir', workspace.dir, '--rate-limit', '1000000000', ...flags]);
  const [api, bare, floor] = await Promise.all([serve(), serve('--no-metrics'), startListening(env, [join(ROOT, 'bench', 'floor-server.js'), workspace.db])]);
  const bearer = { authorization: `Bearer ${workspace.token}` };
  const targets = [
    { key: 'floor', label: 'floor: node:http + better-sqlite3, same 50-row query', url: `${floor.url}/v1/tenants?limit=50`, pid: floor.pid },
    { key: 'list', label: 'GET /v1/tenants?limit=50', url: `${api.url}/v1/tenants?limit=50`, headers: bearer, pid: api.pid },
    { key: 'listBare', label: 'GET /v1/tenants?limit=50 (server --no-metrics)', url: `${bare.url}/v1/tenants?limit=50`, headers: bearer, pid: bare.pid },
    { key: 'healthz', label: 'GET /healthz', url: `${api.url}/healthz`, pid: api.pid },
    { key: 'me', label: 'GET /v1/me', url: `${api.url}/v1/me`, headers: bearer, pid: api.pid },
  ];
  try {
    for (const target of targets) await cannon(target, warmupSeconds);
    const runs = Object.fromEntries(targets.map((t) => [t.key, []]));
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const m = await measureOnce(target, seconds);
        runs[target.key].push(m);
        log(`round ${round + 1}/${rounds}  ${target.label.padEnd(52)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms${m.cpuMicros ? `  ${m.cpuMicros.toFixed(0)} µs CPU/req` : ''}`);
      }
    }
    return targets.map((t) => ({
      key: t.key,
      label: t.label,
      rps: median(runs[t.key].map((m) => m.rps)),
      p50: median(runs[t.key].map((m) => m.p50)),
      p99: median(runs[t.key].map((m) => m.p99)),
      cpuMicros: median(runs[t.key].map((m) => m.cpuMicros)),
    }));
  } finally {
    await Promise.all([api.stop(), bare.stop(), floor.stop()]);
  }
}
