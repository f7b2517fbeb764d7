import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { readDataFile } from '../../cli/config-file.js';
import { reasonFlag } from '../../cli/flags.js';
import type { PriceBook, PublishedPriceBook } from '../../client/types.js';

export default class PricebookPublish extends BaseCommand<typeof PricebookPublish> {
  static override summary = 'Publish a new price book version from a YAML or JSON file (master_admin); published versions never change';
  static override description = 'The file is a whole price book, as `pricebook show --json` prints one, under a version not yet published (an existing version is exit 6). New quotes and subscriptions price from the newest version; existing ones keep theirs.';
  static override examples = ['<%= config.bin %> pricebook show --json > next.json   # edit version and prices', '<%= config.bin %> pricebook publish -f next.json'];
  static override flags = { file: Flags.string({ char: 'f', description: 'YAML or JSON price book', required: true }), ...reasonFlag };

  async run(): Promise<PublishedPriceBook> {
    const document = (await readDataFile(this.flags.file, 'a price book is a few kilobytes')) as PriceBook;
    const published = await (await this.writableClient()).pricebooks.publish(document, this.flags.reason);
    this.note(`Published price book ${published.version}`);
    return published;
  }
}
