// The daemon's connection to one logical cluster's API: a keep-alive undici Pool, JSON in and
// out, Status errors as ApiError, and line streams for watches.
import { Pool } from "undici";
import { ApiError } from "./errors.ts";
import { splitLines } from "./lines.ts";

/** A local control plane serves a self-signed certificate; only loopback servers skip verification. */
export const isLoopbackServer = (server: string) =>
  /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/.test(server);

export interface ApiClientOptions {
  /** The cluster's URL, e.g. https://127.0.0.1:8787/clusters/default. */
  server: string;
  /** A bearer token; empty when the client authenticates with a certificate (tls.cert/key). */
  token: string;
  connections?: number;
  userAgent?: string;
  /** A kubeconfig's TLS settings, for servers that are not this deployment's loopback one. */
  tls?: TlsOptions;
}

export interface TlsOptions {
  /** PEM certificate authorities to trust instead of the system's. */
  ca?: string;
  /** PEM client certificate and key. */
  cert?: string;
  key?: string;
  insecureSkipVerify?: boolean;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class ApiClient {
  readonly server: string;
  private readonly prefix: string;
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;

  constructor(options: ApiClientOptions) {
    const url = new URL(options.server);
    this.server = options.server.replace(/\/$/, "");
    this.prefix = url.pathname.replace(/\/$/, "");
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      connect: {
        rejectUnauthorized: !(options.tls?.insecureSkipVerify ?? isLoopbackServer(options.server)),
        ca: options.tls?.ca,
        cert: options.tls?.cert,
        key: options.tls?.key,
      },
    });
    this.headers = {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      accept: "application/json",
      "user-agent": options.userAgent ?? "flotilla-node",
    };
  }

  /** The full path of an API path on this cluster (for WebSocket URLs). */
  url(path: string): string {
    return this.server + path;
  }

  get authorization(): string {
    return this.headers.authorization ?? "";
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = options.contentType ?? "application/json";
      body = JSON.stringify(options.body);
    }
    const timeout = options.timeoutMs ?? 30_000;
    const response = await this.pool.request({
      path: this.prefix + path,
      method: method as "GET",
      headers,
      body,
      signal: options.signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): keep the text for the message.
    }
    if (response.statusCode >= 300) throw ApiError.from(`${method} ${path}`, response.statusCode, parsed);
    return parsed as T;
  }

  get<T = any>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>("GET", path, options);
  }

  post<T = any>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>("POST", path, { ...options, body });
  }

  put<T = any>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>("PUT", path, { ...options, body });
  }

  /** JSON merge patch (RFC 7386). */
  mergePatch<T = any>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>("PATCH", path, { ...options, body, contentType: "application/merge-patch+json" });
  }

  delete<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>("DELETE", path, { ...options, body });
  }

  /** A streaming GET (a chunked watch): its lines until the server ends it or `signal` aborts. */
  async lines(
    path: string,
    options: { signal?: AbortSignal; idleTimeoutMs?: number } = {},
  ): Promise<AsyncIterable<string>> {
    const response = await this.pool.request({
      path: this.prefix + path,
      method: "GET",
      headers: this.headers,
      signal: options.signal,
      headersTimeout: 30_000,
      // The server writes a keepalive line every few seconds; silence this long means a dead peer.
      bodyTimeout: options.idleTimeoutMs ?? 90_000,
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep text
      }
      throw ApiError.from(`GET ${path}`, response.statusCode, parsed);
    }
    return splitLines(response.body);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
