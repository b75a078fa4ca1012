// The `docker` runtime: one pause container per pod holds its network (and IPC) namespace on
// Docker's bridge; the pod's containers join it. Every container carries labels naming its node,
// pod and container, so a restarted daemon finds and re-adopts them.
import type { ExecProcess, StreamOptions, TerminalSize } from "../exec-process.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { splitLines } from "../../api/lines.ts";
import { sleep, type Clock } from "../../clock.ts";
import { errorMessage, type Logger } from "../../log.ts";
import { goArch } from "../../node/host-info.ts";
import { jitteredBackoff } from "../../informer/backoff.ts";
import {
  ContainerStartError,
  ImagePullError,
  type ContainerConfig,
  type ContainerInfo,
  type ContainerRuntime,
  type ExecOptions,
  type ExecResult,
  type ImageInfo,
  type PodRef,
  type SandboxConfig,
  type SandboxInfo,
} from "../types.ts";
import { DockerClient, DockerError, demultiplex, isDockerNotFound } from "./client.ts";
import { resizeQueue } from "../resize-queue.ts";
import { hijackedSession } from "./exec-session.ts";
import { hijack } from "./hijack.ts";
import { DockerLogFollower } from "./log-follower.ts";
import { pauseBinary, supportsPauseBinary, tarArchive } from "./pause-image.ts";

export const LABEL = {
  node: "dev.flotilla.node",
  /** Which cluster the node belongs to: two clusters' nodes may share a Docker engine and a name. */
  cluster: "dev.flotilla.cluster",
  kind: "dev.flotilla.kind",
  attempt: "dev.flotilla.attempt",
  init: "dev.flotilla.init",
  ephemeral: "dev.flotilla.ephemeral",
  sandbox: "dev.flotilla.sandbox",
  specHash: "dev.flotilla.spec-hash",
  logPath: "dev.flotilla.log-path",
  tty: "dev.flotilla.tty",
  podUid: "io.kubernetes.pod.uid",
  podName: "io.kubernetes.pod.name",
  podNamespace: "io.kubernetes.pod.namespace",
  container: "io.kubernetes.container.name",
} as const;

export const PAUSE_IMAGE = "flotilla/pause:1";

const parseTime = (text: string | undefined) => (text && !text.startsWith("0001-01-01") ? Date.parse(text) : undefined);

/** Docker container names: dockershim's k8s_<container>_<pod>_<namespace>_<uid>_<attempt>. */
const containerName = (pod: PodRef, name: string, attempt: number) =>
  `k8s_${name}_${pod.name}_${pod.namespace}_${pod.uid}_${attempt}`;

export interface DockerRuntimeOptions {
  nodeName: string;
  /** Identifies the cluster (see RuntimeChoice.clusterKey). */
  clusterKey: string;
  hostIP: string;
  clock: Clock;
  logger: Logger;
  docker?: DockerClient;
  pauseImage?: string;
}

interface InspectedContainer {
  Id: string;
  Created: string;
  Image: string;
  State: {
    Status: string;
    Running: boolean;
    OOMKilled: boolean;
    ExitCode: number;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
  };
  Config: { Image: string; Labels: Record<string, string> | null; Tty?: boolean };
  NetworkSettings: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> };
  HostConfig: { NetworkMode?: string };
}

export class DockerRuntime implements ContainerRuntime {
  readonly name = "docker" as const;
  version = "docker://unknown";
  private readonly docker: DockerClient;
  private readonly options: DockerRuntimeOptions;
  private readonly pauseImage: string;
  private readonly listeners: Array<(podUid: string) => void> = [];
  private readonly imageRefs = new Map<string, string>();
  private readonly events = new AbortController();
  private apiVersion = "";
  private readonly logs: DockerLogFollower;

  constructor(options: DockerRuntimeOptions) {
    this.options = options;
    this.docker = options.docker ?? new DockerClient();
    this.pauseImage = options.pauseImage ?? PAUSE_IMAGE;
    this.logs = new DockerLogFollower(this.docker, options.logger);
  }

  describe(): string {
    return `docker (Docker ${this.version.replace("docker://", "")}, API ${this.apiVersion} at ${this.docker.endpoint.label})`;
  }

  async init(): Promise<void> {
    const { version, apiVersion } = await this.docker.negotiate();
    this.version = `docker://${version}`;
    this.apiVersion = apiVersion;
    await this.ensurePauseImage();
    void this.watchEvents();
    // Containers a previous run started: keep their CRI logs going from where they stopped.
    for (const c of await this.listContainers()) {
      if (c.state === "running" && c.logPath) this.logs.follow(c.id, c.logPath, c.tty === true);
    }
  }

  async health(): Promise<string | undefined> {
    try {
      await this.docker.json("GET", "/_ping", { timeoutMs: 5000 });
      return undefined;
    } catch (err) {
      return `container runtime is down: ${errorMessage(err)}`;
    }
  }

  async close(): Promise<void> {
    this.events.abort();
    this.logs.stopAll();
    await this.docker.close();
  }

  onContainerEvent(listener: (podUid: string) => void): void {
    this.listeners.push(listener);
  }

  /** Container exits (and OOM kills) reach the pod workers at once rather than at their next resync. */
  private async watchEvents(): Promise<void> {
    const filters = JSON.stringify({
      type: ["container"],
      event: ["die", "oom", "start"],
      label: [`${LABEL.node}=${this.options.nodeName}`, `${LABEL.cluster}=${this.options.clusterKey}`],
    });
    let failures = 0;
    while (!this.events.signal.aborted) {
      try {
        const body = await this.docker.stream("GET", `/events?filters=${encodeURIComponent(filters)}`, {
          signal: this.events.signal,
          longLived: true,
        });
        failures = 0;
        for await (const line of splitLines(body)) {
          const event = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
          const uid = event.Actor?.Attributes?.[LABEL.podUid];
          if (uid) for (const listener of this.listeners) listener(uid);
        }
      } catch (err) {
        if (this.events.signal.aborted) return;
        failures++;
        this.options.logger.debug(`docker events: ${errorMessage(err)}`);
      }
      await sleep(
        this.options.clock,
        jitteredBackoff(failures + 1, { initialMs: 500, maxMs: 10_000 }),
        this.events.signal,
      );
    }
  }

  private async ensurePauseImage(): Promise<void> {
    if (await this.imageStatus(this.pauseImage)) return;
    const arch = goArch();
    if (this.pauseImage !== PAUSE_IMAGE || !supportsPauseBinary(arch))
      throw new Error(`the pod sandbox image ${this.pauseImage} is missing and cannot be built for ${arch}`);
    const tar = tarArchive([{ name: "pause", mode: 0o755, data: pauseBinary(arch) }]);
    const [repo, tag] = PAUSE_IMAGE.split(":");
    await this.docker.progress(
      "POST",
      `/images/create?fromSrc=-&repo=${encodeURIComponent(repo)}&tag=${tag}` +
        `&changes=${encodeURIComponent('ENTRYPOINT ["/pause"]')}`,
      { raw: tar },
    );
    this.options.logger.info(`built the pod sandbox image ${PAUSE_IMAGE} (${tar.length} bytes)`);
  }

  private labels(pod: PodRef, extra: Record<string, string>): Record<string, string> {
    return {
      [LABEL.node]: this.options.nodeName,
      [LABEL.cluster]: this.options.clusterKey,
      [LABEL.podUid]: pod.uid,
      [LABEL.podName]: pod.name,
      [LABEL.podNamespace]: pod.namespace,
      ...extra,
    };
  }

  /** Creates a container, replacing a stale one that holds the same name. */
  private async create(name: string, body: unknown): Promise<string> {
    const path = `/containers/create?name=${encodeURIComponent(name)}`;
    try {
      return (await this.docker.json<{ Id: string }>("POST", path, { body })).Id;
    } catch (err) {
      if (!(err instanceof DockerError) || err.status !== 409) throw err;
      await this.docker.json("DELETE", `/containers/${encodeURIComponent(name)}?force=1&v=1`).catch(() => {});
      return (await this.docker.json<{ Id: string }>("POST", path, { body })).Id;
    }
  }

  async runSandbox(config: SandboxConfig): Promise<SandboxInfo> {
    const id = await this.create(containerName(config.pod, "POD", config.attempt), {
      Image: this.pauseImage,
      Entrypoint: ["/pause"],
      Hostname: config.hostNetwork ? undefined : config.hostname.slice(0, 63),
      Labels: this.labels(config.pod, { [LABEL.kind]: "sandbox", [LABEL.attempt]: String(config.attempt) }),
      HostConfig: {
        NetworkMode: config.hostNetwork ? "host" : "bridge",
        IpcMode: "shareable",
        RestartPolicy: { Name: "no" },
      },
    });
    await this.docker.json("POST", `/containers/${id}/start`);
    const sandbox = await this.sandboxOf(id);
    if (!sandbox) throw new Error(`sandbox ${id} vanished after it started`);
    return sandbox;
  }

  private async inspect(id: string): Promise<InspectedContainer | undefined> {
    try {
      return await this.docker.json<InspectedContainer>("GET", `/containers/${encodeURIComponent(id)}/json`);
    } catch (err) {
      if (isDockerNotFound(err)) return undefined;
      throw err;
    }
  }

  private sandboxFrom(c: InspectedContainer): SandboxInfo {
    const labels = c.Config.Labels ?? {};
    const hostNetwork = c.HostConfig.NetworkMode === "host";
    const ip =
      (hostNetwork ? this.options.hostIP : undefined) ??
      (c.NetworkSettings.IPAddress || Object.values(c.NetworkSettings.Networks ?? {})[0]?.IPAddress || "");
    return {
      id: c.Id,
      pod: { uid: labels[LABEL.podUid], name: labels[LABEL.podName], namespace: labels[LABEL.podNamespace] },
      attempt: Number(labels[LABEL.attempt] ?? 0),
      state: c.State.Running ? "ready" : "notready",
      ip,
      createdAt: Date.parse(c.Created),
    };
  }

  sandboxStatus(id: string): Promise<SandboxInfo | undefined> {
    return this.sandboxOf(id);
  }

  private async sandboxOf(id: string): Promise<SandboxInfo | undefined> {
    const c = await this.inspect(id);
    return c ? this.sandboxFrom(c) : undefined;
  }

  async stopSandbox(id: string): Promise<void> {
    try {
      // The pause process ignores SIGTERM as pid 1; nothing to wait for.
      await this.docker.json("POST", `/containers/${id}/kill`);
    } catch (err) {
      if (!(err instanceof DockerError) || (err.status !== 404 && err.status !== 409)) throw err;
    }
  }

  async removeSandbox(id: string): Promise<void> {
    await this.removeContainer(id);
  }

  private async listIds(kind: "sandbox" | "container", podUid?: string): Promise<string[]> {
    const label = [
      `${LABEL.node}=${this.options.nodeName}`,
      `${LABEL.cluster}=${this.options.clusterKey}`,
      `${LABEL.kind}=${kind}`,
    ];
    if (podUid) label.push(`${LABEL.podUid}=${podUid}`);
    const filters = encodeURIComponent(JSON.stringify({ label }));
    const list = await this.docker.json<Array<{ Id: string }>>("GET", `/containers/json?all=1&filters=${filters}`);
    return list.map((c) => c.Id);
  }

  async listSandboxes(): Promise<SandboxInfo[]> {
    const found = await Promise.all((await this.listIds("sandbox")).map((id) => this.inspect(id)));
    return found.filter((c) => c !== undefined).map((c) => this.sandboxFrom(c));
  }

  async imageStatus(image: string): Promise<ImageInfo | undefined> {
    try {
      const info = await this.docker.json<{ Id: string; RepoDigests?: string[]; Size?: number }>(
        "GET",
        `/images/${encodeURIComponent(image)}/json`,
      );
      const ref = info.RepoDigests?.[0] ? `docker-pullable://${info.RepoDigests[0]}` : `docker://${info.Id}`;
      this.imageRefs.set(info.Id, ref);
      return { ref, sizeBytes: info.Size };
    } catch (err) {
      if (isDockerNotFound(err)) return undefined;
      throw err;
    }
  }

  async pullImage(image: string): Promise<ImageInfo> {
    const { repo, tag } = splitImage(image);
    try {
      await this.docker.progress(
        "POST",
        `/images/create?fromImage=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`,
      );
    } catch (err) {
      throw new ImagePullError(errorMessage(err));
    }
    const info = await this.imageStatus(image);
    if (!info) throw new ImagePullError(`image ${image} is missing after its pull`);
    return info;
  }

  async createContainer(sandbox: SandboxInfo, config: ContainerConfig): Promise<string> {
    const binds = config.mounts.map((m) => `${m.hostPath}:${m.containerPath}${m.readOnly ? ":ro" : ""}`);
    if (config.terminationMessage) {
      mkdirSync(config.terminationMessage.hostPath.replace(/\/[^/]*$/, ""), { recursive: true });
      writeFileSync(config.terminationMessage.hostPath, "");
      binds.push(`${config.terminationMessage.hostPath}:${config.terminationMessage.containerPath}`);
    }
    const { resources } = config;
    const user =
      config.user?.uid !== undefined
        ? `${config.user.uid}${config.user.gid !== undefined ? `:${config.user.gid}` : ""}`
        : undefined;
    const body = {
      Image: config.image,
      ...(config.command ? { Entrypoint: config.command } : {}),
      ...(config.args ? { Cmd: config.args } : config.command ? { Cmd: [] } : {}),
      Env: config.env.map((e) => `${e.name}=${e.value}`),
      WorkingDir: config.workingDir ?? "",
      User: user,
      Tty: config.tty,
      OpenStdin: config.stdin,
      StdinOnce: config.stdin && config.stdinOnce,
      Labels: this.labels(config.pod, {
        [LABEL.kind]: "container",
        [LABEL.container]: config.name,
        [LABEL.attempt]: String(config.attempt),
        [LABEL.init]: String(config.init),
        [LABEL.ephemeral]: String(config.ephemeral),
        [LABEL.sandbox]: sandbox.id,
        [LABEL.specHash]: config.specHash,
        [LABEL.logPath]: config.logPath,
        [LABEL.tty]: String(config.tty),
      }),
      HostConfig: {
        NetworkMode: `container:${sandbox.id}`,
        IpcMode: `container:${sandbox.id}`,
        // kubectl debug --target: the ephemeral container sees (and can signal) the target's processes.
        ...(config.pidTargetId ? { PidMode: `container:${config.pidTargetId}` } : {}),
        Binds: binds,
        Memory: resources.memoryLimitBytes ?? 0,
        NanoCpus: resources.cpuLimitMillis ? resources.cpuLimitMillis * 1_000_000 : 0,
        CpuShares: resources.cpuRequestMillis ? Math.max(2, Math.floor((resources.cpuRequestMillis * 1024) / 1000)) : 2,
        Privileged: config.privileged,
        ReadonlyRootfs: config.readOnlyRootFilesystem,
        CapAdd: config.capabilities?.add ?? [],
        CapDrop: config.capabilities?.drop ?? [],
        RestartPolicy: { Name: "no" },
        LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
      },
    };
    try {
      return await this.create(containerName(config.pod, config.name, config.attempt), body);
    } catch (err) {
      throw new ContainerStartError(errorMessage(err), "CreateContainerError");
    }
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.json("POST", `/containers/${id}/start`);
    } catch (err) {
      throw new ContainerStartError(errorMessage(err), "StartError");
    }
    const c = await this.inspect(id);
    const logPath = c?.Config.Labels?.[LABEL.logPath];
    if (logPath) this.logs.follow(id, logPath, c?.Config.Labels?.[LABEL.tty] === "true");
  }

  async stopContainer(id: string, graceMs: number): Promise<void> {
    const seconds = Math.max(0, Math.ceil(graceMs / 1000));
    try {
      await this.docker.json("POST", `/containers/${id}/stop?t=${seconds}`, { timeoutMs: seconds * 1000 + 30_000 });
    } catch (err) {
      if (!isDockerNotFound(err)) throw err;
    }
  }

  async removeContainer(id: string): Promise<void> {
    this.logs.stop(id);
    try {
      await this.docker.json("DELETE", `/containers/${id}?force=1&v=1`);
    } catch (err) {
      if (!isDockerNotFound(err) && !(err instanceof DockerError && err.status === 409)) throw err;
    }
  }

  private async imageRefOf(imageId: string): Promise<string> {
    const known = this.imageRefs.get(imageId);
    if (known) return known;
    return (await this.imageStatus(imageId))?.ref ?? `docker://${imageId}`;
  }

  private async containerFrom(c: InspectedContainer): Promise<ContainerInfo> {
    const labels = c.Config.Labels ?? {};
    const started = parseTime(c.State.StartedAt);
    const finished = parseTime(c.State.FinishedAt);
    const status = c.State.Status;
    const state =
      status === "running" || status === "paused" || status === "restarting"
        ? "running"
        : status === "created"
          ? "created"
          : status === "exited" || status === "dead"
            ? "exited"
            : "unknown";
    let reason: string | undefined;
    let message: string | undefined;
    // A container whose start failed stays "created" with the error recorded.
    const startFailed = state === "created" && c.State.Error !== "";
    if (startFailed) {
      return {
        ...(await this.containerFrom({ ...c, State: { ...c.State, Status: "exited" } })),
        exitCode: c.State.ExitCode || 128,
        reason: "StartError",
        message: c.State.Error,
        startedAt: Date.parse(c.Created),
        finishedAt: Date.parse(c.Created),
      };
    }
    if (state === "exited") {
      if (c.State.OOMKilled) reason = "OOMKilled";
      else if (c.State.Error && !started) {
        reason = "ContainerCannotRun";
        message = c.State.Error;
      } else reason = c.State.ExitCode === 0 ? "Completed" : "Error";
    }
    return {
      id: c.Id,
      pod: { uid: labels[LABEL.podUid], name: labels[LABEL.podName], namespace: labels[LABEL.podNamespace] },
      name: labels[LABEL.container] ?? "",
      attempt: Number(labels[LABEL.attempt] ?? 0),
      init: labels[LABEL.init] === "true",
      ephemeral: labels[LABEL.ephemeral] === "true",
      sandboxId: labels[LABEL.sandbox] ?? "",
      image: c.Config.Image,
      imageRef: await this.imageRefOf(c.Image),
      state,
      createdAt: Date.parse(c.Created),
      startedAt: started,
      finishedAt: state === "exited" ? (finished ?? started) : undefined,
      exitCode: state === "exited" ? c.State.ExitCode : undefined,
      reason,
      message,
      specHash: labels[LABEL.specHash] ?? "",
      logPath: labels[LABEL.logPath],
      tty: labels[LABEL.tty] === "true",
    };
  }

  async containerStatus(id: string): Promise<ContainerInfo | undefined> {
    const c = await this.inspect(id);
    return c ? this.containerFrom(c) : undefined;
  }

  async listContainers(podUid?: string): Promise<ContainerInfo[]> {
    const found = await Promise.all((await this.listIds("container", podUid)).map((id) => this.inspect(id)));
    return Promise.all(found.filter((c) => c !== undefined).map((c) => this.containerFrom(c)));
  }

  async containerUsage(id: string): Promise<{ cpuNs: number; memoryBytes: number } | undefined> {
    const stats = await this.docker.json<{
      cpu_stats?: { cpu_usage?: { total_usage?: number } };
      memory_stats?: { usage?: number; stats?: { inactive_file?: number; total_inactive_file?: number } };
    }>("GET", `/containers/${id}/stats?stream=false&one-shot=true`);
    const cpuNs = stats.cpu_stats?.cpu_usage?.total_usage;
    if (cpuNs === undefined) return undefined;
    // Like the kubelet's working set: usage minus the page cache that can be dropped.
    const memory = stats.memory_stats ?? {};
    const inactive = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? 0;
    return { cpuNs, memoryBytes: Math.max(0, (memory.usage ?? 0) - inactive) };
  }

  /** Docker takes a terminal's size with the exec from API 1.42; older engines only resize it once it runs. */
  private get takesConsoleSize(): boolean {
    const [major, minor] = this.apiVersion.split(".").map(Number);
    return major > 1 || minor >= 42;
  }

  /** `kubectl exec`: an exec instance started over a hijacked connection (raw bytes with a TTY). */
  async execStream(id: string, command: string[], options: StreamOptions): Promise<ExecProcess> {
    const consoleSize =
      options.tty && options.size && this.takesConsoleSize
        ? { ConsoleSize: [options.size.height, options.size.width] }
        : {};
    const created = await this.docker.json<{ Id: string }>("POST", `/containers/${id}/exec`, {
      body: {
        Cmd: command,
        AttachStdin: options.stdin,
        AttachStdout: options.stdout,
        AttachStderr: options.stderr && !options.tty,
        Tty: options.tty,
        ...consoleSize,
      },
    });
    const exec = encodeURIComponent(created.Id);
    const socket = await hijack(this.docker.endpoint, "POST", this.docker.versioned(`/exec/${exec}/start`), {
      Detach: false,
      Tty: options.tty,
      ...consoleSize,
    });
    const resize = resizeQueue((size: TerminalSize) =>
      this.docker
        .json("POST", `/exec/${exec}/resize?h=${size.height}&w=${size.width}`)
        .catch((err) => this.options.logger.debug(`exec resize: ${errorMessage(err)}`)),
    );
    // The engine holds a resize until the process has started (at most 10 s): the size lands at once.
    if (options.tty && options.size && !this.takesConsoleSize) resize(options.size);
    return hijackedSession(socket, { tty: options.tty, resize, finish: () => this.execExitCode(created.Id) });
  }

  /** The exit code, once the engine has recorded it (a moment after the stream closes). */
  private async execExitCode(execId: string): Promise<number> {
    for (let tries = 0; ; tries++) {
      const inspected = await this.docker.json<{ Running: boolean; ExitCode: number | null }>(
        "GET",
        `/exec/${encodeURIComponent(execId)}/json`,
      );
      if ((!inspected.Running && inspected.ExitCode !== null) || tries >= 40) return inspected.ExitCode ?? 1;
      await sleep(this.options.clock, 25);
    }
  }

  /**
   * `kubectl attach`: the container's main process. The stream's framing follows the container's
   * own TTY; stdin reaches it only when the container was created with `stdin: true`.
   */
  async attach(id: string, options: StreamOptions): Promise<ExecProcess> {
    const container = await this.inspect(id);
    if (!container?.State.Running) throw new DockerError(409, `container ${id} is not running`);
    const flag = (on: boolean) => (on ? "1" : "0");
    const query = `stream=1&stdin=${flag(options.stdin)}&stdout=${flag(options.stdout)}&stderr=${flag(options.stderr)}`;
    const path = this.docker.versioned(`/containers/${encodeURIComponent(id)}/attach?${query}`);
    const socket = await hijack(this.docker.endpoint, "POST", path, undefined);
    const tty = container.Config.Tty === true;
    const resize = resizeQueue(async (size: TerminalSize) => {
      if (!tty) return;
      await this.docker
        .json("POST", `/containers/${encodeURIComponent(id)}/resize?h=${size.height}&w=${size.width}`)
        .catch((err) => this.options.logger.debug(`attach resize: ${errorMessage(err)}`));
    });
    if (options.size) resize(options.size);
    return hijackedSession(socket, { tty, resize, finish: async () => 0 });
  }

  async exec(id: string, command: string[], options: ExecOptions): Promise<ExecResult> {
    const created = await this.docker.json<{ Id: string }>("POST", `/containers/${id}/exec`, {
      body: { Cmd: command, AttachStdout: true, AttachStderr: true, Tty: false },
    });
    const limit = options.maxOutputBytes ?? 10 * 1024;
    const timeout = new AbortController();
    const cancel = this.options.clock.setTimer(options.timeoutMs, () => timeout.abort());
    const chunks: Uint8Array[] = [];
    let size = 0;
    let timedOut = false;
    try {
      const body = await this.docker.stream("POST", `/exec/${created.Id}/start`, {
        body: { Detach: false, Tty: false },
        signal: timeout.signal,
      });
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        if (size < limit + 8) {
          chunks.push(chunk);
          size += chunk.length;
        }
      }
    } catch (err) {
      if (!timeout.signal.aborted) throw err;
      timedOut = true;
    } finally {
      cancel();
    }
    const buffer = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      buffer.set(chunk, offset);
      offset += chunk.length;
    }
    const { stdout, stderr } = demultiplex(buffer);
    if (timedOut) return { exitCode: -1, output: (stdout + stderr).slice(0, limit), timedOut };
    const inspected = await this.docker.json<{ ExitCode: number | null }>("GET", `/exec/${created.Id}/json`);
    return { exitCode: inspected.ExitCode ?? -1, output: (stdout + stderr).slice(0, limit), timedOut: false };
  }
}

/** `busybox` → busybox:latest; `reg:5000/a/b:1` → reg:5000/a/b and 1; digests keep their @. */
export function splitImage(image: string): { repo: string; tag: string } {
  if (image.includes("@")) {
    const at = image.indexOf("@");
    return { repo: image.slice(0, at), tag: image.slice(at + 1) };
  }
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon > slash) return { repo: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repo: image, tag: "latest" };
}
