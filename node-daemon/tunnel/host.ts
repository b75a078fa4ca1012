// What the node serves through its tunnel: container logs (the runtimes' CRI log files), exec
// into running containers, and resource usage for `kubectl top`.
import type { ExecRequest, LogRequest, NodeMetricsReport } from "../../api/tunnel/protocol.ts";
import type { ContainerInfo, ContainerRuntime } from "../runtime/types.ts";
import { streamCriLog } from "./cri-log.ts";
import type { ExecIO, TunnelHost } from "./client.ts";
import { TunnelError } from "./client.ts";
import { UsageSampler } from "./usage.ts";

const badRequest = (message: string) => new TunnelError(400, "BadRequest", message);

export class RuntimeTunnelHost implements TunnelHost {
  private readonly runtime: ContainerRuntime;
  private readonly usage: UsageSampler;

  constructor(runtime: ContainerRuntime) {
    this.runtime = runtime;
    this.usage = new UsageSampler(runtime);
  }

  /** The container's attempts, newest first. */
  private async attempts(uid: string, name: string): Promise<ContainerInfo[]> {
    const all = await this.runtime.listContainers(uid);
    return all.filter((c) => c.name === name).sort((a, b) => b.attempt - a.attempt);
  }

  async streamLog(request: LogRequest, write: (text: string) => void, signal: AbortSignal): Promise<void> {
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

  async exec(request: ExecRequest, io: ExecIO): Promise<number> {
    if (request.attach) throw new TunnelError(501, "NotImplemented", "attach is not supported yet: use exec");
    const running = (await this.attempts(request.uid, request.container)).find((c) => c.state === "running");
    if (!running) throw badRequest(`container ${request.container} is not running`);
    const child = this.runtime.execStream(running.id, request.command);
    child.stdout.on("data", (chunk: Buffer) => io.write(1, chunk));
    child.stderr.on("data", (chunk: Buffer) => io.write(request.tty ? 1 : 2, chunk));
    io.onStdin((bytes) => child.stdin.write(bytes));
    io.onStdinEnd(() => child.stdin.end());
    if (!request.stdin) child.stdin.end();
    child.stdin.on("error", () => {});
    io.signal.addEventListener("abort", () => child.kill());
    return child.exit;
  }

  metrics(): Promise<NodeMetricsReport> {
    return this.usage.sample();
  }
}
