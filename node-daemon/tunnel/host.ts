// What the node serves through its tunnel: container logs (the runtimes' CRI log files), exec
// into running containers and attach to their main process, port-forward to pods, and resource
// usage for `kubectl top`.
import type { ExecRequest, LogRequest, NodeMetricsReport, PortForwardRequest } from "../../api/tunnel/protocol.ts";
import { realClock, type Clock } from "../clock.ts";
import type { StreamOptions, TerminalSize } from "../runtime/exec-process.ts";
import type { ContainerInfo, ContainerRuntime } from "../runtime/types.ts";
import { streamCriLog } from "./cri-log.ts";
import { servePortForward } from "../portforward/serve.ts";
import type { ExecIO, PortForwardIO, TunnelHost } from "./client.ts";
import { TunnelError } from "./client.ts";
import { UsageSampler } from "./usage.ts";

const badRequest = (message: string) => new TunnelError(400, "BadRequest", message);

/**
 * How long a terminal session waits for kubectl's first size before starting the command (it
 * sends it at once when it has a terminal): a command started unsized would see 0x0.
 */
export const FIRST_SIZE_WAIT_MS = 1000;

export class RuntimeTunnelHost implements TunnelHost {
  private readonly runtime: ContainerRuntime;
  private readonly usage: UsageSampler;
  private readonly clock: Clock;

  constructor(runtime: ContainerRuntime, clock: Clock = realClock) {
    this.runtime = runtime;
    this.usage = new UsageSampler(runtime);
    this.clock = clock;
  }

  /** The container's attempts, newest first. */
  private async attempts(uid: string, name: string): Promise<ContainerInfo[]> {
    const all = await this.runtime.listContainers(uid);
    return all.filter((c) => c.name === name).sort((a, b) => b.attempt - a.attempt);
  }

  async streamLog(request: LogRequest, write: (text: string) => Promise<void>, signal: AbortSignal): Promise<void> {
    const attempts = await this.attempts(request.uid, request.container);
    const target = request.previous ? attempts[1] : attempts[0];
    if (!target?.logPath) {
      throw badRequest(
        request.previous
          ? `previous terminated container "${request.container}" in pod "${request.pod}" not found`
          : `container "${request.container}" in pod "${request.pod}" is waiting to start: ContainerCreating`,
      );
    }
    const since = request.sinceTime
      ? Date.parse(request.sinceTime)
      : request.sinceSeconds !== undefined
        ? Date.now() - request.sinceSeconds * 1000
        : undefined;
    let finished = target.state === "exited";
    const watcher =
      request.follow && !finished
        ? setInterval(() => void this.refresh(target.id).then((done) => (finished = done)), 1000)
        : undefined;
    try {
      await streamCriLog(
        target.logPath,
        {
          tailLines: request.tailLines,
          since,
          timestamps: request.timestamps,
          limitBytes: request.limitBytes,
          follow: request.follow && !request.previous,
          finished: () => finished,
        },
        write,
        signal,
      );
    } finally {
      if (watcher) clearInterval(watcher);
    }
  }

  private async refresh(id: string): Promise<boolean> {
    const status = await this.runtime.containerStatus(id);
    return !status || status.state === "exited";
  }

  /** `kubectl exec` runs a command in the container, `kubectl attach` joins its main process. */
  async exec(request: ExecRequest, io: ExecIO): Promise<number> {
    const running = (await this.attempts(request.uid, request.container)).find((c) => c.state === "running");
    // What the kubelet answers (through the API server's WebSocket translator) for a container
    // that is not running.
    if (!running)
      throw new TunnelError(
        500,
        "InternalError",
        `Internal error occurred: unable to upgrade connection: container not found ("${request.container}")`,
      );
    const options: StreamOptions = {
      tty: request.tty,
      stdin: request.stdin,
      stdout: request.stdout,
      stderr: request.stderr && !request.tty,
      size: request.tty && request.stdin ? await this.firstSize(io) : undefined,
    };
    const session = request.attach
      ? await this.runtime.attach(running.id, options)
      : await this.runtime.execStream(running.id, request.command, options);
    session.stdout.on("data", (chunk: Buffer) => io.write(1, chunk));
    // A terminal has one output stream: whatever comes on stderr joins stdout.
    session.stderr.on("data", (chunk: Buffer) => io.write(request.tty ? 1 : 2, chunk));
    io.onInput({
      stdin: (bytes) => session.stdin.write(bytes),
      stdinEnd: () => session.stdin.end(),
      resize: (size) => session.resize(size),
    });
    // A command without stdin reads EOF; an attach session without stdin leaves the container's alone.
    if (!request.stdin && !request.attach) session.stdin.end();
    session.stdin.on("error", () => {});
    if (io.signal.aborted) session.kill();
    else io.signal.addEventListener("abort", () => session.kill());
    return session.exit;
  }

  /** kubectl's first terminal size, or undefined when none comes in time (a client without a terminal). */
  private firstSize(io: ExecIO): Promise<TerminalSize | undefined> {
    return new Promise((resolve) => {
      const cancel = this.clock.setTimer(FIRST_SIZE_WAIT_MS, () => resolve(undefined));
      void io.firstSize.then((size) => {
        cancel();
        resolve(size);
      });
    });
  }

  /** `kubectl port-forward`: the pod's ports, dialed from this host. */
  portForward(request: PortForwardRequest, io: PortForwardIO): Promise<void> {
    return servePortForward(request, io, this.clock);
  }

  metrics(): Promise<NodeMetricsReport> {
    return this.usage.sample();
  }
}
