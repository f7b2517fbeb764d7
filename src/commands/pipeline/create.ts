import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { reasonFlag } from '../../cli/flags.js';
import { OPPORTUNITY_COLUMNS } from '../../cli/pipeline-columns.js';
import type { OpportunityDetail } from '../../client/types.js';

export default class PipelineCreate extends BaseCommand<typeof PipelineCreate> {
  static override summary = 'Open an opportunity with a prospect, in a region of the reseller\'s territories';
  static override description =
    'Value is in integer cents. A reseller opens its own; staff name the reseller with --reseller. The region must be in one of the reseller\'s ' +
    'territories (`dotmac territories list`), else exit 4 with the code outside_territory.';
  static override examples = [
    '<%= config.bin %> pipeline create --prospect "Fibre Town ISP" --email ops@fibretown.example --region us-east --value 1490000 --close-date 2027-03-31',
    '<%= config.bin %> pipeline create --prospect "Metro Net" --region us-east --value 500000 --reseller acme --stage qualified',
  ];
  static override apiFields = { prospect_name: '--prospect', prospect_email: '--email', value_cents: '--value', quote_id: '--quote' };
  static override flags = {
    prospect: Flags.string({ description: 'the prospect\'s name', required: true }),
    email: Flags.string({ description: 'the prospect\'s email' }),
    region: Flags.string({ description: 'region code, e.g. us-east', required: true }),
    value: Flags.integer({ description: 'expected value in integer cents (149000 is $1,490.00)', required: true, min: 0 }),
    'close-date': Flags.string({ description: 'expected close, YYYY-MM-DD' }),
    stage: Flags.string({ description: 'starting stage', options: ['lead', 'qualified', 'proposal', 'negotiation'], default: 'lead' }),
    reseller: Flags.string({ description: 'staff: the reseller (slug or id) that owns it' }),
    quote: Flags.string({ description: 'the id of a quote made for it' }),
    ...reasonFlag,
  };

  async run(): Promise<OpportunityDetail> {
    const f = this.flags;
    const opportunity = await (await this.writableClient()).opportunities.create(
      {
        prospect_name: f.prospect,
        prospect_email: f.email,
        region: f.region,
        value_cents: f.value,
        close_date: f['close-date'],
        stage: f.stage as 'lead',
        reseller: f.reseller,
        quote_id: f.quote,
      },
      f.reason,
    );
    this.note(`Opened opportunity ${opportunity.id} (${opportunity.stage})`);
    this.printRecord(opportunity, OPPORTUNITY_COLUMNS);
    return opportunity;
  }
}
