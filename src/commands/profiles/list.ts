import { BaseCommand } from '../../cli/base-command.js';

interface ProfileRow {
  name: string;
  current: boolean;
  api: string;
  db: string | null;
  token: boolean;
  read_only: boolean;
}

export default class ProfilesList extends BaseCommand<typeof ProfilesList> {
  static override summary = 'List saved profiles (tokens are never shown)';

  async run(): Promise<ProfileRow[]> {
    const cfg = await this.factory.config();
    const current = process.env.DOTMAC_PROFILE || cfg.current;
    const rows = Object.entries(cfg.profiles).map(([name, p]) => ({
      name,
      current: name === current,
      api: p.api,
      db: p.db ?? null,
      token: !!p.token,
      read_only: !!p.readOnly,
    }));
    this.printList(
      rows.map((r) => ({ ...r, current: r.current ? '*' : '', token: r.token ? 'yes' : 'no', read_only: r.read_only ? 'yes' : '' })),
      [{ key: 'current', header: ' ' }, { key: 'name' }, { key: 'api', cut: true }, { key: 'db', cut: true }, { key: 'token' }, { key: 'read_only', header: 'read-only' }],
    );
    if (rows.length === 0 && !this.jsonEnabled()) this.note('No profiles yet: run `dotmac init` or `dotmac login`.');
    return rows;
  }
}
