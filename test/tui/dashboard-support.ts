// Drives the dashboard's App in ink-testing-library against the in-process API, waiting for frames.
import { EventEmitter } from 'node:events';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { ApiClient } from '../../src/client/api-client.js';
import type { Transport } from '../../src/client/transport.js';
import { App } from '../../src/tui/app.js';
import type { TestApi } from '../support/harness.js';

export const KEY = { down: '\u001B[B', up: '\u001B[A', enter: '\r', escape: '\u001B', backspace: '\u007F' };

/** A stand-in for the terminal's output stream: a size that tests change, and its resize event. */
export class FakeScreen extends EventEmitter {
  constructor(
    public columns = 100,
    public rows = 30,
  ) {
    super();
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** A client whose transport can be cut, as if the API went away. */
export function cuttableClient(api: TestApi, token: string | undefined) {
  const real = api.as(token).transport;
  let down = false;
  const transport: Transport = {
    ...real,
    target: real.target,
    send: (request) => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:7070')) : real.send(request)),
    close: () => real.close(),
  };
  return { client: new ApiClient(transport, token), cut: (value: boolean) => (down = value) };
}

/** A client of an older API, without the routes under `prefix` (404 "no route", as such a server answers). */
export function withoutRoutes(api: TestApi, token: string | undefined, prefix: string) {
  const real = api.as(token).transport;
  const transport: Transport = {
    ...real,
    target: real.target,
    send: (request) => {
      const path = new URL(request.path, 'http://dotmac').pathname;
      if (!path.startsWith(prefix)) return real.send(request);
      const body = { type: 'urn:dotmac:problem:not_found', title: 'Not found', status: 404, code: 'not_found', detail: `no route for ${request.method} ${path}` };
      return Promise.resolve({ status: 404, headers: new Headers({ 'content-type': 'application/problem+json' }), body: JSON.stringify(body) });
    },
    close: () => real.close(),
  };
  return new ApiClient(transport, token);
}

export interface Dashboard {
  frame(): string;
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  /** the frame, once it shows `pattern` (5 s at most) */
  waitFor(pattern: RegExp | string, not?: RegExp | string): Promise<string>;
  /** once Ink has exited and stopped reading keys (5 s at most) */
  exited(): Promise<void>;
  screen: FakeScreen;
  unmount(): void;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

export async function startDashboard(client: ApiClient, options: { readOnly?: boolean; color?: boolean; profile?: string; screen?: FakeScreen } = {}): Promise<Dashboard> {
  const me = await client.me();
  const screen = options.screen ?? new FakeScreen();
  const app = render(
    createElement(App, {
      client,
      info: { profile: options.profile ?? 'test', api: 'local', readOnly: options.readOnly ?? false, me },
      intervalMs: 3_600_000,
      color: options.color ?? false,
      size: screen,
    }),
  );
  const frame = () => app.lastFrame() ?? '';
  const matches = (text: string, pattern: RegExp | string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
  return {
    frame,
    screen,
    async press(...keys) {
      for (const key of keys) {
        app.stdin.write(key);
        // let Ink read the key and React commit before the next
        await tick();
        await tick();
      }
    },
    async type(text) {
      for (const char of text) {
        app.stdin.write(char);
        await tick();
      }
    },
    async waitFor(pattern, not) {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const text = frame();
        if (matches(text, pattern) && (not === undefined || !matches(text, not))) return text;
        if (Date.now() > deadline) throw new Error(`the dashboard never showed ${String(pattern)}${not ? ` without ${String(not)}` : ''}:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async exited() {
      const deadline = Date.now() + 5_000;
      while (app.stdin.listenerCount('readable') > 0) {
        if (Date.now() > deadline) throw new Error('the dashboard never exited');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    unmount: () => app.unmount(),
  };
}
