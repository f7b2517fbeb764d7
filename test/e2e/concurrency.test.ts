// Two kinds of process write one SQLite file at once: `server start` (answering CLI calls over
// HTTP) and CLI commands in local mode. Every write must land, and the audit chain must not fork.
import { afterAll, expect, it } from 'vitest';
import { cleanup, newWorkspace, startServer } from './cli.js';

afterAll(cleanup);

const PER_SIDE = 20;

it('a server and local-mode commands writing the same database at once lose nothing', { timeout: 120_000 }, async () => {
  const ws = await newWorkspace();
  const server = await startServer(ws.env, ['--dir', ws.dir]);
  try {
    expect((await ws.run(['profiles', 'add', 'remote', '--api', server.url, '--token', ws.token])).code).toBe(0);
    const create = (slug: string, profile: string) =>
      ws.run(['tenants', 'create', '--slug', slug, '--name', `Tenant ${slug}`, '--reason', `load ${profile}`, '--profile', profile, '--json'], { timeoutMs: 90_000 });
    const slugs = Array.from({ length: PER_SIDE }, (_, i) => [`http-${i}`, `local-${i}`]).flat();
    const results = await Promise.all(slugs.map((slug) => create(slug, slug.startsWith('http') ? 'remote' : 'local')));

    const failures = results.map((res, i) => ({ slug: slugs[i], ...res })).filter((res) => res.code !== 0);
    expect(failures.map((f) => `${f.slug}: exit ${f.code}: ${f.stderr.trim()}`)).toEqual([]);
    const created = results.map((res) => JSON.parse(res.stdout) as { slug: string; status: string; created_at: string });
    expect(created.map((t) => [t.slug, t.status])).toEqual(slugs.map((slug) => [slug, 'active']));
    // the two writers' windows overlapped, or this test did not test what it says
    const window = (prefix: string) => {
      const times = created.filter((t) => t.slug.startsWith(prefix)).map((t) => Date.parse(t.created_at));
      return [Math.min(...times), Math.max(...times)] as const;
    };
    const [http, local] = [window('http-'), window('local-')];
    expect(Math.max(http[0], local[0]), 'server and local writes did not overlap in time').toBeLessThan(Math.min(http[1], local[1]));

    // read back through both paths
    for (const profile of ['local', 'remote']) {
      const listed = await ws.json<{ slug: string }[]>(['tenants', 'list', '--all', '--profile', profile]);
      expect(listed.map((t) => t.slug).sort()).toEqual([...slugs].sort());
    }
    const events = await ws.json<{ seq: number; action: string; reason: string | null }[]>(['audit', 'list', '--all', '--action', 'tenant.create']);
    expect(events).toHaveLength(slugs.length);
    expect(events.filter((e) => e.reason === 'load remote')).toHaveLength(PER_SIDE);
    const all = await ws.json<{ seq: number }[]>(['audit', 'list', '--all']);
    const seqs = all.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    const verify = await ws.json<{ ok: boolean; checked: number }>(['audit', 'verify', '--profile', 'remote']);
    expect(verify).toMatchObject({ ok: true, checked: all.length });
  } finally {
    await server.stop();
  }
  // after the server has gone, a local process still sees the same intact chain
  expect((await ws.run(['audit', 'verify'])).code).toBe(0);
});
