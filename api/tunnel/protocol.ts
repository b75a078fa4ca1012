// The node tunnel: each node daemon keeps one WebSocket open to its NodeTunnel Durable Object
// (outbound from the node: no inbound port, works behind NAT). `kubectl logs|exec|attach|
// port-forward` requests become streams multiplexed over it. Messages are JSON text frames;
// stream payloads are base64 so binary (exec, port-forward) survives unchanged.

export interface LogRequest {
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  command: string[]; // empty for attach
  attach: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * `kubectl port-forward`: the node speaks the client's protocol over the relayed bytes.
 * "spdy" is portforward.k8s.io over SPDY/3.1 (kubectl ≥ 1.31 tunnels it in WebSocket binary
 * messages, a byte stream); "channel" is v4.channel.k8s.io with `?ports=` (client libraries), where
 * every WebSocket message is one data message and keeps its boundaries.
 */
export interface PortForwardRequest {
  namespace: string;
  pod: string;
  uid: string;
  /** From the pod's status; empty while it has none. */
  podIP: string;
  protocol: "spdy" | "channel";
  /** The `ports` query (channel protocol only). */
  ports: number[];
}

/** Control plane → node. */
export type ToNode =
  | { type: "open-log"; stream: number; request: LogRequest }
  | { type: "open-exec"; stream: number; request: ExecRequest }
  | { type: "open-port"; stream: number; request: PortForwardRequest }
  | { type: "get-metrics"; stream: number } // answered with one data message holding a NodeMetricsReport
  | { type: "data"; stream: number; channel: number; data: string } // exec stdin (channel 0), port-forward bytes (0)
  | { type: "resize"; stream: number; width: number; height: number }
  | { type: "close-stdin"; stream: number }
  | { type: "cancel"; stream: number };

/** Node → control plane. */
export type FromNode =
  | { type: "hello"; node: string }
  | { type: "data"; stream: number; channel: number; data: string } // log text (1), exec stdout 1 / stderr 2, port-forward bytes (0)
  | { type: "error"; stream: number; status: number; reason: string; message: string } // before any data: an HTTP error
  | { type: "exit"; stream: number; exitCode: number; message?: string } // exec finished
  | { type: "end"; stream: number };

export const encodeData = (bytes: Uint8Array): string => {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

export const decodeData = (data: string): Uint8Array => Uint8Array.from(atob(data), (c) => c.charCodeAt(0));

/** Parses the pods/log query as kube-apiserver does (PodLogOptions). */
export function logRequestFrom(
  query: URLSearchParams,
  pod: { namespace: string; name: string; uid: string; container: string },
): LogRequest {
  const number = (key: string) => {
    const value = query.get(key);
    if (value === null || value === "") return undefined;
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed >= 0 ? parsed : undefined;
  };
  const flag = (key: string) => query.get(key) === "true" || query.get(key) === "1";
  return {
    namespace: pod.namespace,
    pod: pod.name,
    uid: pod.uid,
    container: pod.container,
    follow: flag("follow"),
    previous: flag("previous"),
    timestamps: flag("timestamps"),
    tailLines: number("tailLines"),
    sinceSeconds: number("sinceSeconds"),
    sinceTime: query.get("sinceTime") ?? undefined,
    limitBytes: number("limitBytes"),
  };
}

/** Resource usage a node reports for `kubectl top` (metrics.k8s.io). */
export interface NodeMetricsReport {
  timestamp: string;
  windowSeconds: number;
  node: Usage;
  pods: Array<{ namespace: string; name: string; containers: Array<{ name: string } & Usage> }>;
}

export interface Usage {
  cpuNanoCores: number;
  memoryBytes: number;
}
