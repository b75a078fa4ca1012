// Kubernetes' WebSocket channel protocol for exec/attach (v4/v5.channel.k8s.io): every binary
// frame starts with its channel; channel 3 carries the final Status; v5 adds a close signal.

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
export const CLOSE_SIGNAL = 255;

const SUPPORTED = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

/** The subprotocol to echo: kubectl falls back to SPDY (which a Worker cannot serve) without one. */
export function selectChannelProtocol(header: string | null): string | undefined {
  const offered = (header ?? "").split(",").map((p) => p.trim());
  return SUPPORTED.find((protocol) => offered.includes(protocol));
}

/** The Status kubectl turns into its exit code. */
export function execStatus(exitCode: number, command: string[], message?: string) {
  if (exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message:
      message ??
      `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

/**
 * A resize message (channel 4): JSON `{"Width":W,"Height":H}` as kubectl sends it. Anything else
 * is ignored (undefined), as the kubelet ignores a resize it cannot decode.
 */
export function parseTerminalSize(payload: Uint8Array): { width: number; height: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { Width: width, Height: height } = value as { Width?: unknown; Height?: unknown };
  const dimension = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff;
  return dimension(width) && dimension(height) ? { width, height } : undefined;
}
