import { Box } from 'ink';
import type { Message, Mode } from '../state.js';
import { clock, safe } from '../text.js';
import type { Theme } from '../theme.js';
import { Line } from './line.js';

/** The two bottom lines: what is being typed or the last message, a stale-data warning, the key hint. */
export function StatusLine({ mode, message, unreachable, refreshedAt, width, theme }: { mode: Mode; message?: Message; unreachable?: string; refreshedAt?: Date; width: number; theme: Theme }) {
  let first: { text: string; color?: string } = { text: '' };
  if (mode.kind === 'command') first = { text: `:${safe(mode.text)}▏` };
  else if (mode.kind === 'filter') first = { text: `/${safe(mode.text)}▏  (Enter applies, Esc cancels)` };
  else if (unreachable) first = { text: `⚠ API unreachable, showing data from ${clock(refreshedAt)}: ${safe(unreachable)}`, color: theme.warning };
  else if (message) first = { text: `${safe(message.text)}${message.command ? `   $ ${safe(message.command)}` : ''}`, color: message.tone === 'error' ? theme.error : theme.accent };
  return (
    <Box flexDirection="column">
      <Line text={first.text} width={width} color={first.color} bold={first.color !== undefined} />
      <Line text="j/k move · Enter drill · Esc back · :view · /filter · a actions · r refresh · ? keys · q quit" width={width} color={theme.muted} />
    </Box>
  );
}
