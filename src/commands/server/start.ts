import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { probeFlags, probeSettings, workerFlags, workerSettings } from '../../cli/worker-flags.js';
import { locateWorkspace } from '../../cli/workspace.js';
import { loadHttpServer } from '../../server/load.js';

export default class ServerStart extends BaseCommand<typeof ServerStart> {
  static override summary = 'Run the platform API over HTTP until SIGTERM or SIGINT';
  static override description =
    'Serves /v1 (OpenAPI at /v1/openapi.json), /healthz, /readyz, /.well-known/jwks.json and /metrics (Prometheus, for master_admin tokens ' +
    'and the scrape secret). Migrates the database first. ' +
    'Runs the job worker too, unless --no-worker. In-flight requests finish before it exits.';
  static override examples = [
    '<%= config.bin %> server start',
    '<%= config.bin %> server start --host 0.0.0.0 --port 8080 --database-url postgres://dotmac@db/dotmac',
    'DOTMAC_METRICS_SECRET="$(cat /run/secrets/scrape)" <%= config.bin %> server start',
  ];
  static override enableJsonFlag = false;
  static override flags = {
    host: Flags.string({ description: 'address to listen on', default: '127.0.0.1', env: 'DOTMAC_HOST' }),
    port: Flags.integer({ description: 'port (0 picks a free one)', default: 8080, min: 0, max: 65535, env: 'DOTMAC_PORT' }),
    dir: Flags.string({ description: 'workspace directory holding the signing key (default: the current local profile\'s, else $XDG_DATA_HOME/dotmac)', env: 'DOTMAC_HOME' }),
    db: Flags.string({ description: 'SQLite database file (default: dotmac.db in the workspace)', env: 'DOTMAC_DB', exclusive: ['database-url'] }),
    'database-url': Flags.string({
      description:
        'PostgreSQL URL, for several servers sharing one database. Requests run as the role dotmac_app, under row-level security; the URL\'s user must be allowed to SET ROLE dotmac_app (the owner that ran `db migrate`, or a login role that is a member of it)',
      env: 'DATABASE_URL',
    }),
    quiet: Flags.boolean({ char: 'q', description: 'no access log (one JSON line per request on stdout)', default: false }),
    'rate-limit': Flags.integer({ description: 'requests per minute per token (0 turns rate limits off)', default: 1200, min: 0, env: 'DOTMAC_RATE_LIMIT' }),
    metrics: Flags.boolean({ description: 'serve GET /metrics (Prometheus text format) to master_admin tokens and the scrape secret', default: true, allowNo: true }),
    'metrics-secret': Flags.string({
      description: 'a bearer secret (at least 32 characters) that may also read /metrics, for a Prometheus server; prefer the environment variable, which ps does not show',
      env: 'DOTMAC_METRICS_SECRET',
      parse: async (value) => metricsSecret(value),
    }),
    'rate-limit-per-address': Flags.integer({
      description: 'requests per minute per client address, counted before authentication (default: --rate-limit; 0 turns this one off)',
      min: 0,
      env: 'DOTMAC_RATE_LIMIT_PER_ADDRESS',
    }),
    'share-figures-ms': Flags.integer({
      description: 'how long an overview or analytics answer is shared by callers of the same scope (0: only while it is computed); a change through this server ends it at once',
      default: 1000,
      min: 0,
      max: 60_000,
      env: 'DOTMAC_SHARE_FIGURES_MS',
    }),
    worker: Flags.boolean({ description: 'run the job worker beside the API (--no-worker: only serve; run `dotmac worker` elsewhere)', default: true, allowNo: true, helpGroup: 'WORKER' }),
    ...workerFlags,
    ...probeFlags,
  };

  async run(): Promise<void> {
    const f = this.flags;
    const worker = f.worker ? workerSettings(f, (line) => this.note(line)) : false;
    const { db, key } = await locateWorkspace(this.factory, f);
    const target = f['database-url'] ? ({ dialect: 'postgres', url: f['database-url'] } as const) : ({ dialect: 'sqlite', path: db } as const);
    const { startServer } = await loadHttpServer();
    const server = await startServer({
      target,
      keyPath: key,
      host: f.host,
      port: f.port,
      rateLimit: f['rate-limit'] === 0 ? false : { limit: f['rate-limit'], perAddress: f['rate-limit-per-address'], windowSeconds: 60 },
      accessLog: f.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
      metrics: f.metrics,
      metricsSecret: f['metrics-secret'],
      worker,
      probe: probeSettings(f),
      sharedReadsMs: f['share-figures-ms'],
      notice: (line) => this.note(`Note: ${line}`),
    });
    this.log(`dotmac API listening on ${server.url} (${target.dialect === 'sqlite' ? target.path : 'PostgreSQL'})${server.workerId ? `, worker ${server.workerId}` : ''}`);
    await new Promise<void>((done) => {
      const stop = (signal: string) => {
        this.note(`${signal}: finishing in-flight requests…`);
        server.close().then(done, done);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    this.note('stopped');
  }
}

/** Long enough not to be guessed, and one token (a bearer credential has no spaces); never echoed back. */
function metricsSecret(value: string): string {
  if (value.length < 32 || !/^[\x21-\x7e]+$/.test(value)) {
    throw new Error('the metrics secret must be at least 32 printable characters without spaces (e.g. `openssl rand -hex 32`)');
  }
  return value;
}
