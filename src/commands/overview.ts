import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../cli/base-command.js';
import { defaultDataDir } from '../cli/config.js';
import { createLocalWorkspace, DEMO_TENANTS } from '../cli/workspace.js';
import { renderList } from '../cli/output.js';
import type { Overview as OverviewData } from '../client/types.js';

export default class Overview extends BaseCommand<typeof Overview> {
  static override summary = 'Platform overview: tenants by status, by plan and by reseller';
  static override examples = ['<%= config.bin %> overview', '<%= config.bin %> overview --init-demo'];
  static override flags = {
    'init-demo': Flags.boolean({ description: 'with no profile yet, first create a local workspace with demo data', default: false }),
  };

  async run(): Promise<OverviewData> {
    if (this.flags['init-demo']) await this.initDemoIfNew();
    const overview = await (await this.factory.client()).analytics.overview();
    if (!this.jsonEnabled()) {
      const io = this.factory.io;
      const opts = { format: 'table' as const, color: io.color, width: io.width };
      this.log(`${overview.tenants} tenants`);
      this.log('\nBy status');
      process.stdout.write(renderList(overview.by_status, [{ key: 'key', header: 'status' }, { key: 'tenants' }], opts));
      this.log('\nBy plan');
      process.stdout.write(renderList(overview.by_plan, [{ key: 'key', header: 'plan' }, { key: 'tenants' }], opts));
      this.log('\nBy reseller');
      const resellers = overview.by_reseller.map((r) => ({ reseller: r.slug ?? '(direct)', name: r.name ?? 'sold by DotMac staff', tenants: r.tenants }));
      process.stdout.write(renderList(resellers, [{ key: 'reseller' }, { key: 'name' }, { key: 'tenants' }], opts));
    }
    return overview;
  }

  private async initDemoIfNew(): Promise<void> {
    const cfg = await this.factory.config();
    const hasProfile = Object.keys(cfg.profiles).length > 0 || process.env.DOTMAC_DB || process.env.DOTMAC_API_URL;
    if (hasProfile) return;
    const dir = resolve(process.env.DOTMAC_HOME ?? defaultDataDir(process.env));
    const result = await createLocalWorkspace(this.factory, dir, { profile: 'local', demoTenants: DEMO_TENANTS });
    if (!result.created) return;
    this.note(`Created a local workspace with demo data at ${dir} (profile "local").`);
  }
}
