import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/client/errors.js';
import { httpTransport } from '../../src/client/transports/http.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback server that answers from a script and records what it was asked. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    answer(req, res, seen.length);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const get = { method: 'GET', path: '/v1/tenants?limit=1', headers: { accept: 'application/json' } };
const noProxy = {};

describe('HTTP transport', () => {
  it('retries a GET that met a 503, and returns the answer with its headers', async () => {
    const api = await serve((_req, res, n) => {
      res.writeHead(n === 1 ? 503 : 200, { 'content-type': 'application/json', 'retry-after': '7' }).end(n === 1 ? '{}' : '{"ok":true}');
    });
    const transport = await httpTransport(api.url, {}, noProxy);
    const res = await transport.send(get);
    expect([res.status, res.body, res.headers.get('Retry-After')]).toEqual([200, '{"ok":true}', '7']);
    expect(api.seen).toHaveLength(2);
  });

  it('never repeats a PATCH, nor a POST without an idempotency key', async () => {
    const api = await serve((_req, res) => res.writeHead(503).end());
    const transport = await httpTransport(api.url, {}, noProxy);
    expect((await transport.send({ method: 'PATCH', path: '/v1/tenants/a', headers: {}, body: '{}' })).status).toBe(503);
    expect((await transport.send({ method: 'POST', path: '/v1/tenants', headers: {}, body: '{}' })).status).toBe(503);
    expect(api.seen).toHaveLength(2);
    await transport.send({ method: 'POST', path: '/v1/tenants', headers: { 'idempotency-key': 'k1' }, body: '{}' });
    expect(api.seen).toHaveLength(5);
  });

  it('sends the body with its length, and the caller\'s headers', async () => {
    let received = '';
    const api = await serve((req, res) => {
      req.setEncoding('utf8').on('data', (c: string) => (received += c)).on('end', () => res.writeHead(201).end('{}'));
    });
    const transport = await httpTransport(api.url, {}, noProxy);
    const body = JSON.stringify({ name: 'Ñandú Networks' });
    await transport.send({ method: 'POST', path: '/v1/tenants', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body });
    expect(received).toBe(body);
    expect(api.seen[0]!.headers).toMatchObject({ authorization: 'Bearer t', 'content-length': String(Buffer.byteLength(body)) });
  });

  it('turns a refused connection and a timeout into "unavailable" naming the URL', async () => {
    const closed = await serve(() => undefined);
    const url = closed.url;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const refused = await (await httpTransport(url, { retries: 0 }, noProxy)).send(get).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ kind: 'unavailable', message: `cannot reach ${url} (ECONNREFUSED)` });

    const silent = await serve(() => undefined);
    const slow = await (await httpTransport(silent.url, { retries: 0, timeoutMs: 200 }, noProxy)).send(get).catch((e: unknown) => e);
    expect(slow).toMatchObject({ kind: 'unavailable', message: `cannot reach ${silent.url} (timed out)` });
  });

  it('tunnels through HTTP_PROXY with CONNECT, unless NO_PROXY names the host', async () => {
    const api = await serve((_req, res) => res.writeHead(200).end('{"from":"api"}'));
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url!);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const apiHost = new URL(api.url).host;

    const proxied = await httpTransport(api.url, {}, { HTTP_PROXY: proxyUrl });
    expect((await proxied.send(get)).body).toBe('{"from":"api"}');
    await proxied.close();
    expect(tunnels).toEqual([apiHost]);

    const bypass = await httpTransport(api.url, {}, { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
    expect((await bypass.send(get)).body).toBe('{"from":"api"}');
    await bypass.close();
    expect(tunnels).toEqual([apiHost]);
    expect(api.seen).toHaveLength(2);
  });
});
