// npm start: in a terminal, the dashboard on the demo workspace; without one (a pipe, CI), the
// overview as text. Either way the demo workspace is created first when there is no profile yet.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'run.js');
const terminal = process.stdout.isTTY && process.stdin.isTTY;
const args = terminal ? ['dashboard', '--init-demo'] : ['overview', '--init-demo'];
const result = spawnSync(process.execPath, [bin, ...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
