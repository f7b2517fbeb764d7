import { render } from 'ink';
import type { ApiClient } from '../client/api-client.js';
import { App } from './app.js';
import type { HeaderInfo } from './components/header.js';

export interface DashboardOptions {
  client: ApiClient;
  info: HeaderInfo;
  intervalSeconds: number;
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/**
 * The dashboard's one imperative entry: draws on the alternate screen until `q` (or Ctrl-C) and
 * gives the terminal back as it found it. Needs a terminal on both ends.
 */
export async function renderDashboard(opts: DashboardOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  if (!stdout.isTTY || !stdin.isTTY) throw new Error('the dashboard needs a terminal');
  stdout.write('\x1b[?1049h\x1b[H');
  try {
    const app = render(<App client={opts.client} info={opts.info} intervalMs={opts.intervalSeconds * 1000} color={opts.color} size={stdout} />, {
      stdout,
      stdin,
      exitOnCtrlC: true,
      patchConsole: false,
    });
    await app.waitUntilExit();
  } finally {
    stdout.write('\x1b[?1049l');
  }
}
