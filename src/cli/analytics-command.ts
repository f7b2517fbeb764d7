import { Flags } from '@oclif/core';
import type { Distribution, DistributionName } from '../client/types.js';
import { BaseCommand } from './base-command.js';
import type { Column } from './output.js';

export const ANONYMITY_NOTE =
  'Groups are computed over every tenant of the platform. For a tenant admin or a reseller, a group with fewer than 5 tenants outside its own scope ' +
  '(and at least one) is left out and counted as suppressed (k-anonymity, k = 5, counting only the others so that one cannot subtract its own figures).';

/** `dotmac analytics <distribution>`: one command per distribution, each a thin subclass naming its columns. */
export abstract class DistributionCommand extends BaseCommand<typeof DistributionCommand> {
  static override flags = {
    csv: Flags.boolean({ description: 'print CSV', default: false, exclusive: ['json'] }),
  };

  protected abstract readonly distribution: DistributionName;
  protected abstract readonly columns: Column[];

  async run(): Promise<Distribution<DistributionName>> {
    const answer = await (await this.factory.client()).analytics.distribution(this.distribution);
    if (this.jsonEnabled()) return answer;
    if (answer.groups.length === 0) this.note('No groups to show.');
    else this.printList(answer.groups as object[], this.columns, { csv: this.flags.csv });
    if (answer.suppressed_groups > 0) this.note(`${answer.suppressed_groups} group${answer.suppressed_groups === 1 ? '' : 's'} of fewer than 5 other tenants left out (k-anonymity)`);
    return answer;
  }
}
