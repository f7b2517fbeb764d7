// `dotmac dashboard` at a real terminal (tmux, 100×30) on a fresh demo workspace: move, filter,
// drill down and back, suspend a tenant with confirmation, quit; the screen and the CLI agree.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cleanup, newWorkspace } from './cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('test/e2e/dashboard-tmux.test.ts skipped: tmux is not installed (.ci/run installs it)');
const sessions: string[] = [];

afterAll(() => {
  for (const name of sessions) spawnSync('tmux', ['kill-session', '-t', name]);
  cleanup();
});

function dashboardIn(home: string, args: string[] = []) {
  const name = `dotmac-dash-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const env = `env -i PATH="${process.env.PATH}" HOME="${home}" LANG=C.UTF-8 TERM=xterm-256color`;
  const command = `${env} ${process.execPath} ${join(ROOT, 'bin', 'run.js')} dashboard ${args.join(' ')}; echo "dashboard-exit=$?"; sleep 600`;
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '100', '-y', '30', command]);
  const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' });
  return {
    screen,
    keys: (...keys: string[]) => execFileSync('tmux', ['send-keys', '-t', name, ...keys]),
    text: (text: string) => execFileSync('tmux', ['send-keys', '-t', name, '-l', text]),
    /** the screen once it shows the pattern (20 s at most) */
    async waitFor(pattern: RegExp): Promise<string> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const text = screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`the dashboard never showed ${pattern}:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

describe.runIf(hasTmux)('the dashboard in a terminal', () => {
  it('moves, filters, drills down, suspends a tenant after confirmation and quits', async () => {
    const ws = await newWorkspace(['--demo']);
    const [target] = (await ws.json<{ slug: string }[]>(['tenants', 'list', '--status', 'active', '--limit', '1'])).map((t) => t.slug);
    const term = dashboardIn(ws.home);
    const first = await term.waitFor(/Tenants · 200 rows/);
    expect(first).toMatch(/dotmac │ refreshed \d\d:\d\d:\d\d │ profile local │ master_admin admin@dotmac\.local │ API local/);
    expect(first.split('\n').length).toBeLessThanOrEqual(31);
    const selected = (text: string) => /^> (\S+)/m.exec(text)?.[1];
    const top = selected(first);
    term.keys('j');
    await term.waitFor(new RegExp(`^  ${top} [\\s\\S]*^> `, 'm'));

    term.keys('/');
    term.text(target!);
    term.keys('Enter');
    await term.waitFor(new RegExp(`filter "${target}" · 1 row[\\s\\S]*^> ${target} `, 'm'));

    term.keys('Enter');
    await term.waitFor(new RegExp(`tenant ${target}\\s*\\n\\s*Health[\\s\\S]*Configuration[\\s\\S]*Deployments[\\s\\S]*Tickets`));
    term.keys('Escape');
    await term.waitFor(new RegExp(`filter "${target}" · 1 row`));

    term.keys('a');
    await term.waitFor(new RegExp(`s  suspend ${target}\\s+\\$ dotmac tenants suspend ${target}`));
    term.keys('s');
    await term.waitFor(/y to confirm, n or Esc to cancel/);
    expect((await ws.json<{ status: string }>(['tenants', 'get', target!])).status).toBe('active');
    term.keys('y');
    await term.waitFor(new RegExp(`suspended ${target}\\s+\\$ dotmac tenants suspend ${target}`));
    await term.waitFor(new RegExp(`^> ${target} .* suspended `, 'm'));

    term.keys('q');
    const after = await term.waitFor(/dashboard-exit=\d+/);
    expect(after).toMatch(/dashboard-exit=0/);
    expect((await ws.json<{ status: string }>(['tenants', 'get', target!])).status).toBe('suspended');
  });

  it('below 80×24 says only that the terminal is too small, until it grows', async () => {
    const ws = await newWorkspace();
    const term = dashboardIn(ws.home);
    await term.waitFor(/Tenants · /);
    const name = sessions[sessions.length - 1]!;
    execFileSync('tmux', ['resize-window', '-t', name, '-x', '70', '-y', '20']);
    const small = await term.waitFor(/terminal too small \(need 80×24\)/);
    expect(small.trim()).toBe('terminal too small (need 80×24)');
    execFileSync('tmux', ['resize-window', '-t', name, '-x', '100', '-y', '30']);
    await term.waitFor(/Tenants · /);
    term.keys('q');
    await term.waitFor(/dashboard-exit=0/);
  });
});
