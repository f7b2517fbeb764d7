import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { TENANT_USER_COLUMNS } from '../../cli/columns.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { Invitation } from '../../client/types.js';

export default class UsersInvite extends BaseCommand<typeof UsersInvite> {
  static override summary = 'Invite a person to a tenant\'s instance; the one-time invite code is printed once (again for the same email re-sends it: a new code, 7 more days)';
  static override examples = [
    '<%= config.bin %> users invite --email ana@fibernet.example --role operator',
    '<%= config.bin %> users invite --tenant fibernet --email noc@fibernet.example --role admin --json | jq -r .invite_code',
  ];
  static override flags = {
    ...tenantFlag,
    email: Flags.string({ description: 'the person\'s email (stored in lower case)', required: true }),
    role: Flags.string({ description: 'their role in the instance', options: ['admin', 'operator', 'viewer'], required: true }),
    ...reasonFlag,
  };

  async run(): Promise<Invitation> {
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const invitation = await client.tenantUsers.invite(tenant, { email: this.flags.email, role: this.flags.role as Invitation['user']['role'] }, this.flags.reason);
    if (!this.jsonEnabled()) {
      const { user } = invitation;
      this.note(invitation.renewed ? `Re-sent the invite of ${user.email} (the earlier code no longer works)` : `Invited ${user.email} as ${user.role}`);
      this.printRecord(user, TENANT_USER_COLUMNS);
      this.note(`The invite code is shown only now; give it to ${user.email}, who accepts before ${user.invite_expires_at} (\`dotmac users accept ${user.email} --code CODE\`):`);
      this.log(invitation.invite_code);
    }
    return invitation;
  }
}
