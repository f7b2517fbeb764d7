import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { usageError } from '../cli/errors.js';
import { initDemoIfNew } from '../cli/workspace.js';
import { loadDashboard } from '../tui/load.js';

export default class Dashboard extends BaseCommand<typeof Dashboard> {
  static override summary = 'A live, role-aware dashboard of tenants, deployments, health, tickets, quotes, pipeline, commissions and customers';
  static override description =
    'Views per role, opened with `:` and their name; j/k or the arrows move, Enter drills into a row, Esc goes back, / filters the whole list through the API, ' +
    'a shows the selected row\'s actions (each confirmed, refused on a read-only profile, with its `dotmac ...` line), r refreshes, ? lists every key, q quits. ' +
    'Needs a terminal of at least 80×24; for scripts use `dotmac overview --json` and the --json lists.';
  static override examples = ['<%= config.bin %> dashboard', '<%= config.bin %> dashboard --interval 10 --profile acme'];
  static override enableJsonFlag = false;
  static override flags = {
    interval: Flags.integer({ description: 'seconds between refreshes (at least 1)', default: 5, env: 'DOTMAC_DASHBOARD_INTERVAL' }),
    'init-demo': Flags.boolean({ description: 'with no profile yet, first create a local workspace with demo data (what `npm start` runs)', default: false }),
  };

  async run(): Promise<void> {
    const { interval } = this.flags;
    if (!Number.isInteger(interval) || interval < 1) throw usageError(`--interval must be a whole number of seconds, at least 1 (got ${interval})`, 'for example: dotmac dashboard --interval 5');
    const io = this.factory.io;
    if (!io.stdoutIsTTY || !io.stdinIsTTY) {
      throw usageError('the dashboard needs a terminal (standard input and output)', 'in a script, use `dotmac overview --json` and the lists\' --json output');
    }
    if (this.flags['init-demo']) await initDemoIfNew(this.factory, (line) => this.note(line));
    const profile = await this.factory.profile();
    const client = await this.factory.client();
    const me = await this.caller();
    const { renderDashboard } = await loadDashboard();
    await renderDashboard({
      client,
      info: { profile: profile.name, api: profile.api === 'local' ? 'local' : profile.api, readOnly: profile.readOnly, me },
      intervalSeconds: interval,
      color: io.color,
    });
  }
}
