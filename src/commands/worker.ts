import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { probeFlags, workerFlags, workerSettings } from '../cli/worker-flags.js';
import { locateWorkspace } from '../cli/workspace.js';
import { loadServer } from '../server/load.js';

export default class Worker extends BaseCommand<typeof Worker> {
  static override summary = 'Run only the job worker (no HTTP API) until SIGTERM or SIGINT';
  static override description =
    'Leases due jobs (deployments, health probes every --probe-interval, hourly metric roll-ups) from the workspace database and runs them; a job whose worker died is taken again once its lease ' +
    'runs out, and finished steps are never repeated. On SIGTERM it stops taking jobs and hands a running one back. `server start` runs the same worker unless --no-worker.';
  static override examples = [
    '<%= config.bin %> worker',
    '<%= config.bin %> worker --database-url postgres://dotmac@db/dotmac --driver exec --provision-command /opt/isp/provision',
  ];
  static override enableJsonFlag = false;
  static override flags = {
    dir: Flags.string({ description: 'workspace directory holding the keys (default: the current local profile\'s, else $XDG_DATA_HOME/dotmac)', env: 'DOTMAC_HOME' }),
    db: Flags.string({ description: 'SQLite database file (default: dotmac.db in the workspace)', env: 'DOTMAC_DB', exclusive: ['database-url'] }),
    'database-url': Flags.string({ description: 'PostgreSQL URL; the worker\'s queries run as dotmac_app, like the API\'s', env: 'DATABASE_URL' }),
    ...workerFlags,
    ...probeFlags,
  };

  async run(): Promise<void> {
    const f = this.flags;
    const settings = workerSettings(f, (line) => this.note(line));
    const { db, key } = await locateWorkspace(this.factory, f);
    const target = f['database-url'] ? ({ dialect: 'postgres', url: f['database-url'] } as const) : ({ dialect: 'sqlite', path: db } as const);
    const { openWorkspace, loadWorker } = await loadServer();
    const { workerFrom } = await loadWorker();
    const workspace = await openWorkspace({ target, keyPath: key, rateLimit: false, notice: (line) => this.note(`Note: ${line}`) });
    const worker = workerFrom(workspace.services, settings);
    worker.start();
    // listening for signals before saying it runs: a SIGTERM sent as soon as that is read stops it cleanly
    const stopped = new Promise<void>((done) => {
      const stop = (signal: string) => {
        const job = worker.runningJob;
        this.note(job ? `${signal}: handing back job ${job} and stopping…` : `${signal}: stopping…`);
        worker.stop().then(done, done);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    this.note(`dotmac worker ${worker.id} running (${settings.provisioning.driver} driver, ${target.dialect === 'sqlite' ? target.path : 'PostgreSQL'})`);
    await stopped;
    await workspace.close();
    this.note('stopped');
  }
}
