import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_USER_COLUMNS } from '../../cli/columns.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { TenantUser } from '../../client/types.js';

export default class UsersAccept extends BaseCommand<typeof UsersAccept> {
  static override summary = 'Accept an invite on the invitee\'s behalf with the code `users invite` gave them (the code works once, for 7 days)';
  static override examples = ['<%= config.bin %> users accept ana@fibernet.example --code dmi_…', 'DOTMAC_INVITE_CODE=dmi_… <%= config.bin %> users accept ana@fibernet.example --tenant fibernet'];
  static override args = { user: Args.string({ description: 'the invited user: email or id', required: true }) };
  static override flags = {
    ...tenantFlag,
    code: Flags.string({ description: 'the invite code (or DOTMAC_INVITE_CODE, which keeps it out of shell history)', env: 'DOTMAC_INVITE_CODE', required: true }),
    ...reasonFlag,
  };

  async run(): Promise<TenantUser> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const user = await client.tenantUsers.accept(tenant, this.args.user, this.flags.code.trim(), this.flags.reason);
    this.note(`${user.email} accepted the invite: active as ${user.role}`);
    this.printRecord(user, TENANT_USER_COLUMNS);
    return user;
  }
}
