// A person at a real terminal (tmux): confirmation prompts, colour, tables fitted to the width.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { healthServer } from '../support/health-servers.js';
import { ROOT, cleanup, newWorkspace } from './cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sessions: string[] = [];

afterAll(() => {
  for (const name of sessions) spawnSync('tmux', ['kill-session', '-t', name]);
  cleanup();
});

/** A tmux session running a shell in the workspace's HOME, at the given size. */
function terminal(home: string, width = 100, height = 40) {
  const name = `dotmac-e2e-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const env = `env -i PATH="${process.env.PATH}" HOME="${home}" LANG=C.UTF-8 TERM=xterm-256color`;
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), `${env} bash --norc --noprofile`]);
  const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-e', '-t', name], { encoding: 'utf8' });
  const type = (text: string) => execFileSync('tmux', ['send-keys', '-t', name, '-l', text]);
  const enter = () => execFileSync('tmux', ['send-keys', '-t', name, 'Enter']);

  /** polls the screen (15 s at most) until the pattern shows */
  async function waitFor(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const text = screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`terminal never showed ${pattern}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  let steps = 0;
  return {
    type,
    enter,
    screen,
    /** the window title the programs set (OSC 0 / 2) */
    title: () => execFileSync('tmux', ['display-message', '-p', '-t', name, '#{pane_title}'], { encoding: 'utf8' }).trim(),
    /**
     * Clears the screen and runs a command line between two markers unique to this step. The
     * markers are printed by the shell (`=$?`), so the typed line itself never matches them, and a
     * previous step's output on a screen that is not cleared yet cannot either.
     */
    run(command: string) {
      const step = `${name}-step${++steps}`;
      type(`clear; echo "${step}-began=$?"; ${command}; echo "${step}-ended exit=$?"`);
      enter();
      return {
        /** the screen, once the pattern shows after this step began */
        showing: (pattern: RegExp) => waitFor(new RegExp(`${step}-began=0[\\s\\S]*(?:${pattern.source})`)),
        /** the screen once the command line has finished, and its exit code */
        async finished(): Promise<{ screen: string; exitCode: number }> {
          const text = await waitFor(new RegExp(`${step}-ended exit=\\d+`));
          return { screen: text, exitCode: Number(new RegExp(`${step}-ended exit=(\\d+)`).exec(text)![1]) };
        },
      };
    },
  };
}

const dotmac = `node ${join(ROOT, 'bin', 'run.js')}`;

describe.runIf(hasTmux)('at a terminal', () => {
  it('asks before deleting: a wrong word changes nothing, the slug deletes', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'gamma', '--name', 'Gamma']);
    const term = terminal(ws.home);
    const refused = term.run(`${dotmac} tenants delete gamma`);
    const asked = await refused.showing(/Type "gamma" to confirm:/);
    expect(asked.replace(/\n/g, '')).toMatch(/This will delete tenant "gamma" as master_admin admin@dotmac\.local \(profile "local", local workspace \S+dotmac\.db\)\./);
    term.type('gama');
    term.enter();
    const first = await refused.finished();
    expect(first.exitCode).toBe(2);
    expect(first.screen).toMatch(/not confirmed; nothing was changed/);
    expect((await ws.json<{ status: string }>(['tenants', 'get', 'gamma'])).status).toBe('active');

    const confirmed = term.run(`${dotmac} tenants delete gamma`);
    await confirmed.showing(/Type "gamma" to confirm:/);
    term.type('gamma');
    term.enter();
    const second = await confirmed.finished();
    expect(second.exitCode).toBe(0);
    expect(second.screen).toMatch(/cancelled/);
    expect((await ws.json<{ status: string }>(['tenants', 'get', 'gamma'])).status).toBe('cancelled');
  });

  it('refuses a role before asking it to confirm anything', async () => {
    const ws = await newWorkspace();
    await ws.json(['resellers', 'create', '--slug', 'acme', '--name', 'Acme']);
    await ws.json(['tenants', 'create', '--slug', 'beta', '--name', 'Beta', '--reseller', 'acme']);
    const { token } = await ws.json<{ token: string }>(['tokens', 'create', '--role', 'reseller', '--reseller', 'acme']);
    expect((await ws.run(['profiles', 'add', 'acme', '--api', 'local', '--with-token'], { input: token })).code).toBe(0);
    const term = terminal(ws.home);
    const done = await term.run(`${dotmac} tenants delete beta --profile acme`).finished();
    expect(done.exitCode).toBe(4);
    expect(done.screen).not.toMatch(/to confirm/);
    expect(done.screen).toMatch(/the reseller role may not run `tenants delete` \(master_admin only\); nothing was changed/);
  });

  it('offers the likely command for a typo and runs it with every argument typed', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'gamma', '--name', 'Gamma']);
    const term = terminal(ws.home);
    const typo = term.run(`${dotmac} tenant get gamma --json`);
    await typo.showing(/"tenant get" is not a dotmac command\. Run `dotmac tenants get gamma --json` instead\? \[Y\/n\]/);
    term.enter();
    const done = await typo.finished();
    expect(done.exitCode).toBe(0);
    expect(done.screen).toMatch(/"slug": "gamma"/);

    const declined = term.run(`${dotmac} tenant get gamma`);
    await declined.showing(/\[Y\/n\]/);
    term.type('n');
    term.enter();
    expect((await declined.finished()).exitCode).toBe(127);
  });

  it('colours table headers on a terminal, not under NO_COLOR, and fits the table to the width', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'a-rather-long-tenant-slug', '--name', 'A Name That Is Much Too Long For A Narrow Terminal Window']);
    const term = terminal(ws.home, 72);
    const coloured = await term.run(`${dotmac} tenants list`).finished();
    expect(coloured.exitCode).toBe(0);
    expect(coloured.screen).toMatch(/\u001b\[[0-9;]*mSLUG/);
    const table = plainLines(coloured.screen, 'SLUG');
    expect(table).toHaveLength(2);
    for (const line of table) expect([...line].length).toBeLessThanOrEqual(72);
    expect(table[1]).toMatch(/^a-rather-long-tenant-slug {2}A Name .*… {2}active {2}starter$/);

    const plain = await term.run(`NO_COLOR=1 ${dotmac} tenants list`).finished();
    expect(plain.exitCode).toBe(0);
    expect(plain.screen).toMatch(/SLUG/);
    expect(plain.screen).not.toMatch(/\u001b\[[0-9;]*m/);
  });

  it('at 80×24 shows slugs, statuses, plans, actions and profile names whole, without borders', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'northwind-fibre-cooperative', '--name', 'Northwind Fibre Cooperative of the Western Isles Ltd', '--plan', 'professional']);
    await ws.json(['tenants', 'suspend', 'northwind-fibre-cooperative', '--reason', 'invoice 2026-10 unpaid after three reminders by email and phone']);
    await ws.run(['profiles', 'add', 'production-eu-west-primary', '--api', 'local', '--token', ws.token]);
    const term = terminal(ws.home, 80, 24);

    const tenants = plainLines((await term.run(`${dotmac} tenants list`).finished()).screen, 'SLUG');
    expect(tenants[0]).toMatch(/^SLUG +NAME +STATUS +PLAN/);
    expect(tenants[1]).toMatch(/^northwind-fibre-cooperative {2}Northwind .*… {2}suspended {2}professional/);

    const profiles = plainLines((await term.run(`${dotmac} profiles list`).finished()).screen, 'NAME');
    expect(profiles.join('\n')).toMatch(/^ {3}production-eu-west-primary {2}local/m);
    expect(profiles.join('\n')).toMatch(/^\* {2}local +local/m);

    const audit = plainLines((await term.run(`${dotmac} audit list`).finished()).screen, 'SEQ');
    expect(audit[0]).toMatch(/^SEQ +AT +ACTION +ROLE +REASON$/);
    expect(audit[1]).toMatch(/^3 +\S+Z {2}tenant\.suspend {2}master_admin {2}invoice 2026-10.*…$/);

    for (const line of [...tenants, ...profiles, ...audit]) {
      expect([...line].length).toBeLessThanOrEqual(80);
      expect(line).not.toMatch(/[│┌─┐└┘├┤┬┴┼]/);
    }
  });

  it('shows escapes in a name as text instead of obeying them', async () => {
    const ws = await newWorkspace();
    await ws.json(['tenants', 'create', '--slug', 'evil', '--name', 'placeholder']);
    const db = new SQLite(ws.db);
    db.prepare('UPDATE tenants SET name = ? WHERE slug = ?').run('Evil\u001b]2;owned\u0007\u001b[2J\u009b31m\u202eten', 'evil');
    db.close();
    const term = terminal(ws.home, 100);
    for (const command of ['tenants list', 'tenants get evil']) {
      const { screen } = await term.run(`${dotmac} ${command}`).finished();
      expect(screen).toContain('Evil\\x1b]2;owned\\x07\\x1b[2J\\x9b31m\\u202eten');
      expect(term.title()).not.toBe('owned');
    }
  });
});

describe.runIf(hasTmux)('instance health at a terminal', () => {
  it('draws a sparkline of the last probes\' latency (and not into a pipe)', async () => {
    const server = await healthServer((_req, res, hit) => setTimeout(() => res.end('ok'), [0, 120, 30][(hit - 1) % 3]));
    try {
      const ws = await newWorkspace();
      await ws.json(['tenants', 'create', '--slug', 'sparky', '--name', 'Sparky']);
      await ws.json(['deployments', 'create', '--tenant', 'sparky', '--version', '1.0.0', '--endpoint', server.url, '--wait'], { env: { DOTMAC_SIM_STEP_MS: '0' } });
      for (let i = 0; i < 3; i++) await ws.json(['health', 'probe', '--tenant', 'sparky']);
      const term = terminal(ws.home, 100);
      const { screen, exitCode } = await term.run(`${dotmac} health --tenant sparky`).finished();
      expect(exitCode).toBe(0);
      expect(screen).toMatch(/latency {2}[▁▂▃▄▅▆▇█]{3} {2}\(last 3 probes, blank: no answer\)/);
      const piped = await ws.run(['health', '--tenant', 'sparky']);
      expect(piped.stdout).not.toMatch(/latency/);
    } finally {
      await server.close();
    }
  });
});

/** The table's lines on the screen, from its header on, without colour codes. */
function plainLines(screen: string, firstHeader: string): string[] {
  const lines = screen.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const start = lines.findIndex((line) => line.replace(/^ +/, '').startsWith(firstHeader));
  const end = lines.findIndex((line, i) => i > start && (line.trim() === '' || line.includes('-ended exit=')));
  return lines.slice(start, end);
}
