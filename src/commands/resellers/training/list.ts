import { Args } from '@oclif/core';
import { BaseCommand } from '../../../cli/base-command.js';
import { TRAINING_COLUMNS } from '../../../cli/partner-columns.js';
import type { ResellerTraining } from '../../../client/types.js';

export default class ResellersTrainingList extends BaseCommand<typeof ResellersTrainingList> {
  static override summary = 'Certification modules: which the reseller\'s tier requires, and which it completed';
  static override examples = ['<%= config.bin %> resellers training list acme'];
  static override args = { reseller: Args.string({ description: 'reseller slug or id', required: true }) };

  async run(): Promise<ResellerTraining> {
    const training = await (await this.factory.client()).resellers.training(this.args.reseller);
    this.printList(training.modules, TRAINING_COLUMNS);
    this.note(training.certified ? `Certified for ${training.tier}` : `Not yet certified for ${training.tier}: missing ${training.missing.join(', ')}`);
    return training;
  }
}
