import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1 answering GET /health as `answer` says; close() ends it and any request it holds. */
export interface HealthServer {
  url: string;
  /** how many requests it has been sent */
  hits: number;
  /** what each request asked for: method and path */
  requests: string[];
  close(): Promise<void>;
}

export async function healthServer(answer: (req: IncomingMessage, res: ServerResponse, hit: number) => void): Promise<HealthServer> {
  let hits = 0;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    answer(req, res, ++hits);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get hits() {
      return hits;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const answers = {
  ok: () => healthServer((_req, res) => res.end('{"ok":true}')),
  /** answers 200 after `ms` */
  slow: (ms: number) => healthServer((_req, res) => setTimeout(() => res.end('ok'), ms)),
  /** accepts the request and never answers */
  hang: () => healthServer(() => undefined),
  /** sends 200 and the start of a body, then nothing more */
  stall: () => healthServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"ok":');
  }),
  /** a body larger than a probe reads, sent at once */
  large: (bytes: number) => healthServer((_req, res) => res.end('x'.repeat(bytes))),
  status: (code: number) => healthServer((_req, res) => {
    res.statusCode = code;
    res.end();
  }),
  /** redirects to a healthy place: a probe must not follow it */
  redirect: (to: string) => healthServer((_req, res) => {
    res.writeHead(302, { location: to });
    res.end();
  }),
  /** up, down, up, down, ... by request: 200 then 503 */
  flapping: (pattern: readonly number[]) => healthServer((_req, res, hit) => {
    res.statusCode = pattern[(hit - 1) % pattern.length]!;
    res.end();
  }),
};

/** A URL on loopback where nothing listens (a port that was free a moment ago). */
export async function closedPort(): Promise<string> {
  const server = await answers.ok();
  await server.close();
  return server.url;
}
