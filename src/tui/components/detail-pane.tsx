import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { PaneResult } from '../hooks/use-poll.js';
import { safe } from '../text.js';
import type { Theme } from '../theme.js';
import type { Section } from '../views/tenant-detail.js';
import { Line } from './line.js';
import { problemText } from './problem.js';

/** A detail screen: one titled block per pane, each with its own data or its own problem. */
export function DetailPane({ title, sections, results, width, height, theme }: { title: string; sections: Section[]; results: Record<string, PaneResult>; width: number; height: number; theme: Theme }) {
  const lines: ReactElement[] = [<Line key="title" text={safe(title)} width={width} bold color={theme.accent} />];
  for (const section of sections) {
    const result = results[section.key];
    lines.push(<Line key={`${section.key}:title`} text={section.title} width={width} bold color={theme.secondary} />);
    const problem = result?.error ? problemText(result.error, section.unavailable) : undefined;
    if (problem) lines.push(<Line key={`${section.key}:problem`} text={`  ${safe(problem)}`} width={width} color={theme.error} />);
    if (result?.data !== undefined) {
      section.lines(result.data, width - 2).forEach((line, i) => lines.push(<Line key={`${section.key}:${i}`} text={`  ${safe(line)}`} width={width} />));
    } else if (!problem) {
      lines.push(<Line key={`${section.key}:loading`} text="  loading…" width={width} dim />);
    }
  }
  return <Box flexDirection="column">{lines.slice(0, height)}</Box>;
}
