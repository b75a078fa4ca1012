// The Docker Engine API over its unix socket (or DOCKER_HOST tcp://), through undici.
import { existsSync } from "node:fs";
import { Pool } from "undici";
import { splitLines } from "../../api/lines.ts";

export class DockerError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "DockerError";
    this.status = status;
  }
}

export const isDockerNotFound = (err: unknown) => err instanceof DockerError && err.status === 404;

/** Where the engine listens: DOCKER_HOST (unix:// or tcp://) or the default socket. */
export function dockerEndpoint(host = process.env.DOCKER_HOST): { origin: string; socketPath?: string; label: string } {
  if (host?.startsWith("tcp://")) return { origin: host.replace(/^tcp:/, "http:"), label: host };
  const socketPath = host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock";
  return { origin: "http://docker", socketPath, label: socketPath };
}

export interface DockerRequest {
  body?: unknown;
  /** Raw body (an image tar). */
  raw?: Uint8Array;
  contentType?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A stream that stays open (events, followed logs): uses its own connections. */
  longLived?: boolean;
}

export class DockerClient {
  readonly endpoint: ReturnType<typeof dockerEndpoint>;
  private readonly pool: Pool;
  private readonly streams: Pool;
  private prefix = "";

  constructor(host?: string) {
    this.endpoint = dockerEndpoint(host);
    this.pool = new Pool(this.endpoint.origin, {
      socketPath: this.endpoint.socketPath,
      connections: 32,
      keepAliveTimeout: 30_000,
    });
    this.streams = new Pool(this.endpoint.origin, { socketPath: this.endpoint.socketPath, keepAliveTimeout: 1000 });
  }

  /** True when a socket file exists (or a tcp host is configured): worth asking. */
  get plausible(): boolean {
    return this.endpoint.socketPath === undefined || existsSync(this.endpoint.socketPath);
  }

  /** Pins the API version the engine speaks (at most 1.43: the fields used here are stable since 1.41). */
  async negotiate(): Promise<{ version: string; apiVersion: string }> {
    const info = await this.json<{ Version: string; ApiVersion: string }>("GET", "/version", { timeoutMs: 3000 });
    const [major, minor] = info.ApiVersion.split(".").map(Number);
    const api = major > 1 || minor > 43 ? "1.43" : info.ApiVersion;
    this.prefix = `/v${api}`;
    return { version: info.Version, apiVersion: api };
  }

  /** A path with the negotiated API version in front (for requests made outside this client). */
  versioned(path: string): string {
    return this.prefix + path;
  }

  private async send(method: string, path: string, options: DockerRequest) {
    const headers: Record<string, string> = {};
    let body: string | Uint8Array | undefined;
    if (options.raw) {
      body = options.raw;
      headers["content-type"] = options.contentType ?? "application/x-tar";
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const timeout = options.timeoutMs ?? 60_000;
    return (options.longLived ? this.streams : this.pool).request({
      path: this.prefix + path,
      method: method as "GET",
      headers,
      body,
      signal: options.signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  }

  async json<T = any>(method: string, path: string, options: DockerRequest = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await response.body.text();
    if (response.statusCode >= 400) {
      let message = text;
      try {
        message = JSON.parse(text).message ?? text;
      } catch {
        // plain text error
      }
      throw new DockerError(response.statusCode, message.trim());
    }
    if (text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }

  /** A streaming response (events, pulls, exec output); throws on an error status. */
  async stream(method: string, path: string, options: DockerRequest = {}) {
    const response = await this.send(method, path, { timeoutMs: 0, ...options });
    if (response.statusCode >= 400) {
      const text = await response.body.text();
      let message = text;
      try {
        message = JSON.parse(text).message ?? text;
      } catch {
        // plain text error
      }
      throw new DockerError(response.statusCode, message.trim());
    }
    return response.body;
  }

  /** A JSON-lines progress stream (pull, import); throws the first error it reports. */
  async progress(method: string, path: string, options: DockerRequest = {}): Promise<void> {
    const body = await this.stream(method, path, { timeoutMs: 10 * 60_000, ...options });
    for await (const line of splitLines(body)) {
      let parsed: { error?: string; errorDetail?: { message?: string } };
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      if (parsed.error) throw new DockerError(500, parsed.errorDetail?.message ?? parsed.error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.streams.destroy()]);
  }
}

/** Splits Docker's multiplexed stdout/stderr stream (8-byte frame headers) into text. */
export function demultiplex(buffer: Uint8Array): { stdout: string; stderr: string } {
  const decoder = new TextDecoder();
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size =
      ((buffer[offset + 4] << 24) | (buffer[offset + 5] << 16) | (buffer[offset + 6] << 8) | buffer[offset + 7]) >>> 0;
    const frame = buffer.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? err : out).push(frame);
    offset += 8 + size;
  }
  const join = (parts: Uint8Array[]) =>
    parts.map((p) => decoder.decode(p, { stream: true })).join("") + decoder.decode();
  return { stdout: join(out), stderr: join(err) };
}
