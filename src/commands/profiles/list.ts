import { BaseCommand } from '../../cli/base-command.js';
import { resolveProfile } from '../../cli/profiles.js';

interface ProfileRow {
  name: string;
  /** the saved current profile */
  current: boolean;
  /** the profile commands run as here, once the environment is applied */
  active: boolean;
  api: string;
  db: string | null;
  token: boolean;
  read_only: boolean;
}

export default class ProfilesList extends BaseCommand<typeof ProfilesList> {
  static override summary = 'List saved profiles (tokens are never shown), and which one commands here use';

  async run(): Promise<ProfileRow[]> {
    const cfg = await this.factory.config();
    const active = (() => {
      try {
        return resolveProfile(cfg, { profile: this.flags.profile, env: process.env });
      } catch {
        return undefined;
      }
    })();
    const rows = Object.entries(cfg.profiles).map(([name, p]) => ({
      name,
      current: name === cfg.current,
      active: active?.selectedBy !== 'environment only' && active?.name === name,
      api: p.api,
      db: p.db ?? null,
      token: !!p.token,
      read_only: !!p.readOnly,
    }));
    this.printList(
      rows.map((r) => ({ ...r, current: r.active ? '*' : '', token: r.token ? 'yes' : 'no', read_only: r.read_only ? 'yes' : '' })),
      [{ key: 'current', header: ' ' }, { key: 'name' }, { key: 'api', cut: true }, { key: 'db', cut: true }, { key: 'token' }, { key: 'read_only', header: 'read-only' }],
    );
    if (rows.length === 0 && !this.jsonEnabled()) this.note('No profiles yet: run `dotmac init` or `dotmac login`.');
    if (active) this.note(describeActive(active, cfg.current));
    return rows;
  }
}

function describeActive(active: ReturnType<typeof resolveProfile>, current: string | undefined): string {
  const how = {
    flag: 'chosen by --profile',
    DOTMAC_PROFILE: `chosen by DOTMAC_PROFILE${current && current !== active.name ? `, not the current "${current}"` : ''}`,
    current: 'the current profile',
    'environment only': 'described by the environment alone',
  }[active.selectedBy];
  const who = active.selectedBy === 'environment only' ? 'Commands here use no saved profile' : `Commands here use "${active.name}" (${how})`;
  return `${who}: API from ${active.apiSource}, token from ${active.tokenSource ?? 'nowhere (none set)'}.`;
}
