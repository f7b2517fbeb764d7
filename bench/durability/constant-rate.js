// An open-model load generator: request i is due at start + i / rate whatever happened to the
// requests before it, and its latency counts from when it was due, so a server that stalls
// cannot hide the queue it builds (no coordinated omission).
//
// autocannon's --overallRate / --connectionRate do not do this: each connection sends its whole
// per-second quota back to back at the top of every second and then idles, so the server sees a
// burst a second, and its correction for coordinated omission assumes a 1 ms interval at any
// rate (Math.ceil(1 / rate)), which adds made-up samples to every response slower than 1 ms.
import http from 'node:http';

/**
 * Sends `rate` requests a second for `seconds` seconds; `plan(i)` says what request i is
 * ({ kind, method, path, headers, body }). Resolves with each kind's answers and latencies.
 */
export async function constantRate({ url, rate, seconds, plan, timeoutMs = 10_000, maxSockets = 64 }) {
  const base = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const kinds = new Map();
  const stats = (kind) => {
    if (!kinds.has(kind)) kinds.set(kind, { statuses: {}, errors: [], fromDue: [], fromSent: [] });
    return kinds.get(kind);
  };
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now();
  const inFlight = new Set();
  let maxLateMs = 0;
  const worstBySecond = new Array(Math.ceil(seconds)).fill(0);
  for (let i = 0; i < total; ) {
    const now = performance.now();
    // everything that is due by now goes out now, however late this loop woke
    for (; i < total && start + i * interval <= now; i++) {
      const due = start + i * interval;
      maxLateMs = Math.max(maxLateMs, now - due);
      const request = plan(i);
      const done = send(agent, base, request, timeoutMs).then((outcome) => {
        const s = stats(request.kind);
        const end = performance.now();
        if (outcome.status) {
          s.statuses[outcome.status] = (s.statuses[outcome.status] ?? 0) + 1;
          s.fromDue.push(end - due);
          s.fromSent.push(end - now);
          const second = Math.floor((due - start) / 1000);
          worstBySecond[second] = Math.max(worstBySecond[second], end - due);
          request.onAnswer?.(outcome.status, outcome.body);
        } else {
          s.errors.push(outcome.error);
        }
        inFlight.delete(done);
      });
      inFlight.add(done);
    }
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  return {
    elapsedSeconds: elapsed,
    maxLateMs,
    /** the slowest answer to the requests due in each second, to tell a stall from a steady queue */
    worstBySecond: worstBySecond.map(Math.round),
    kinds: Object.fromEntries(
      [...kinds].map(([kind, s]) => [
        kind,
        { requests: Object.values(s.statuses).reduce((a, b) => a + b, 0) + s.errors.length, statuses: s.statuses, errors: s.errors, fromDue: summary(s.fromDue), fromSent: summary(s.fromSent) },
      ]),
    ),
  };
}

function send(agent, base, { method, path, headers, body }, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(body);
  });
}

/** Percentiles in milliseconds, one decimal. */
function summary(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (q) => round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

const round = (ms) => Math.round(ms * 10) / 10;
