import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import type { ApiClient } from '../client/api-client.js';
import { ActionMenu, Confirm, Help } from './components/overlays.js';
import { DetailPane } from './components/detail-pane.js';
import { Header, type HeaderInfo } from './components/header.js';
import { ListPane } from './components/list-pane.js';
import { problemText } from './components/problem.js';
import { RecordPane } from './components/record-pane.js';
import { StatusLine } from './components/status-line.js';
import { useBrand } from './hooks/use-brand.js';
import { usePoll, type PaneRequest } from './hooks/use-poll.js';
import { useTerminalSize, type SizedStream } from './hooks/use-terminal-size.js';
import { current, initialState, reduce } from './state.js';
import { themeFor } from './theme.js';
import { tenantDetail } from './views/tenant-detail.js';
import { firstView, viewNamed, viewsFor, type Row } from './views/index.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface AppProps {
  client: ApiClient;
  info: HeaderInfo;
  intervalMs: number;
  color: boolean;
  /** the output stream, for its size and resize events */
  size: SizedStream;
  now?: () => Date;
}

export function App({ client, info, intervalMs, color, size, now }: AppProps) {
  const { exit } = useApp();
  const { columns, rows: height } = useTerminalSize(size);
  const role = info.me.role;
  const [state, dispatch] = useReducer(reduce, firstView(role).name, initialState);
  const brand = useBrand(client, info.me);
  const theme = themeFor(color, brand);
  const screen = current(state);
  const view = screen.kind === 'list' ? viewNamed(screen.view)! : undefined;

  const detail = useMemo(() => (screen.kind === 'tenant' ? tenantDetail(client, screen.ref) : undefined), [client, screen]);
  const requests: PaneRequest[] = useMemo(() => {
    if (screen.kind === 'list') return [{ key: `list:${screen.view}:${screen.filter}`, fetch: () => view!.fetch(client, screen.filter || undefined) }];
    return detail?.requests ?? [];
  }, [client, screen, view, detail]);
  const poll = usePoll(requests, intervalMs, state.refresh, now);

  const listResult = screen.kind === 'list' ? poll.results[requests[0]!.key] : undefined;
  const rows = listResult?.data as Row[] | undefined;
  const selected = screen.kind === 'list' ? Math.max(0, Math.min(screen.selected, (rows?.length ?? 1) - 1)) : 0;

  // the health view's sparkline: one figure per refresh of its list
  const history = useRef<{ view?: string; values: (number | null)[]; round: number }>({ values: [], round: -1 });
  if (view?.sample && rows && history.current.round !== poll.rounds) {
    if (history.current.view !== view.name) history.current = { view: view.name, values: [], round: -1 };
    history.current.values = [...history.current.values, view.sample(rows)].slice(-60);
    history.current.round = poll.rounds;
  }

  const running = state.mode.kind === 'running' ? state.mode.action : undefined;
  useEffect(() => {
    if (!running) return;
    running.run(client).then(
      (text) => dispatch({ type: 'done', message: { text, tone: 'info', command: running.command } }),
      (error: Error) => dispatch({ type: 'done', message: { text: `${running.label} failed: ${error.message}`, tone: 'error', command: running.command } }),
    );
  }, [running, client]);

  // read when a key arrives: the rows on screen now, not those of the render that subscribed the handler
  const shownRows = useRef(rows);
  shownRows.current = rows;
  useInput((input, key) => dispatch({ type: 'key', input, key, rows: shownRows.current, role, readOnly: info.readOnly ? info.profile : undefined }));
  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  if (columns < MIN_COLUMNS || height < MIN_ROWS) return <Text>terminal too small (need 80×24)</Text>;

  const width = columns;
  const body = height - 4;
  const overlay =
    state.mode.kind === 'help' ? <Help width={width} theme={theme} />
    : state.mode.kind === 'actions' ? <ActionMenu actions={state.mode.actions} width={width} theme={theme} />
    : state.mode.kind === 'confirm' || state.mode.kind === 'running' ? <Confirm action={state.mode.action} running={state.mode.kind === 'running'} width={width} theme={theme} />
    : undefined;
  const overlayHeight = state.mode.kind === 'help' ? 11 : state.mode.kind === 'actions' ? state.mode.actions.length + 1 : overlay ? 3 : 0;
  const paneHeight = Math.max(3, body - overlayHeight);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header info={info} refreshedAt={poll.refreshedAt} views={viewsFor(role)} current={view?.name} width={width} theme={theme} />
      <Box flexDirection="column" height={body}>
        {screen.kind === 'list' && view && (
          <ListPane
            view={view}
            rows={rows}
            selected={selected}
            filter={screen.filter}
            summary={view.summary && rows ? view.summary(rows, history.current.values) : undefined}
            problem={listResult?.error ? problemText(listResult.error, view.unavailable) : undefined}
            width={width}
            height={paneHeight}
            theme={theme}
          />
        )}
        {screen.kind === 'tenant' && detail && <DetailPane title={screen.title} sections={detail.sections} results={poll.results} width={width} height={paneHeight} theme={theme} />}
        {screen.kind === 'record' && <RecordPane title={screen.title} row={screen.row} width={width} height={paneHeight} theme={theme} />}
        {overlay}
      </Box>
      <StatusLine mode={state.mode} message={state.message} unreachable={poll.unreachable} refreshedAt={poll.refreshedAt} width={width} theme={theme} />
    </Box>
  );
}
