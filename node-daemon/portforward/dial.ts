// Where the node connects for a forwarded port, and how a failed connection is worded.
import { networkInterfaces } from "node:os";

/**
 * The address to dial for a pod. A pod with a network of its own (a Docker bridge, the process
 * runtime's namespace) is reached at its IP from the host. A pod on the host's network reports
 * one of the host's addresses: dial loopback instead, as the kubelet dials localhost inside the
 * pod's namespace (a server bound to 127.0.0.1 still answers).
 */
export function dialAddress(podIP: string | undefined, localAddresses: string[] = hostAddresses()): string {
  if (!podIP || localAddresses.includes(podIP)) return "127.0.0.1";
  return podIP;
}

function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .map((info) => info?.address ?? "")
    .filter(Boolean);
}

const GO_WORDING: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network is unreachable",
  ECONNRESET: "connection reset by peer",
};

/** A dial error as Go's net package words it (what the kubelet's users are used to reading). */
export function explainDialError(err: Error & { code?: string }, host: string, port: number): string {
  const why = (err.code && GO_WORDING[err.code]) ?? err.message;
  const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return `dial tcp4 ${address}: connect: ${why}`;
}
