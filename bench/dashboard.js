// The dashboard's time to its first full frame (the header's refresh time and the first list's
// rows drawn), from spawning it in a 100×30 pseudo-terminal (util-linux `script`), as a ratio to
// `node -e 0` measured in the same run, the two taking turns.
import { spawn, spawnSync } from 'node:child_process';
import { CLI } from './processes.js';

const FULL_FRAME = /refreshed \d\d:\d\d:\d\d[\s\S]*Tenants · \d+ rows/;

function firstFrameOnce(env, workspace) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const command = `stty cols 100 rows 30; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} dashboard`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, DOTMAC_DB: workspace.db, DOTMAC_TOKEN: workspace.token, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the dashboard drew no full frame in 30 s:\n${screen.slice(-2000)}`));
    }, 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      screen += chunk;
      // eslint-disable-next-line no-control-regex
      if (FULL_FRAME.test(screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''))) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        clearTimeout(timer);
        child.stdin.write('q');
        child.once('exit', () => resolve(ms));
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        screen = '';
      }
    });
  });
}

function nodeOnce(env) {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0'], { env });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

export async function measureDashboardFirstFrame({ env, workspace, runs, warmup, log }) {
  const frame = [];
  const node = [];
  for (let round = 0; round < warmup + runs; round++) {
    const f = await firstFrameOnce(env, workspace);
    const n = nodeOnce(env);
    if (round >= warmup) {
      frame.push(f);
      node.push(n);
    }
  }
  const result = { frame: median(frame), node: median(node) };
  log(`dashboard first full frame: median ${result.frame.toFixed(1)} ms; node -e 0 ${result.node.toFixed(1)} ms; ratio ${(result.frame / result.node).toFixed(2)} ×`);
  return result;
}

export function dashboardSection({ frame, node }, tenants, command, machine, stamp) {
  return [
    '<!-- dashboard -->',
    '## Dashboard: time to the first full frame',
    '',
    `\`${command}\`, ${stamp} UTC; ${machine}.`,
    '',
    `\`dotmac dashboard\` (local mode, ${tenants} tenants) in a 100×30 pseudo-terminal, from spawning it to its first frame with the header's refresh time and the tenants list drawn; medians.`,
    '',
    '| what | median | ratio to `node -e 0` |',
    '| --- | ---: | ---: |',
    `| node -e 0 | ${node.toFixed(1)} ms | 1.00 × |`,
    `| dotmac dashboard, first full frame | ${frame.toFixed(1)} ms | ${(frame / node).toFixed(2)} × |`,
    '<!-- /dashboard -->',
  ].join('\n');
}
