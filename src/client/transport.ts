/** One request/response shape for both transports, so the client cannot tell them apart. */
export interface ApiRequest {
  method: string;
  /** path and query, e.g. /v1/tenants?limit=50 */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The one thing callers read from response headers; fetch's Headers satisfies it. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface ApiResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

export interface Transport {
  /** where requests go, for messages: a URL, or "local workspace <path>" */
  readonly target: string;
  send(request: ApiRequest): Promise<ApiResponse>;
  close(): Promise<void>;
  /**
   * Local mode only: runs a job in this process, as a worker would (a command's --wait). True when
   * it ran; false when it was not due (finished, or held by a live worker elsewhere).
   */
  runJob?(jobId: string): Promise<boolean>;
}
