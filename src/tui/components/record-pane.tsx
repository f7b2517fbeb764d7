import { Box } from 'ink';
import { safe } from '../text.js';
import type { Theme } from '../theme.js';
import type { Row } from '../views/types.js';
import { Line } from './line.js';

/** A row that names no tenant, drilled into: its fields, one per line. */
export function RecordPane({ title, row, width, height, theme }: { title: string; row: Row; width: number; height: number; theme: Theme }) {
  const fields = Object.entries(row).filter(([, value]) => typeof value !== 'object' || value === null);
  const keyWidth = Math.min(24, Math.max(...fields.map(([key]) => key.length)));
  return (
    <Box flexDirection="column">
      <Line text={safe(title)} width={width} bold color={theme.accent} />
      {fields.slice(0, Math.max(0, height - 1)).map(([key, value]) => (
        <Line key={key} text={`  ${key.padEnd(keyWidth)}  ${safe(value ?? '-')}`} width={width} />
      ))}
    </Box>
  );
}
