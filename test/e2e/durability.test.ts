// Short versions of the durability scripts in bench/durability (the full ones: `npm run
// durability`, `npm run load`), run as a user would run them against the built CLI.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './cli.js';

interface ScriptRun {
  code: number | null;
  report: Record<string, unknown> & { ok: boolean };
  stderr: string;
}

function runScript(script: string, args: string[]): Promise<ScriptRun> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'durability', script), ...args, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, report: JSON.parse(stdout), stderr });
      } catch {
        reject(new Error(`${script} exited ${code} without a report\nstdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
  });
}

it('kill -9 trials: no acknowledged create is lost, the file is intact and the audit chain verifies', { timeout: 180_000 }, async () => {
  // seed 5 makes two of the six victims the server and four CLI processes; the moments are random
  const { code, report, stderr } = await runScript('kill-trials.js', ['--trials', '6', '--seed', '5']);
  const shown = `${JSON.stringify(report, null, 2)}\n${stderr}`;
  expect(report.kills, shown).toMatchObject({ server: 2, cli: 4 });
  expect(report.lost, shown).toEqual([]);
  expect(report.unexpected_failures, shown).toEqual([]);
  expect(report.integrity_check, shown).toBe('ok');
  expect(report.audit_verify, shown).toMatchObject({ exit: 0, ok: true });
  const acknowledged = report.acknowledged as { cli: number; http: number };
  expect(acknowledged.cli, shown).toBeGreaterThan(0);
  expect(acknowledged.http, shown).toBeGreaterThan(0);
  expect(report.ok, shown).toBe(true);
  expect(code, shown).toBe(0);
});

it('a fixed-rate load run: no errors, and as many new rows as 201s the client saw', { timeout: 120_000 }, async () => {
  // latency budgets are for `npm run load` on a quiet machine; here only what must hold under any load
  const { code, report, stderr } = await runScript('load-run.js', ['--seconds', '3', '--warmup', '0', '--rate', '50', '--tenants', '200', '--no-latency']);
  const shown = `${JSON.stringify(report, null, 2)}\n${stderr}`;
  const clients = report.clients as { name: string; errors: number; unexpected_statuses: object }[];
  expect(clients.map((c) => [c.name, c.errors, c.unexpected_statuses]), shown).toEqual([
    ['list', 0, {}],
    ['get', 0, {}],
    ['create', 0, {}],
  ]);
  expect(report.created_201, shown).toBe(30);
  expect(report.created_rows, shown).toBe(30);
  expect(report.audit_verify, shown).toMatchObject({ ok: true });
  expect(code, shown).toBe(0);
});
