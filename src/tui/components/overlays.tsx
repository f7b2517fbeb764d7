import { Box } from 'ink';
import { KEYS } from '../keys.js';
import { safe } from '../text.js';
import type { Theme } from '../theme.js';
import type { RowAction } from '../views/types.js';
import { Line } from './line.js';

export function Help({ width, theme }: { width: number; theme: Theme }) {
  return (
    <Box flexDirection="column">
      <Line text="Keys (any key closes)" width={width} bold color={theme.accent} />
      {KEYS.map(([key, what]) => (
        <Line key={key} text={`  ${key.padEnd(8)} ${what}`} width={width} />
      ))}
    </Box>
  );
}

export function ActionMenu({ actions, width, theme }: { actions: RowAction[]; width: number; theme: Theme }) {
  return (
    <Box flexDirection="column">
      <Line text="Actions (press a key, Esc to close)" width={width} bold color={theme.accent} />
      {actions.map((action) => (
        <Line key={action.key} text={`  ${action.key}  ${safe(action.label)}   $ ${safe(action.command)}`} width={width} />
      ))}
    </Box>
  );
}

export function Confirm({ action, running, width, theme }: { action: RowAction; running: boolean; width: number; theme: Theme }) {
  return (
    <Box flexDirection="column">
      <Line text={`${safe(action.label)}?`} width={width} bold color={theme.warning} />
      <Line text={`  same as: ${safe(action.command)}`} width={width} />
      <Line text={running ? '  working…' : '  y to confirm, n or Esc to cancel'} width={width} bold />
    </Box>
  );
}
