// The `process` runtime: containers are host processes (the image is only recorded). Each runs
// under a small shell shim that outlives the daemon; records on disk let a restarted daemon
// re-adopt them. As root, a pod gets its own network namespace on the node's bridge, volumes
// are bind-mounted in a private mount namespace and limits go into cgroups; otherwise pods use
// the host's network.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { sleep, type Clock } from "../../clock.ts";
import { errorMessage, type Logger } from "../../log.ts";
import {
  ContainerStartError,
  type ContainerConfig,
  type ContainerInfo,
  type ContainerRuntime,
  type ExecOptions,
  type ExecResult,
  type ImageInfo,
  type Mount,
  type PodRef,
  type SandboxConfig,
  type SandboxInfo,
} from "../types.ts";
import { childExecProcess, type ExecProcess, type StreamOptions } from "../exec-process.ts";
import { AttachHub } from "./attach.ts";
import type { Cgroups } from "./cgroups.ts";
import { DEFAULT_PATH, findBusyBox, linkApplets, resolveCommand, type BusyBox } from "./command.ts";
import { LogTailer } from "./log-tailer.ts";
import type { BridgeNetwork } from "./network.ts";
import { shortHash } from "../../util/hash.ts";
import { isAlive, killQuietly, procStat, procUsage } from "./proc.ts";
import { SHIM_SCRIPT } from "./shim.ts";
import { findScript, terminalArgv, terminalResizer } from "./terminal.ts";

export const PROCESS_RUNTIME_VERSION = "process://0.1.0";

interface SandboxRecord {
  id: string;
  pod: PodRef;
  attempt: number;
  netns?: string;
  ip: string;
  /** Set in the pod's own UTS namespace (not with host networking, not without root). */
  hostname?: string;
  createdAt: number;
  state: "ready" | "notready";
}

interface ContainerRecord {
  id: string;
  pod: PodRef;
  name: string;
  attempt: number;
  init: boolean;
  /** Started for spec.ephemeralContainers (absent in records of older daemons: false). */
  ephemeral?: boolean;
  sandboxId: string;
  netns?: string;
  hostname?: string;
  image: string;
  specHash: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  user?: { uid?: number; gid?: number };
  mounts: Mount[];
  createdMountpoints: string[];
  resources: ContainerConfig["resources"];
  cgroupPaths: string[];
  state: "created" | "running" | "exited";
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
  pid?: number;
  pidStart?: string;
  logPath: string;
  logOffsets: { stdout: number; stderr: number };
  terminationMessagePath?: string;
  /** `kubectl attach` may write to its stdin (absent in records of older daemons: false). */
  stdin?: boolean;
  stdinOnce?: boolean;
}

export interface ProcessRuntimeOptions {
  /** Unique to this node of this cluster on the host: names its cgroups. */
  nodeKey: string;
  hostIP: string;
  /** The runtime's own state: shim, container records, raw output. */
  dir: string;
  clock: Clock;
  logger: Logger;
  /** Pod networking; without it pods share the host's network. */
  network?: BridgeNetwork;
  cgroups?: Cgroups;
  /** Bind-mount volumes in a private mount namespace (needs root). */
  isolateMounts: boolean;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

export class ProcessRuntime implements ContainerRuntime {
  readonly name = "process" as const;
  readonly version = PROCESS_RUNTIME_VERSION;
  private readonly options: ProcessRuntimeOptions;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly children = new Map<string, ChildProcess>();
  private readonly listeners: Array<(podUid: string) => void> = [];
  private readonly tailer: LogTailer;
  private readonly attachments: AttachHub;
  private readonly shimPath: string;
  private readonly key: string;
  private busybox: BusyBox | undefined;
  private cancelPoll: (() => void) | undefined;
  private closed = false;

  constructor(options: ProcessRuntimeOptions) {
    this.options = options;
    this.tailer = new LogTailer(options.clock);
    this.attachments = new AttachHub(this.tailer);
    // Named by content: a shell reads its script as it runs, so a running shim's file never changes.
    this.shimPath = join(options.dir, `shim-${shortHash(SHIM_SCRIPT, 12)}.sh`);
    this.key = options.nodeKey;
  }

  /** The pod network's range (reported as the Node's podCIDR), when pods get their own addresses. */
  get podCIDR(): string | undefined {
    return this.options.network?.cidr;
  }

  describe(): string {
    const network = this.options.network
      ? `pod network ${this.options.network.cidr} on bridge ${this.options.network.bridge}`
      : "host network";
    const limits = this.options.cgroups ? `, limits in cgroup v${this.options.cgroups.version}` : "";
    return `process (${network}${limits}${this.busybox ? `, BusyBox applets from ${this.busybox.path}` : ""})`;
  }

  private get sandboxDir() {
    return join(this.options.dir, "sandboxes");
  }

  private get containerDir() {
    return join(this.options.dir, "containers");
  }

  async init(): Promise<void> {
    mkdirSync(this.sandboxDir, { recursive: true });
    mkdirSync(this.containerDir, { recursive: true });
    if (!existsSync(this.shimPath)) writeFileSync(this.shimPath, SHIM_SCRIPT, { mode: 0o755 });
    this.busybox = findBusyBox();
    if (this.busybox) linkApplets(this.busybox, join(this.options.dir, "busybox"));
    await this.options.network?.init();
    for (const file of readdirSync(this.sandboxDir)) {
      const record = readJson<SandboxRecord>(join(this.sandboxDir, file));
      if (record) this.sandboxes.set(record.id, record);
    }
    for (const id of readdirSync(this.containerDir)) {
      const record = readJson<ContainerRecord>(join(this.containerDir, id, "record.json"));
      if (!record) {
        rmSync(join(this.containerDir, id), { recursive: true, force: true });
        continue;
      }
      this.containers.set(id, record);
      if (record.state !== "running") continue;
      if (record.pid !== undefined && isAlive(record.pid, record.pidStart)) this.followLogs(record);
      else this.finalize(record, undefined);
    }
    this.poll();
  }

  async health(): Promise<string | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelPoll?.();
    this.tailer.stopAll();
    // The processes outlive this daemon; the next one re-adopts them from their records, so this
    // one must not write those records when they exit.
    for (const child of this.children.values()) {
      child.removeAllListeners("exit");
      child.unref();
    }
  }

  onContainerEvent(listener: (podUid: string) => void): void {
    this.listeners.push(listener);
  }

  private notify(podUid: string): void {
    for (const listener of this.listeners) listener(podUid);
  }

  /** Processes this daemon did not start (re-adopted ones) are watched by polling /proc. */
  private poll(): void {
    if (this.closed) return;
    this.cancelPoll = this.options.clock.setTimer(1000, () => {
      for (const record of this.containers.values()) this.checkAlive(record);
      this.poll();
    });
  }

  private checkAlive(record: ContainerRecord): void {
    if (record.state !== "running" || this.children.has(record.id)) return;
    if (record.pid === undefined || !isAlive(record.pid, record.pidStart)) this.finalize(record, undefined);
  }

  // ---- records

  private saveSandbox(record: SandboxRecord): void {
    writeJson(join(this.sandboxDir, `${record.id}.json`), record);
  }

  private saveContainer(record: ContainerRecord): void {
    // A removed container's directory is gone; its late exit or log offsets have nowhere to go.
    if (this.containers.get(record.id) !== record) return;
    writeJson(join(this.containerDir, record.id, "record.json"), record);
  }

  private files(id: string) {
    const dir = join(this.containerDir, id);
    return {
      dir,
      stdout: join(dir, "stdout"),
      stderr: join(dir, "stderr"),
      exit: join(dir, "exit"),
      started: join(dir, "started"),
    };
  }

  // ---- sandboxes

  async runSandbox(config: SandboxConfig): Promise<SandboxInfo> {
    const id = randomBytes(16).toString("hex");
    let ip = this.options.hostIP;
    let netns: string | undefined;
    const network = this.options.network;
    if (network && !config.hostNetwork) {
      const pod = await network.setUp(config.pod.uid);
      ip = pod.ip;
      netns = pod.netns;
    }
    const record: SandboxRecord = {
      id,
      pod: config.pod,
      attempt: config.attempt,
      netns,
      ip,
      hostname: this.options.isolateMounts && !config.hostNetwork ? config.hostname.slice(0, 63) : undefined,
      createdAt: this.options.clock.now(),
      state: "ready",
    };
    this.sandboxes.set(id, record);
    this.saveSandbox(record);
    return this.sandboxInfo(record);
  }

  private sandboxInfo(record: SandboxRecord): SandboxInfo {
    const networkGone = record.netns !== undefined && !this.options.network?.exists(record.pod.uid);
    return {
      id: record.id,
      pod: record.pod,
      attempt: record.attempt,
      state: record.state === "ready" && !networkGone ? "ready" : "notready",
      ip: record.ip,
      createdAt: record.createdAt,
    };
  }

  async sandboxStatus(id: string): Promise<SandboxInfo | undefined> {
    const record = this.sandboxes.get(id);
    return record ? this.sandboxInfo(record) : undefined;
  }

  async stopSandbox(id: string): Promise<void> {
    const record = this.sandboxes.get(id);
    if (!record) return;
    if (record.netns) {
      // The pod's other sandboxes (none normally) share the namespace name; only the last one removes it.
      const others = [...this.sandboxes.values()].some(
        (s) => s.id !== id && s.pod.uid === record.pod.uid && s.state === "ready",
      );
      if (!others) await this.options.network?.tearDown(record.pod.uid);
    }
    record.state = "notready";
    this.saveSandbox(record);
  }

  async removeSandbox(id: string): Promise<void> {
    const record = this.sandboxes.get(id);
    if (!record) return;
    if (record.state === "ready") await this.stopSandbox(id);
    this.sandboxes.delete(id);
    rmSync(join(this.sandboxDir, `${id}.json`), { force: true });
  }

  async listSandboxes(): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()].map((record) => this.sandboxInfo(record));
  }

  /** Removes the node's pod network from the host (when it leaves service; tests). */
  async removeNetwork(): Promise<void> {
    if (this.sandboxes.size > 0) throw new Error("the node still has pod sandboxes");
    await this.options.network?.destroy();
  }

  /** Namespaces of this node's pods left on the host with no sandbox record (a crash mid-setup). */
  async removeStrayNetworks(): Promise<void> {
    const network = this.options.network;
    if (!network) return;
    const known = new Set([...this.sandboxes.values()].map((s) => s.netns));
    for (const netns of network.listNetns()) if (!known.has(netns)) await network.deleteNetns(netns);
  }

  // ---- images: nothing to pull, the image name is recorded

  async imageStatus(_image: string): Promise<ImageInfo | undefined> {
    return { ref: "" };
  }

  async pullImage(_image: string): Promise<ImageInfo> {
    return { ref: "" };
  }

  // ---- containers

  async createContainer(sandbox: SandboxInfo, config: ContainerConfig): Promise<string> {
    const env: Record<string, string> = {};
    for (const { name, value } of config.env) env[name] = value;
    env.PATH ??= DEFAULT_PATH;
    if (this.busybox?.binDir) env.PATH = `${env.PATH}:${this.busybox.binDir}`;
    env.HOSTNAME ??= config.pod.name;
    env.HOME ??= config.user?.uid ? "/" : "/root";
    const argv = resolveCommand([...(config.command ?? []), ...(config.args ?? [])], env.PATH, this.busybox);
    const cwd = config.workingDir ?? join(dirname(config.logPath), "..", "..", "work");
    if (config.workingDir && !existsSync(config.workingDir))
      throw new ContainerStartError(`chdir to cwd ("${config.workingDir}") failed: no such file or directory`);
    mkdirSync(cwd, { recursive: true });
    const id = randomBytes(16).toString("hex");
    const files = this.files(id);
    mkdirSync(files.dir, { recursive: true });
    mkdirSync(dirname(config.logPath), { recursive: true });
    const sandboxRecord = this.sandboxes.get(sandbox.id);
    // `config.pidTargetId` (kubectl debug --target) needs nothing here: this runtime gives no
    // container a PID namespace of its own, so every pod's processes share the host's and an
    // ephemeral container, started in the pod's network namespace like the others, already sees
    // and can signal its target's processes (through /proc/<pid>/root, its files too).
    const record: ContainerRecord = {
      id,
      pod: config.pod,
      name: config.name,
      attempt: config.attempt,
      init: config.init,
      ephemeral: config.ephemeral,
      sandboxId: sandbox.id,
      netns: sandboxRecord?.netns,
      hostname: sandboxRecord?.hostname,
      image: config.image,
      specHash: config.specHash,
      argv,
      env,
      cwd,
      user: config.user,
      mounts: this.options.isolateMounts ? config.mounts : [],
      createdMountpoints: [],
      resources: config.resources,
      cgroupPaths: [],
      state: "created",
      createdAt: this.options.clock.now(),
      logPath: config.logPath,
      logOffsets: { stdout: 0, stderr: 0 },
      stdin: config.stdin,
      stdinOnce: config.stdinOnce,
    };
    if (!this.options.isolateMounts && config.mounts.length > 0)
      this.options.logger.debug(`${config.pod.namespace}/${config.pod.name}: volumes are not mounted without root`);
    this.containers.set(id, record);
    this.saveContainer(record);
    return id;
  }

  /** Mount targets that do not exist on the host are created (and removed with the container). */
  private prepareMountpoints(record: ContainerRecord): void {
    for (const mount of record.mounts) {
      if (existsSync(mount.containerPath)) continue;
      const created: string[] = [];
      for (let path = mount.containerPath; !existsSync(path); path = dirname(path)) created.unshift(path);
      const isFile = statSync(mount.hostPath).isFile();
      mkdirSync(dirname(mount.containerPath), { recursive: true });
      if (isFile) writeFileSync(mount.containerPath, "");
      else mkdirSync(mount.containerPath);
      record.createdMountpoints.push(...created);
    }
  }

  async startContainer(id: string): Promise<void> {
    const record = this.containers.get(id);
    if (!record) throw new ContainerStartError(`no container ${id}`);
    if (record.state !== "created") throw new ContainerStartError(`container ${id} was already started`);
    const files = this.files(id);
    const { clock } = this.options;
    const prefix: string[] = [];
    if (record.netns) prefix.push("nsenter", `--net=/run/netns/${record.netns}`, "--");
    if (record.mounts.length > 0 || record.hostname) {
      this.prepareMountpoints(record);
      prefix.push("unshare", "--mount", "--propagation", "private", ...(record.hostname ? ["--uts"] : []), "--");
    }
    let procs = "-";
    if (this.options.cgroups) {
      const cgroup = this.options.cgroups.create(`${this.key}-${id}`, record.resources);
      record.cgroupPaths = cgroup.paths;
      procs = cgroup.procs.join(" ");
    }
    const user =
      record.user?.uid !== undefined && process.getuid?.() === 0 ? `${record.user.uid}:${record.user.gid ?? 0}` : "-";
    const mountArgs = record.mounts.flatMap((m) => [m.hostPath, m.containerPath, m.readOnly ? "ro" : "rw"]);
    const argv = [
      ...prefix,
      "sh",
      this.shimPath,
      files.dir,
      procs,
      user,
      record.hostname ?? "-",
      String(record.mounts.length),
      ...mountArgs,
      "--",
      ...record.argv,
    ];
    const out = openSync(files.stdout, "a");
    const err = openSync(files.stderr, "a");
    let child: ChildProcess;
    try {
      child = spawn(argv[0], argv.slice(1), {
        cwd: record.cwd,
        env: record.env,
        detached: true,
        stdio: [record.stdin ? "pipe" : "ignore", out, err],
      });
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
    } catch (error) {
      record.state = "exited";
      record.exitCode = 128;
      record.reason = "StartError";
      record.message = errorMessage(error);
      record.startedAt = record.finishedAt = clock.now();
      this.saveContainer(record);
      throw new ContainerStartError(errorMessage(error));
    } finally {
      closeSync(out);
      closeSync(err);
    }
    child.unref();
    if (child.stdin) this.attachments.keepStdin(id, child.stdin);
    this.children.set(id, child);
    record.pid = child.pid;
    record.pidStart = child.pid !== undefined ? procStat(child.pid)?.startTime : undefined;
    record.startedAt = clock.now();
    record.state = "running";
    this.saveContainer(record);
    child.once("exit", (code, signal) => {
      this.children.delete(id);
      const status = code ?? (signal ? 128 + (SIGNALS[signal] ?? 0) : undefined);
      this.finalize(record, status);
    });
    this.followLogs(record);
    // Started means running the command: mounts and cgroups are in place (hooks and exec see them).
    await this.waitStarted(record);
  }

  private async waitStarted(record: ContainerRecord): Promise<void> {
    const { clock } = this.options;
    const files = this.files(record.id);
    const deadline = clock.now() + 10_000;
    while (record.state === "running" && !existsSync(files.started) && !existsSync(files.exit)) {
      if (clock.now() > deadline) throw new ContainerStartError(`container ${record.id} did not start within 10s`);
      await sleep(clock, 5);
    }
  }

  private followLogs(record: ContainerRecord): void {
    const files = this.files(record.id);
    this.tailer.follow(
      record.id,
      { stdout: files.stdout, stderr: files.stderr, log: record.logPath, offsets: { ...record.logOffsets } },
      (offsets) => {
        record.logOffsets = { ...offsets };
        this.saveContainer(record);
      },
    );
  }

  /** The container ended: its status from the shim's exit file (or what the daemon saw). */
  private finalize(record: ContainerRecord, observed: number | undefined): void {
    if (record.state === "exited") return;
    const files = this.files(record.id);
    let exitCode = observed;
    let finishedAt = this.options.clock.now();
    try {
      exitCode = Number(readFileSync(files.exit, "utf8").trim());
      finishedAt = statSync(files.exit).mtimeMs;
    } catch {
      // No exit file: the shim itself was killed (SIGKILL), or it ended while the daemon was away.
      exitCode ??= 137;
    }
    // Whatever the container started dies with it.
    if (record.pid !== undefined) killQuietly(-record.pid, "SIGKILL");
    const cgroups = this.options.cgroups;
    if (cgroups && record.cgroupPaths.length > 0) {
      for (const pid of cgroups.pids(record.cgroupPaths)) killQuietly(pid, "SIGKILL");
    }
    const oom = cgroups && record.cgroupPaths.length > 0 ? cgroups.oomKilled(record.cgroupPaths) : false;
    record.state = "exited";
    record.exitCode = exitCode;
    record.finishedAt = Math.round(finishedAt);
    record.reason = oom ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error";
    this.tailer.finish(record.id);
    this.attachments.closeStdin(record.id);
    this.saveContainer(record);
    if (cgroups) setTimeout(() => cgroups.remove(record.cgroupPaths), 100).unref();
    this.notify(record.pod.uid);
  }

  async stopContainer(id: string, graceMs: number): Promise<void> {
    const record = this.containers.get(id);
    if (!record || record.state !== "running" || record.pid === undefined) return;
    killQuietly(record.pid, "SIGTERM");
    if (await this.waitExit(record, graceMs)) return;
    killQuietly(-record.pid, "SIGKILL");
    if (await this.waitExit(record, 5000)) return;
    this.finalize(record, 137);
  }

  private async waitExit(record: ContainerRecord, ms: number): Promise<boolean> {
    const { clock } = this.options;
    const deadline = clock.now() + ms;
    while (record.state === "running" && clock.now() < deadline) {
      this.checkAlive(record);
      if (record.state !== "running") break;
      await sleep(clock, Math.min(50, Math.max(1, deadline - clock.now())));
    }
    return record.state !== "running";
  }

  async removeContainer(id: string): Promise<void> {
    const record = this.containers.get(id);
    if (!record) return;
    if (record.state === "running" && record.pid !== undefined) {
      killQuietly(-record.pid, "SIGKILL");
      await this.waitExit(record, 5000);
      this.finalize(record, 137);
    }
    this.tailer.finish(id);
    this.containers.delete(id);
    rmSync(this.files(id).dir, { recursive: true, force: true });
    const stillUsed = new Set([...this.containers.values()].flatMap((c) => c.createdMountpoints));
    // Deepest first, so parents are empty when their turn comes.
    for (const path of [...record.createdMountpoints].reverse()) {
      if (stillUsed.has(path)) continue;
      removeEmpty(path);
    }
  }

  async containerStatus(id: string): Promise<ContainerInfo | undefined> {
    const record = this.containers.get(id);
    if (record) this.checkAlive(record);
    return record ? this.info(record) : undefined;
  }

  async listContainers(podUid?: string): Promise<ContainerInfo[]> {
    return [...this.containers.values()].filter((c) => !podUid || c.pod.uid === podUid).map((c) => this.info(c));
  }

  private info(record: ContainerRecord): ContainerInfo {
    return {
      id: record.id,
      pod: record.pod,
      name: record.name,
      attempt: record.attempt,
      init: record.init,
      ephemeral: record.ephemeral === true,
      sandboxId: record.sandboxId,
      image: record.image,
      imageRef: "",
      state: record.state,
      createdAt: record.createdAt,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      exitCode: record.exitCode,
      reason: record.reason,
      message: record.message,
      specHash: record.specHash,
      logPath: record.logPath,
    };
  }

  /** The command line that runs `command` inside a container's namespaces, as its user. */
  private execArgv(id: string, command: string[]): { argv: string[]; record: ContainerRecord } {
    const record = this.containers.get(id);
    if (!record || record.state !== "running" || record.pid === undefined)
      throw new Error(`container ${id} is not running`);
    const argv = resolveCommand(command, record.env.PATH ?? DEFAULT_PATH, this.busybox);
    const prefix: string[] = [];
    // The shim lives in the container's namespaces: enter them through its pid.
    if (record.netns || record.mounts.length > 0 || record.hostname) {
      prefix.push("nsenter", "-t", String(record.pid));
      if (record.mounts.length > 0 || record.hostname) prefix.push("-m");
      if (record.hostname) prefix.push("-u");
      if (record.netns) prefix.push("-n");
      prefix.push("--");
    }
    if (record.user?.uid !== undefined && process.getuid?.() === 0)
      prefix.push("setpriv", `--reuid=${record.user.uid}`, `--regid=${record.user.gid ?? 0}`, "--clear-groups", "--");
    return { argv: [...prefix, ...argv], record };
  }

  /** The container's main process (the shim's child is accounted with it through /proc). */
  async containerUsage(id: string): Promise<{ cpuNs: number; memoryBytes: number } | undefined> {
    const record = this.containers.get(id);
    if (!record || record.state !== "running" || record.pid === undefined) return undefined;
    return procUsage(record.pid);
  }

  /** `kubectl exec`: the command with its standard streams piped, or on a terminal of its own (terminal.ts). */
  async execStream(id: string, command: string[], options: StreamOptions): Promise<ExecProcess> {
    const { argv, record } = this.execArgv(id, command);
    const cwd = existsSync(record.cwd) ? record.cwd : "/";
    if (!options.tty) {
      const child = spawn(argv[0], argv.slice(1), { cwd, env: record.env, detached: true, stdio: "pipe" });
      return childExecProcess(child);
    }
    const script = findScript();
    if (!script) throw new Error("a terminal needs util-linux `script` on the node, which it lacks");
    const [, ...scriptArgs] = terminalArgv(argv, { size: options.size, shell: record.env.SHELL });
    const child = spawn(script, scriptArgs, {
      cwd,
      env: { ...record.env, SHELL: "/bin/sh" },
      detached: true,
      stdio: "pipe",
    });
    return childExecProcess(
      child,
      terminalResizer(() => child.pid),
    );
  }

  /** `kubectl attach`: the main process's output from now on, and its stdin when it has one. */
  async attach(id: string, options: StreamOptions): Promise<ExecProcess> {
    const record = this.containers.get(id);
    const session =
      record?.state === "running"
        ? this.attachments.session(id, { ...options, stdinOnce: record.stdinOnce === true })
        : undefined;
    if (!session) throw new Error(`container ${id} is not running`);
    return session;
  }

  async exec(id: string, command: string[], options: ExecOptions): Promise<ExecResult> {
    const { argv: full, record } = this.execArgv(id, command);
    const limit = options.maxOutputBytes ?? 10 * 1024;
    return new Promise((resolve, reject) => {
      const child = spawn(full[0], full.slice(1), {
        cwd: existsSync(record.cwd) ? record.cwd : "/",
        env: record.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const collect = (chunk: Buffer) => {
        if (output.length < limit) output += chunk.toString("utf8");
      };
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      let timedOut = false;
      const cancel = this.options.clock.setTimer(options.timeoutMs, () => {
        timedOut = true;
        if (child.pid !== undefined) killQuietly(-child.pid, "SIGKILL");
      });
      child.once("error", (err) => {
        cancel();
        reject(err);
      });
      child.once("close", (code, signal) => {
        cancel();
        const exitCode = code ?? (signal ? 128 + (SIGNALS[signal] ?? 0) : -1);
        resolve({ exitCode: timedOut ? -1 : exitCode, output: output.slice(0, limit), timedOut });
      });
    });
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Written through a temporary file, so a crash never leaves half a record. */
function writeJson(path: string, value: unknown): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(value));
  renameSync(temporary, path);
}

function removeEmpty(path: string): void {
  try {
    if (statSync(path).isDirectory()) rmdirSync(path);
    else if (statSync(path).size === 0) rmSync(path);
  } catch {
    // Not empty, in use, or gone.
  }
}
