import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_USER_COLUMNS } from '../../cli/columns.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { TenantUser } from '../../client/types.js';

export default class UsersDisable extends BaseCommand<typeof UsersDisable> {
  static override summary = 'Disable an accepted user (the last accepted, enabled admin cannot be disabled: exit 6); `users enable` undoes it';
  static override examples = ['<%= config.bin %> users disable ana@fibernet.example', '<%= config.bin %> users disable tus_01jf… --tenant fibernet --reason "left the company"'];
  static override args = { user: Args.string({ description: 'the user: email or id', required: true }) };
  static override flags = { ...tenantFlag, ...reasonFlag };

  async run(): Promise<TenantUser> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const outcome = await client.tenantUsers.disable(tenant, this.args.user, this.flags.reason);
    const user = outcome.value;
    this.reportChange(outcome, `Disabled ${user.email}`, `${user.email} is already disabled`);
    this.printRecord(user, TENANT_USER_COLUMNS);
    return user;
  }
}
