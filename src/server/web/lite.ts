// Small Headers, Request and Response classes for the API run in-process. Node creates its own
// (undici's) lazily, and loading them costs a local-mode command about 20 ms of its ~170; the
// in-process bundle (dist/api-local.cjs) is built with these injected in their place. They cover
// what Hono, @hono/zod-openapi and our middleware use: string or byte bodies, no streams.

type HeadersInit = LiteHeaders | { forEach(cb: (value: string, key: string) => void): void } | Record<string, string | readonly string[]> | Iterable<readonly [string, string]>;
type Body = string | Uint8Array | ArrayBuffer | null | undefined;

export class LiteHeaders {
  readonly #values = new Map<string, string[]>();

  constructor(init?: HeadersInit) {
    if (!init) return;
    if (!Array.isArray(init) && (init instanceof LiteHeaders || typeof (init as { forEach?: unknown }).forEach === 'function')) {
      (init as { forEach(cb: (value: string, key: string) => void): void }).forEach((value, key) => this.append(key, value));
    } else if (Symbol.iterator in init) {
      for (const [key, value] of init as Iterable<readonly [string, string]>) this.append(key, value);
    } else {
      for (const [key, value] of Object.entries(init as Record<string, string | readonly string[]>)) {
        for (const v of typeof value === 'string' ? [value] : value) this.append(key, v);
      }
    }
  }

  get(name: string): string | null {
    const values = this.#values.get(name.toLowerCase());
    return values ? values.join(', ') : null;
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), [String(value)]);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    this.#values.set(key, [...(this.#values.get(key) ?? []), String(value)]);
  }

  delete(name: string): void {
    this.#values.delete(name.toLowerCase());
  }

  forEach(callback: (value: string, key: string, headers: LiteHeaders) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const key of [...this.#values.keys()].sort()) {
      if (key === 'set-cookie') for (const cookie of this.#values.get(key)!) yield [key, cookie];
      else yield [key, this.get(key)!];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

function bodyText(body: Body): string {
  if (body === null || body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  throw new TypeError('in-process bodies must be strings or bytes');
}

/** What Request and Response share: a body read once, as text, JSON or bytes. */
class LiteBody {
  readonly headers: LiteHeaders;
  readonly #text: string | null;
  #used = false;

  constructor(body: Body, headers: HeadersInit | undefined) {
    this.headers = new LiteHeaders(headers);
    this.#text = body === null || body === undefined ? null : bodyText(body);
  }

  /** Truthy when there is a body, which is all middleware asks of it. */
  get body(): string | null {
    return this.#text;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  protected take(): string {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#text ?? '';
  }

  async text(): Promise<string> {
    return this.take();
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.take());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.take(), 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
}

export interface LiteResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

export class LiteResponse extends LiteBody {
  readonly status: number;
  readonly statusText: string;

  constructor(body?: Body, init: LiteResponseInit = {}) {
    super(body, init.headers);
    this.status = init.status ?? 200;
    this.statusText = init.statusText ?? '';
    if (typeof body === 'string' && !this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  clone(): LiteResponse {
    return new LiteResponse(this.body, this);
  }
}

export interface LiteRequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: Body;
}

export class LiteRequest extends LiteBody {
  readonly url: string;
  readonly method: string;

  constructor(input: string | LiteRequest, init: LiteRequestInit = {}) {
    const from = typeof input === 'string' ? undefined : input;
    super(init.body !== undefined ? init.body : (from?.body ?? null), init.headers ?? from?.headers);
    this.url = typeof input === 'string' ? new URL(input).href : input.url;
    this.method = (init.method ?? from?.method ?? 'GET').toUpperCase();
    // The body is whole, so its length is known; the body-limit middleware then never needs a stream.
    if (this.body !== null && !this.headers.has('content-length') && !this.headers.has('transfer-encoding')) {
      this.headers.set('content-length', String(Buffer.byteLength(this.body)));
    }
  }

  clone(): LiteRequest {
    return new LiteRequest(this);
  }
}

export { LiteHeaders as Headers, LiteRequest as Request, LiteResponse as Response };
