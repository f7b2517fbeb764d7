// `npm run build` replaces dist/ while people (and other tests) run the CLI: every start during a
// build must find whole bundles, old or new, never a missing one.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cleanup, ROOT, runCli } from './cli.js';

afterAll(cleanup);

it('keeps the CLI runnable while a build replaces its bundles', { timeout: 120_000 }, async () => {
  const build = spawn(process.execPath, [join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let buildErrors = '';
  build.stderr!.setEncoding('utf8').on('data', (chunk: string) => (buildErrors += chunk));
  const finished = new Promise<number | null>((resolve) => build.on('close', resolve));
  let running = true;
  void finished.then(() => (running = false));
  const results = [];
  do results.push(await runCli(['--version'], { env: { DOTMAC_CODE_CACHE: '0' } }));
  while (running || results.length < 3);
  expect(await finished, buildErrors).toBe(0);
  for (const res of results) expect([res.code, res.stderr]).toEqual([0, '']);
  expect(results.length).toBeGreaterThan(2);
});
