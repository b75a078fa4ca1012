// Which port-forward protocol a client asks for, from its upgrade headers and query. The Worker
// can only accept WebSocket upgrades, so:
// * kubectl ≥ 1.31 offers `SPDY/3.1+portforward.k8s.io`: SPDY/3.1 carried in binary WebSocket
//   messages (client-go's tunneling dialer; it falls back to plain SPDY when this upgrade fails).
// * client libraries offer `v4.channel.k8s.io` (or nothing) with `?ports=`: channel framing.
// * kubectl ≤ 1.30 sends a plain `Upgrade: SPDY/3.1` POST, which cannot be served here.
import { badRequest, type StatusError } from "../errors.ts";

export const SPDY_TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io";
export const CHANNEL_PROTOCOL = "v4.channel.k8s.io";

export interface PortForwardChoice {
  protocol: "spdy" | "channel";
  /** The WebSocket subprotocol to echo (none when the client offered none). */
  subprotocol?: string;
  ports: number[];
}

/** Parses `?ports=` as the kubelet does: repeated and comma-separated, each in 1..65535. */
export function parsePorts(values: string[]): number[] | StatusError {
  if (values.length === 0) return badRequest(`query parameter "port" is required`);
  const ports: number[] = [];
  for (const value of values) {
    if (value === "") return badRequest(`query parameter "port" cannot be empty`);
    for (const part of value.split(",")) {
      const port = /^\d+$/.test(part) ? Number(part) : NaN;
      if (!(port <= 65535)) return badRequest(`unable to parse "${value}" as a port`);
      if (port < 1) return badRequest(`port "${value}" must be > 0`);
      ports.push(port);
    }
  }
  return ports;
}

export function choosePortForwardProtocol(headers: Headers, query: URLSearchParams): PortForwardChoice | StatusError {
  const upgrade = (headers.get("upgrade") ?? "").toLowerCase();
  if (upgrade !== "websocket") {
    return badRequest(
      upgrade.startsWith("spdy/")
        ? `port-forward needs kubectl 1.31 or newer: this server upgrades to WebSocket only ` +
            `(${SPDY_TUNNEL_PROTOCOL} or ${CHANNEL_PROTOCOL}), not to SPDY`
        : "Upgrade request required",
    );
  }
  const offered = (headers.get("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (offered.includes(SPDY_TUNNEL_PROTOCOL)) return { protocol: "spdy", subprotocol: SPDY_TUNNEL_PROTOCOL, ports: [] };
  if (offered.length > 0 && !offered.includes(CHANNEL_PROTOCOL)) {
    return badRequest(
      `none of the offered WebSocket subprotocols is supported for port-forward: expected ` +
        `${SPDY_TUNNEL_PROTOCOL} or ${CHANNEL_PROTOCOL}`,
    );
  }
  // The query names the parameter `ports`; the kubelet's messages call it "port".
  const ports = parsePorts(query.getAll("ports"));
  if (!Array.isArray(ports)) return ports;
  return { protocol: "channel", subprotocol: offered.length > 0 ? CHANNEL_PROTOCOL : undefined, ports };
}
