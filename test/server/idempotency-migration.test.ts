import { readFileSync } from 'node:fs';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { freshDatabase } from '../support/harness.js';

/**
 * Before 2026112601 the answer of POST /v1/tokens, a live JWT, was stored for Idempotency-Key
 * replays. The migration scrubs those answers (keeping the keys, so a replay still cannot mint
 * twice) and leaves every other stored answer alone.
 */

/** Shaped like a real one: about 450 characters, the last 86 a signature. */
const LEGACY_TOKEN = [
  Buffer.from('{"alg":"EdDSA","typ":"at+jwt","kid":"legacy"}').toString('base64url'),
  Buffer.from(JSON.stringify({ role: 'master_admin', sub: 'usr_01legacy', jti: 'tok_01legacy', iss: 'urn:dotmac:platform', aud: 'urn:dotmac:api', iat: 1, exp: 2 })).toString('base64url'),
  Buffer.from('legacy signature '.repeat(4).slice(0, 64)).toString('base64url'),
].join('.');
const PIECES = LEGACY_TOKEN.split('.');

describe('migration 2026112601_idempotency_sweep', () => {
  it('scrubs stored token answers from an older database and keeps their keys', async () => {
    const fresh = await freshDatabase({});
    const { path } = fresh;
    let db = fresh.connection.db;
    let reopened: Connection | undefined;
    try {
      const schema = fresh.connection.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
      const foundation = { '2026112501_foundation': migrations['2026112501_foundation']! };
      await new Migrator({ db, provider: { getMigrations: async () => foundation }, migrationTableSchema: schema }).migrateToLatest();
      const at = new Date().toISOString();
      const row = { principal: 'usr_1', method: 'POST', body_hash: 'h', created_at: at };
      await db
        .insertInto('idempotency_keys')
        .values([
          { ...row, key: 'refused', path: '/v1/tokens', status: 400, response: '{"code":"invalid"}' },
          { ...row, key: 'tenant', path: '/v1/tenants', status: 201, response: '{"slug":"kept"}' },
          { ...row, key: 'minted', path: '/v1/tokens', status: 201, response: JSON.stringify({ jti: 'tok_1', token: LEGACY_TOKEN }) },
        ])
        .execute();
      if (path) {
        // as an older install left it: closed, its WAL checkpointed into the file
        await fresh.connection.close();
        reopened = await connect({ dialect: 'sqlite', path });
        db = reopened.db;
        expect(readFileSync(path).toString('latin1')).toContain(LEGACY_TOKEN);
      }

      expect((await migrateToLatest(db)).applied).toContain('2026112601_idempotency_sweep');
      const rows = await db.selectFrom('idempotency_keys').select(['key', 'status', 'response']).orderBy('key').execute();
      expect(rows).toEqual([
        { key: 'minted', status: 201, response: null },
        { key: 'refused', status: 400, response: '{"code":"invalid"}' },
        { key: 'tenant', status: 201, response: '{"slug":"kept"}' },
      ]);
      if (path) {
        // closing checkpoints the WAL into the file; SQLite could keep the old bytes in a page's free space
        await reopened!.close();
        const bytes = readFileSync(path).toString('latin1');
        for (const piece of PIECES) expect(bytes).not.toContain(piece);
      }
    } finally {
      await reopened?.close();
      await fresh.drop();
    }
  });
});
