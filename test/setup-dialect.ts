import { CompiledQuery } from 'kysely';
import { connect } from '../src/db/connect.js';
import { DIALECT, PG_URL } from './support/harness.js';

/** With DOTMAC_TEST_DIALECT=postgres an unreachable server fails the run at once instead of skipping. */
export default async function checkDatabase(): Promise<void> {
  if (DIALECT !== 'postgres') return;
  try {
    const probe = await connect({ dialect: 'postgres', url: PG_URL });
    await probe.db.executeQuery(CompiledQuery.raw('select 1'));
    await probe.close();
  } catch (error) {
    throw new Error(`PostgreSQL at ${PG_URL} cannot be reached (${(error as Error).message}); the PostgreSQL suite cannot run`);
  }
}
