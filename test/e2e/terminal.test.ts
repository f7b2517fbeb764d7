// A person at a real terminal (tmux): confirmation prompts, colour, tables fitted to the width.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cleanup, newWorkspace } from './cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sessions: string[] = [];

afterAll(() => {
  for (const name of sessions) spawnSync('tmux', ['kill-session', '-t', name]);
  cleanup();
});

/** A tmux session running one shell command in the workspace's HOME, at the given size. */
function terminal(home: string, width = 100) {
  const name = `dotmac-e2e-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const env = `env -i PATH="${process.env.PATH}" HOME="${home}" LANG=C.UTF-8 TERM=xterm-256color`;
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(width), '-y', '40', `${env} bash --norc --noprofile`]);
  const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-e', '-t', name], { encoding: 'utf8' });
  return {
    type: (text: string) => execFileSync('tmux', ['send-keys', '-t', name, '-l', text]),
    enter: () => execFileSync('tmux', ['send-keys', '-t', name, 'Enter']),
    screen,
    /** waits (polling the screen, 15 s at most) until the pattern shows */
    async waitFor(pattern: RegExp): Promise<string> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const text = screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`terminal never showed ${pattern}:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

const dotmac = `node ${join(ROOT, 'bin', 'run.js')}`;

describe.runIf(hasTmux)('at a terminal', () => {
  it('asks before deleting: a wrong word changes nothing, the slug deletes', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'gamma', '--name', 'Gamma']);
    const term = terminal(ws.home);
    term.type(`${dotmac} tenants delete gamma; echo "exit=$?"`);
    term.enter();
    await term.waitFor(/Type "gamma" to confirm:/);
    term.type('gama');
    term.enter();
    expect(await term.waitFor(/exit=\d/)).toMatch(/not confirmed; nothing was changed[\s\S]*exit=1/);
    expect((await ws.json<{ status: string }>(['tenants', 'get', 'gamma'])).status).toBe('active');

    term.type(`clear; ${dotmac} tenants delete gamma; echo "exit=$?"`);
    term.enter();
    await term.waitFor(/Type "gamma" to confirm:/);
    term.type('gamma');
    term.enter();
    expect(await term.waitFor(/exit=\d/)).toMatch(/cancelled[\s\S]*exit=0/);
    expect((await ws.json<{ status: string }>(['tenants', 'get', 'gamma'])).status).toBe('cancelled');
  });

  it('colours table headers on a terminal, not under NO_COLOR, and fits the table to the width', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'a-rather-long-tenant-slug', '--name', 'A Name That Is Much Too Long For A Narrow Terminal Window']);
    const term = terminal(ws.home, 72);
    term.type(`${dotmac} tenants list; echo "exit=$?"`);
    term.enter();
    const coloured = await term.waitFor(/exit=0/);
    expect(coloured).toMatch(/\u001b\[[0-9;]*m\s*SLUG/);
    const lines = coloured.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((l) => l.startsWith('│') || l.startsWith('┌'));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(72);
    expect(lines.join('\n')).toContain('a-rather-long-tenant-slug');

    term.type(`clear; NO_COLOR=1 ${dotmac} tenants list; echo "exit=$?"`);
    term.enter();
    const plain = await term.waitFor(/exit=0/);
    expect(plain).not.toMatch(/\u001b\[[0-9;]*m\s*SLUG/);
  });
});
