import { describe, expect, it } from 'vitest';
import { LiteHeaders, LiteRequest, LiteResponse } from '../../../src/server/web/lite.js';

describe('LiteHeaders', () => {
  it('matches names case-insensitively, joins repeats, keeps set-cookie apart and iterates sorted', () => {
    const h = new LiteHeaders({ 'Content-Type': 'application/json', Accept: ['a', 'b'] });
    h.append('X-Trace', '1');
    h.append('x-trace', '2');
    h.append('Set-Cookie', 'a=1');
    h.append('set-cookie', 'b=2');
    expect([h.get('content-type'), h.get('ACCEPT'), h.get('x-trace'), h.get('missing')]).toEqual(['application/json', 'a, b', '1, 2', null]);
    expect(h.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...h]).toEqual([
      ['accept', 'a, b'],
      ['content-type', 'application/json'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-trace', '1, 2'],
    ]);
    h.set('X-Trace', '3');
    h.delete('accept');
    expect([h.has('accept'), h.get('x-trace')]).toEqual([false, '3']);
  });

  it('copies from pairs, from another LiteHeaders and from anything with forEach', () => {
    const pairs = new LiteHeaders([['A', '1'], ['b', '2']]);
    expect([...new LiteHeaders(pairs)]).toEqual([['a', '1'], ['b', '2']]);
    expect(new LiteHeaders(new Headers({ 'X-Y': 'z' })).get('x-y')).toBe('z');
  });
});

describe('LiteResponse and LiteRequest', () => {
  it('reads a body once, as text, JSON or bytes, and clones before reading', async () => {
    const res = new LiteResponse('{"a":1}', { status: 201, headers: { 'content-type': 'application/json' } });
    expect([res.status, res.ok, res.headers.get('content-type')]).toEqual([201, true, 'application/json']);
    expect(await res.clone().json()).toEqual({ a: 1 });
    expect(new TextDecoder().decode(await res.clone().arrayBuffer())).toBe('{"a":1}');
    expect(await res.text()).toBe('{"a":1}');
    await expect(res.text()).rejects.toThrow(/already been read/);
  });

  it('defaults like fetch: 200, text/plain for a string body, no body for null', async () => {
    const text = new LiteResponse('hi');
    expect([text.status, text.headers.get('content-type')]).toEqual([200, 'text/plain;charset=UTF-8']);
    const empty = new LiteResponse(null, { status: 404 });
    expect([empty.ok, empty.body, await empty.text()]).toEqual([false, null, '']);
    const copied = new LiteResponse(empty.body, empty);
    expect(copied.status).toBe(404);
  });

  it('normalises the URL and method, and a clone carries the body', async () => {
    const req = new LiteRequest('http://local/v1/tenants?limit=5', { method: 'post', headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' });
    expect([req.url, req.method, req.headers.get('content-type'), Boolean(req.body)]).toEqual(['http://local/v1/tenants?limit=5', 'POST', 'application/json', true]);
    expect(await req.clone().text()).toBe('{"x":1}');
    expect(await req.json()).toEqual({ x: 1 });
    expect(new LiteRequest('http://local/').body).toBeNull();
  });
});
