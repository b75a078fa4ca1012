// Docker's hijacked connections (exec start, container attach): an HTTP request asking to
// upgrade to `tcp`; after the 101 answer the same socket carries the process's stdin one way
// and its output the other. undici cannot hand a request body's socket over, so this speaks
// the few lines of HTTP/1.1 itself.
import { connect, type Socket } from "node:net";
import { DockerError } from "./client.ts";

export interface ResponseHead {
  status: number;
  headers: Record<string, string>;
  /** Bytes of the head, including the blank line that ends it. */
  length: number;
}

/** Parses an HTTP/1.1 response head, or answers undefined while it is incomplete. */
export function parseResponseHead(buffer: Uint8Array): ResponseHead | undefined {
  const text = Buffer.from(buffer).toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new DockerError(502, `unexpected answer from the Docker engine: ${statusLine.slice(0, 80)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), headers, length: end + 4 };
}

/** The engine's error message from an error body (JSON `{"message"}`, possibly chunked, or plain text). */
export function errorMessageOf(body: string): string {
  const json = body.slice(body.indexOf("{"), body.lastIndexOf("}") + 1);
  try {
    const parsed = JSON.parse(json) as { message?: string };
    if (typeof parsed.message === "string") return parsed.message.trim();
  } catch {
    // Plain text.
  }
  return body.trim();
}

export interface HijackEndpoint {
  origin: string;
  socketPath?: string;
}

/**
 * Sends the request and resolves with the upgraded socket, paused, with any stream bytes that
 * came with the answer pushed back into it; an error answer rejects with a DockerError.
 */
export function hijack(endpoint: HijackEndpoint, method: string, path: string, body: unknown): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // Half-open: closing our side (stdin's end) must leave the output flowing.
    const socket = endpoint.socketPath
      ? connect({ path: endpoint.socketPath, allowHalfOpen: true })
      : connect({ ...hostAndPort(endpoint.origin), allowHalfOpen: true });
    const payload = Buffer.from(JSON.stringify(body ?? {}));
    let received = Buffer.alloc(0);
    let head: ResponseHead | undefined;
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!head) {
        try {
          head = parseResponseHead(received);
        } catch (err) {
          return fail(err as Error);
        }
        if (!head) return;
      }
      if (head.status === 101 || head.status === 200) {
        // 200: an engine that streams without the upgrade dance; the bytes are the same.
        socket.off("data", onData);
        socket.off("error", fail);
        socket.off("end", onEnd);
        socket.pause();
        const rest = received.subarray(head.length);
        if (rest.length > 0) socket.unshift(rest);
        return resolve(socket);
      }
      // An error answer: complete once its declared length (or last chunk) is in.
      const bodyBytes = received.subarray(head.length);
      const length = Number(head.headers["content-length"] ?? NaN);
      const chunkedDone = head.headers["transfer-encoding"] === "chunked" && bodyBytes.toString().endsWith("0\r\n\r\n");
      if (bodyBytes.length >= length || chunkedDone) onEnd();
    };
    const onEnd = () => {
      const status = head?.status ?? 502;
      const text = head ? received.subarray(head.length).toString("utf8") : "the Docker engine closed the connection";
      fail(new DockerError(status, errorMessageOf(text) || `HTTP ${status}`));
    };
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("error", fail);
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`,
    );
    socket.write(payload);
  });
}

function hostAndPort(origin: string): { host: string; port: number } {
  const url = new URL(origin);
  return { host: url.hostname, port: Number(url.port || 2375) };
}
