// Serves one port-forward session arriving through the tunnel: picks the client's protocol,
// dials the pod's ports on this host, and runs until the client leaves or says goodbye.
import { connect } from "node:net";
import type { PortForwardRequest } from "../../api/tunnel/protocol.ts";
import type { Clock } from "../clock.ts";
import type { PortForwardIO } from "../tunnel/client.ts";
import { ChannelPortForwardSession } from "./channel-session.ts";
import { dialAddress, explainDialError } from "./dial.ts";
import { SpdyPortForwardSession } from "./session.ts";

export function servePortForward(request: PortForwardRequest, io: PortForwardIO, clock: Clock): Promise<void> {
  const host = dialAddress(request.podIP);
  const common = {
    send: (bytes: Uint8Array) => io.write(bytes),
    dial: (port: number) => connect({ host, port }),
    pod: `${request.pod}_${request.namespace}`,
    uid: request.uid,
    explain: (err: Error, port: number) => explainDialError(err, host, port),
  };
  return new Promise((resolve) => {
    const session =
      request.protocol === "spdy"
        ? new SpdyPortForwardSession({ ...common, clock, onEnd: () => resolve() })
        : new ChannelPortForwardSession({ ...common, ports: request.ports, onEnd: () => resolve() });
    io.onInput((bytes) => session.receive(bytes));
    const stop = () => {
      session.close();
      resolve();
    };
    if (io.signal.aborted) stop();
    else io.signal.addEventListener("abort", stop, { once: true });
  });
}
