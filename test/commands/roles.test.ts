import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BaseCommand } from '../../src/cli/base-command.js';
import { ROUTES } from '../../src/server/routes.js';

/**
 * A command that asks for confirmation checks the caller's role first, from a list it declares;
 * that list must be exactly what the API's route allows, or a person would be asked and then refused.
 */
const root = join(import.meta.dirname, '..', '..', 'src', 'commands');
const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));

describe('commands that ask for confirmation', () => {
  it('declare the route they call and exactly the roles it allows', async () => {
    const checked: string[] = [];
    for (const file of files(root)) {
      const command = (await import(file)).default as typeof BaseCommand;
      if (!command.flags || !('yes' in command.flags)) continue;
      const id = relative(root, file).replace(/\.ts$/, '');
      expect(command.operation, `${id} declares no operation`).toBeDefined();
      const route = ROUTES.find((r) => r.config.operationId === command.operation);
      expect(route, `${id}: no route ${command.operation}`).toBeDefined();
      expect([...(command.roles ?? [])].sort(), id).toEqual([...route!.access].sort());
      checked.push(id);
    }
    expect(checked.sort()).toEqual(['backups/restore', 'flags/delete', 'invoices/refund', 'invoices/void', 'subscriptions/cancel', 'tenants/delete', 'tenants/scale', 'tokens/revoke', 'users/remove']);
  });
});
