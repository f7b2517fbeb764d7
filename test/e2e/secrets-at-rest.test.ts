// A minted token is shown once and kept nowhere: not in the database file, its WAL, a backup, nor
// the server's access log. (The CLI sends an Idempotency-Key with every POST; the answer of
// `tokens create` must not be stored for replay.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, newWorkspace, startServer, tempDir, type Workspace } from './cli.js';

afterAll(cleanup);

async function mintEveryRole(ws: Workspace, env: Record<string, string> = {}, suffix = ''): Promise<string[]> {
  const grants = [
    ['--role', 'master_admin', '--email', `staff${suffix}@example.test`],
    ['--role', 'tenant_admin', '--tenant', 'vault', '--email', `isp${suffix}@example.test`],
    ['--role', 'reseller', '--reseller', 'vault-partner', '--email', `partner${suffix}@example.test`],
  ];
  const tokens: string[] = [];
  for (const grant of grants) tokens.push((await ws.json<{ token: string }>(['tokens', 'create', ...grant, '--label', 'at rest'], { env })).token);
  return tokens;
}

/** The file's bytes as latin1, so that any byte sequence of an ASCII token is found wherever it lies. */
function bytesOf(path: string): string {
  return readFileSync(path).toString('latin1');
}

function expectNoSecrets(where: string, content: string, secrets: string[]) {
  for (const secret of secrets) {
    const signature = secret.split('.')[2]!;
    expect(content.includes(secret), `${where} holds a token`).toBe(false);
    expect(content.includes(signature), `${where} holds a token's signature`).toBe(false);
  }
}

describe('minted tokens at rest', () => {
  it('are in neither the database, its WAL, a backup, nor the access log', async () => {
    const ws = await newWorkspace();
    await ws.json(['resellers', 'create', '--slug', 'vault-partner', '--name', 'Partner']);
    await ws.json(['tenants', 'create', '--slug', 'vault', '--name', 'Vault ISP']);
    // A running server holds the database open, so the WAL stays on disk while the CLI writes.
    const server = await startServer(ws.env, ['--dir', ws.dir]);
    const secrets = [ws.token, ...(await mintEveryRole(ws))];
    secrets.push(...(await mintEveryRole(ws, { DOTMAC_API_URL: server.url, DOTMAC_TOKEN: ws.token }, '-remote')));
    expect(new Set(secrets).size).toBe(7);

    const wal = `${ws.db}-wal`;
    expect(existsSync(wal)).toBe(true);
    const backup = join(tempDir(), 'backup.db');
    const backedUp = await ws.run(['db', 'backup', '--out', backup]);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expectNoSecrets('the database file', bytesOf(ws.db), secrets);
    expectNoSecrets('the WAL', bytesOf(wal), secrets);
    expectNoSecrets('the backup', bytesOf(backup), secrets);

    await server.stop();
    expectNoSecrets('the database file after the server stopped', bytesOf(ws.db), secrets);
    expectNoSecrets('the access log', server.output(), secrets);
    expect(server.output()).toContain('"path":"/v1/tokens","status":201');
  });
});
