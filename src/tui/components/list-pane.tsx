import type { ReactElement } from 'react';
import { Box } from 'ink';
import { safe } from '../text.js';
import type { Theme } from '../theme.js';
import type { ListView, Row } from '../views/types.js';
import { Line } from './line.js';

export interface ListPaneProps {
  view: ListView<Row>;
  rows: Row[] | undefined;
  selected: number;
  filter: string;
  summary?: string;
  problem?: string;
  width: number;
  height: number;
  theme: Theme;
}

/** A list's title, its column headings and the rows that fit, scrolled to keep the selection in sight. */
export function ListPane({ view, rows, selected, filter, summary, problem, width, height, theme }: ListPaneProps) {
  const title = `${view.title}${filter ? ` · filter "${safe(filter)}"` : ''}${rows ? ` · ${rows.length} row${rows.length === 1 ? '' : 's'}` : ''}`;
  const heading = `  ${view.columns.map((c) => c.header.padEnd(c.width)).join(' ')}`;
  const lines: ReactElement[] = [];
  const room = Math.max(1, height - 2 - (summary ? 1 : 0) - (problem ? 1 : 0));
  if (summary) lines.push(<Line key="summary" text={safe(summary)} width={width} color={theme.accent} />);
  if (problem) lines.push(<Line key="problem" text={safe(problem)} width={width} color={theme.error} />);
  if (!rows) {
    if (!problem) lines.push(<Line key="loading" text="loading…" width={width} dim />);
  } else if (rows.length === 0) {
    lines.push(<Line key="empty" text={filter ? `nothing matches "${safe(filter)}"` : '(nothing here yet)'} width={width} dim />);
  } else {
    const start = Math.max(0, Math.min(selected - Math.floor(room / 2), rows.length - room));
    rows.slice(start, start + room).forEach((row, i) => {
      const index = start + i;
      const chosen = index === selected;
      const text = `${chosen ? '>' : ' '} ${view.columns.map((c) => safe(c.value(row)).padEnd(c.width).slice(0, c.width)).join(' ')}`;
      lines.push(<Line key={view.key(row)} text={text} width={width} inverse={chosen && theme.color} bold={chosen} />);
    });
  }
  return (
    <Box flexDirection="column">
      <Line text={title} width={width} bold color={theme.accent} />
      <Line text={heading} width={width} color={theme.muted} />
      {lines}
    </Box>
  );
}
