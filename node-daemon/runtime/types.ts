// The container runtime interface the pod workers drive (CRI-shaped): pod sandboxes that hold a
// pod's network, containers inside them, images, exec. `docker` and `process` implement it.

import type { ExecProcess, StreamOptions } from "./exec-process.ts";

export type RuntimeName = "docker" | "process";

export interface PodRef {
  uid: string;
  name: string;
  namespace: string;
}

export interface SandboxConfig {
  pod: PodRef;
  /** Sandboxes of a pod are numbered; a new one replaces a dead one. */
  attempt: number;
  hostname: string;
  hostNetwork: boolean;
  /** Directory the daemon keeps for the pod (volumes, logs). */
  podDir: string;
}

export interface SandboxInfo {
  id: string;
  pod: PodRef;
  attempt: number;
  state: "ready" | "notready";
  /** The pod's IP (the host's with host networking). */
  ip: string;
  createdAt: number;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerConfig {
  pod: PodRef;
  name: string;
  attempt: number;
  init: boolean;
  /** An ephemeral container (`kubectl debug`): started once, never restarted. */
  ephemeral: boolean;
  /**
   * The container whose process namespace this one joins (an ephemeral container's
   * targetContainerName, resolved to the target's runtime id).
   */
  pidTargetId?: string;
  image: string;
  /** Replaces the image's entrypoint (Kubernetes `command`). */
  command?: string[];
  /** Replaces the image's arguments (Kubernetes `args`). */
  args?: string[];
  env: Array<{ name: string; value: string }>;
  workingDir?: string;
  mounts: Mount[];
  user?: { uid?: number; gid?: number };
  tty: boolean;
  /** Keep a stdin open for `kubectl attach`. */
  stdin: boolean;
  /** Close that stdin when the first attach session that used it ends. */
  stdinOnce: boolean;
  resources: { memoryLimitBytes?: number; cpuLimitMillis?: number; cpuRequestMillis?: number };
  privileged: boolean;
  readOnlyRootFilesystem: boolean;
  capabilities?: { add: string[]; drop: string[] };
  /** Host file bound at `terminationMessagePath`, read when the container ends. */
  terminationMessage?: { hostPath: string; containerPath: string };
  /** Where the container's log goes, in the CRI format kubelet keeps (one file per attempt). */
  logPath: string;
  /** Hash of the container's spec: a changed spec means a restart. */
  specHash: string;
}

export type ContainerState = "created" | "running" | "exited" | "unknown";

export interface ContainerInfo {
  id: string;
  pod: PodRef;
  name: string;
  attempt: number;
  init: boolean;
  /** Started for spec.ephemeralContainers: never taken for a regular container of the same name. */
  ephemeral: boolean;
  sandboxId: string;
  image: string;
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** OOMKilled, Error, Completed, ContainerCannotRun… (Kubernetes' terminated reasons). */
  reason?: string;
  message?: string;
  specHash: string;
  /** The container's log in the CRI format (`<time> <stream> <F|P> <text>`). */
  logPath?: string;
  tty?: boolean;
}

export interface ImageInfo {
  /** What status.containerStatuses[].imageID shows. */
  ref: string;
  sizeBytes?: number;
}

export interface ExecOptions {
  timeoutMs: number;
  /** Output kept (probes and hooks only need the start of it). */
  maxOutputBytes?: number;
}

export interface ExecResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

export interface ContainerRuntime {
  readonly name: RuntimeName;
  /** For node.status.nodeInfo.containerRuntimeVersion, e.g. docker://20.10.24. */
  readonly version: string;
  /** One line for the progress output. */
  describe(): string;
  init(): Promise<void>;
  /** Undefined when healthy; otherwise why the node is not ready. */
  health(): Promise<string | undefined>;
  close(): Promise<void>;
  /** Called with a pod's uid when one of its containers changes state on its own (exits). */
  onContainerEvent(listener: (podUid: string) => void): void;

  runSandbox(config: SandboxConfig): Promise<SandboxInfo>;
  sandboxStatus(id: string): Promise<SandboxInfo | undefined>;
  stopSandbox(id: string): Promise<void>;
  removeSandbox(id: string): Promise<void>;
  listSandboxes(): Promise<SandboxInfo[]>;

  imageStatus(image: string): Promise<ImageInfo | undefined>;
  pullImage(image: string): Promise<ImageInfo>;

  createContainer(sandbox: SandboxInfo, config: ContainerConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the container has exited. */
  stopContainer(id: string, graceMs: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerInfo | undefined>;
  listContainers(podUid?: string): Promise<ContainerInfo[]>;

  /** Runs a command inside a running container (probes, hooks). */
  exec(id: string, command: string[], options: ExecOptions): Promise<ExecResult>;
  /** Runs a command inside a running container with its streams attached (`kubectl exec`). */
  execStream(id: string, command: string[], options: StreamOptions): Promise<ExecProcess>;
  /** Attaches to a running container's main process (`kubectl attach`); exit is 0 when the session ends. */
  attach(id: string, options: StreamOptions): Promise<ExecProcess>;
  /** Cumulative CPU time and current memory of a running container, if measurable. */
  containerUsage(id: string): Promise<{ cpuNs: number; memoryBytes: number } | undefined>;
}

/** Thrown when an image cannot be pulled (ErrImagePull). */
export class ImagePullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImagePullError";
  }
}

/** Thrown when a container cannot be started (its terminated reason is the `reason`). */
export class ContainerStartError extends Error {
  readonly reason: string;
  constructor(message: string, reason = "StartError") {
    super(message);
    this.name = "ContainerStartError";
    this.reason = reason;
  }
}
