import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.js';
import { preparedQuery } from '../../src/db/prepared.js';
import { freshDatabase } from '../support/harness.js';

/** Queries compiled once and run many times bind each run's own values, on either dialect. */

let connection: Connection;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ connection, drop } = await freshDatabase());
  const at = '2026-01-01T00:00:00.000Z';
  await connection.db
    .insertInto('resellers')
    .values(['north', 'south', 'east'].map((slug, i) => ({ id: `res_${i}`, slug, name: slug, tier: i === 0 ? 'gold' : 'registered', created_at: at, updated_at: at })))
    .execute();
});
afterAll(() => drop());

const bySlugAndTier = preparedQuery(['slug', 'tier'], (db, p: { slug: string; tier: 'gold' | 'registered' }) =>
  db.selectFrom('resellers').select(['id', 'slug']).where('slug', '=', p.slug).where('tier', '=', p.tier).orderBy('id').limit(5),
);

describe('preparedQuery', () => {
  it('binds the values of each run where their placeholders stood, constants included', async () => {
    expect(await bySlugAndTier(connection.db, { slug: 'north', tier: 'gold' })).toEqual([{ id: 'res_0', slug: 'north' }]);
    expect(await bySlugAndTier(connection.db, { slug: 'south', tier: 'registered' })).toEqual([{ id: 'res_1', slug: 'south' }]);
    // the same values in the other order find nothing: each went to its own place
    expect(await bySlugAndTier(connection.db, { slug: 'registered', tier: 'south' as never })).toEqual([]);
  });

  it('runs inside a transaction with the query compiled outside it', async () => {
    const rows = await connection.db.transaction().execute((trx) => bySlugAndTier(trx, { slug: 'east', tier: 'registered' }));
    expect(rows).toEqual([{ id: 'res_2', slug: 'east' }]);
  });

  it('refuses a build that leaves a named value out, rather than run without it', async () => {
    const forgetful = preparedQuery(['slug', 'tier'], (db, p: { slug: string; tier: string }) => db.selectFrom('resellers').select('id').where('slug', '=', p.slug));
    await expect(forgetful(connection.db, { slug: 'north', tier: 'gold' })).rejects.toThrow(/does not use tier/);
  });

  it('compiles again for a database with plugins, which may rewrite each query', async () => {
    const rows = await bySlugAndTier(connection.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => args.result }), { slug: 'north', tier: 'gold' });
    expect(rows).toEqual([{ id: 'res_0', slug: 'north' }]);
    expect((await sql<{ n: number }>`select count(*) as n from resellers`.execute(connection.db)).rows[0]!.n).toBe(3);
  });
});
