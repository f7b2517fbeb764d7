import { Box } from 'ink';
import type { Me } from '../../client/types.js';
import { clock, safe } from '../text.js';
import type { Theme } from '../theme.js';
import type { ListView, Row } from '../views/types.js';
import { Line } from './line.js';

export interface HeaderInfo {
  profile: string;
  /** `local` or the API's URL */
  api: string;
  readOnly: boolean;
  me: Me;
}

export function Header({ info, refreshedAt, views, current, width, theme }: { info: HeaderInfo; refreshedAt?: Date; views: ListView<Row>[]; current?: string; width: number; theme: Theme }) {
  const { me } = info;
  const scope = me.role === 'tenant_admin' ? ` · tenant ${me.tenant_slug ?? me.tenant_id}` : me.role === 'reseller' ? ` · reseller ${me.reseller_slug ?? me.reseller_id}` : '';
  // the refresh time and read-only first: a long e-mail or URL is what the width cuts
  const first = `dotmac │ refreshed ${clock(refreshedAt)}${info.readOnly ? ' │ read-only' : ''} │ profile ${info.profile} │ ${me.role} ${me.email}${scope} │ API ${info.api}`;
  const tabs = views.map((view) => (view.name === current ? (theme.color ? ` ${view.name} ` : `[${view.name}]`) : ` ${view.name} `)).join(' ');
  return (
    <Box flexDirection="column">
      <Line text={safe(first)} width={width} color={theme.accent} bold />
      <Line text={tabs} width={width} color={theme.secondary} />
    </Box>
  );
}
