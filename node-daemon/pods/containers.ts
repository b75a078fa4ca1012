// Starting and stopping one container of a pod, with kubelet's steps and events: image
// (pull policy, ErrImagePull/ImagePullBackOff), environment (CreateContainerConfigError),
// create, start, postStart hook; and preStop hook, SIGTERM, grace period, SIGKILL.
import type { Pod } from "kubernetes-types/core/v1";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { errorMessage } from "../log.ts";
import { ContainerStartError, ImagePullError, type ContainerConfig, type SandboxInfo } from "../runtime/types.ts";
import { shortHash } from "../util/hash.ts";
import { MountError } from "../volumes/volumes.ts";
import type { WorkerDeps } from "./deps.ts";
import { ConfigError, envReferences, expandCommand, resolveEnv, type EnvLookups } from "./env.ts";
import { defaultPullPolicy, goDuration } from "./format.ts";
import { runAction } from "./probes/handlers.ts";
import { asStrings, configMapBytes, secretBytes } from "./references.ts";
import { runtimeResources } from "./resources.ts";
import { containerRef, sameKind, type Slot } from "./slot.ts";

/** Kubelet keeps at least this much of a grace period for SIGTERM after a preStop hook. */
const MIN_GRACE_AFTER_HOOK_MS = 2000;

export interface PodScope {
  deps: WorkerDeps;
  pod: Pod;
  podDir: string;
  sandbox: SandboxInfo;
  volumePaths: Map<string, string>;
  /** Ask for a sync at a time (back-off expiry). */
  wakeAt(time: number): void;
  /** The runtime id of a regular or init container's newest attempt (an ephemeral container's target). */
  containerIdOf(name: string): string | undefined;
}

const ref = (pod: Pod) => ({
  uid: pod.metadata?.uid ?? "",
  name: pod.metadata?.name ?? "",
  namespace: pod.metadata?.namespace ?? "",
});

const podLabel = (pod: Pod) => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;

export const specHash = (slot: Slot) => shortHash(JSON.stringify(slot.spec), 12);

/** Repeats of one event (every pass while waiting) are recorded at most this often. */
const REPEAT_EVENT_MS = 5_000;
const WAITING_EVENTS = new Set(["BackOff", "ErrImageNeverPull", "Failed"]);

function event(scope: PodScope, slot: Slot, type: "Normal" | "Warning", reason: string, message: string): void {
  const key = `${reason}\u0000${message}`;
  const now = scope.deps.clock.now();
  const last = slot.recentEvents?.get(key);
  if (WAITING_EVENTS.has(reason) && last !== undefined && now - last < REPEAT_EVENT_MS) return;
  slot.recentEvents ??= new Map();
  slot.recentEvents.set(key, now);
  if (slot.recentEvents.size > 50) slot.recentEvents.delete(slot.recentEvents.keys().next().value as string);
  scope.deps.events.record(scope.pod, type, reason, message, containerRef(slot));
}

/** Makes sure the image is there as the pull policy wants; false (with a waiting reason) when not. */
async function ensureImage(scope: PodScope, slot: Slot): Promise<boolean> {
  const { runtime, clock, imageBackoff } = scope.deps;
  const image = slot.spec.image ?? "";
  const policy = slot.spec.imagePullPolicy ?? defaultPullPolicy(image);
  const present = await runtime.imageStatus(image);
  if (policy === "Never" && !present) {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    slot.waiting = { reason: "ErrImageNeverPull", message };
    event(scope, slot, "Warning", "ErrImageNeverPull", message);
    return false;
  }
  if (present && policy !== "Always") {
    event(scope, slot, "Normal", "Pulled", `Container image "${image}" already present on machine`);
    return true;
  }
  const key = `${scope.pod.metadata?.uid}/${image}`;
  const now = clock.now();
  if (slot.pullFailedAt !== undefined) {
    const backoff = imageBackoff.check(key, slot.pullFailedAt, now);
    if (backoff.waiting) {
      const message = `Back-off pulling image "${image}"`;
      slot.waiting = { reason: "ImagePullBackOff", message };
      event(scope, slot, "Normal", "BackOff", message);
      scope.wakeAt(backoff.retryAt);
      return false;
    }
  }
  event(scope, slot, "Normal", "Pulling", `Pulling image "${image}"`);
  const began = clock.now();
  try {
    const info = await runtime.pullImage(image);
    const took = goDuration(clock.now() - began);
    event(
      scope,
      slot,
      "Normal",
      "Pulled",
      `Successfully pulled image "${image}" in ${took} (${took} including waiting).` +
        (info.sizeBytes !== undefined ? ` Image size: ${info.sizeBytes} bytes.` : ""),
    );
    imageBackoff.reset(key);
    slot.pullFailedAt = undefined;
    return true;
  } catch (err) {
    const message = err instanceof ImagePullError ? err.message : errorMessage(err);
    slot.waiting = { reason: "ErrImagePull", message };
    event(scope, slot, "Warning", "Failed", `Failed to pull image "${image}": ${message}`);
    event(scope, slot, "Warning", "Failed", "Error: ErrImagePull");
    imageBackoff.next(key, clock.now());
    slot.pullFailedAt = clock.now();
    scope.wakeAt(imageBackoff.check(key, slot.pullFailedAt, clock.now()).retryAt);
    return false;
  }
}

async function envLookups(scope: PodScope, slot: Slot): Promise<EnvLookups> {
  const namespace = scope.pod.metadata?.namespace ?? "";
  const { configMaps, secrets } = envReferences(slot.spec);
  const lookups: EnvLookups = { configMaps: new Map(), secrets: new Map() };
  for (const name of configMaps) {
    const cm = await scope.deps.refs.configMap(namespace, name);
    if (cm) lookups.configMaps.set(name, asStrings(configMapBytes(cm)));
  }
  for (const name of secrets) {
    const secret = await scope.deps.refs.secret(namespace, name);
    if (secret) lookups.secrets.set(name, asStrings(secretBytes(secret)));
  }
  return lookups;
}

function configFailure(scope: PodScope, slot: Slot, reason: string, message: string): void {
  slot.waiting = { reason, message };
  event(scope, slot, "Warning", "Failed", `Error: ${message}`);
}

/** Creates and starts the container's next attempt. Answers false when it could not. */
export async function startContainer(scope: PodScope, slot: Slot): Promise<boolean> {
  const { deps, pod } = scope;
  const { runtime, clock } = deps;
  if (!(await ensureImage(scope, slot))) return false;

  let config: ContainerConfig;
  try {
    const env = resolveEnv(slot.spec, {
      pod,
      addresses: { podIP: scope.sandbox.ip, hostIP: deps.hostIP },
      node: deps.allocatable,
      lookups: await envLookups(scope, slot),
    });
    const { command, args } = expandCommand(slot.spec, env);
    const pidTargetId = slot.target !== undefined ? scope.containerIdOf(slot.target) : undefined;
    // kubelet's wording; the target may not have been created yet, so this is retried.
    if (slot.target !== undefined && pidTargetId === undefined)
      throw new ConfigError(`unable to find target container ${slot.target}`);
    const attempt = slot.latest ? slot.latest.attempt + 1 : 0;
    const containerDir = join(scope.podDir, "containers", slot.spec.name);
    config = {
      pod: ref(pod),
      name: slot.spec.name,
      attempt,
      init: slot.init,
      ephemeral: slot.ephemeral,
      pidTargetId,
      image: slot.spec.image ?? "",
      command,
      args,
      env,
      workingDir: slot.spec.workingDir || undefined,
      mounts: deps.volumes.mountsFor(slot.spec, scope.volumePaths, env),
      user: {
        uid: slot.spec.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser,
        gid: slot.spec.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup,
      },
      tty: slot.spec.tty === true,
      stdin: slot.spec.stdin === true,
      stdinOnce: slot.spec.stdinOnce === true,
      resources: runtimeResources(slot.spec),
      privileged: slot.spec.securityContext?.privileged === true,
      readOnlyRootFilesystem: slot.spec.securityContext?.readOnlyRootFilesystem === true,
      capabilities: {
        add: slot.spec.securityContext?.capabilities?.add ?? [],
        drop: slot.spec.securityContext?.capabilities?.drop ?? [],
      },
      terminationMessage: {
        hostPath: join(containerDir, `${attempt}.termination-log`),
        containerPath: slot.spec.terminationMessagePath || "/dev/termination-log",
      },
      logPath: join(scope.podDir, "logs", slot.spec.name, `${attempt}.log`),
      specHash: specHash(slot),
    };
  } catch (err) {
    if (err instanceof ConfigError || err instanceof MountError) {
      configFailure(scope, slot, "CreateContainerConfigError", err.message);
      scope.wakeAt(clock.now() + 10_000);
      return false;
    }
    throw err;
  }

  // The log exists from the start: a silent container has an empty log, not none.
  mkdirSync(dirname(config.logPath), { recursive: true });
  if (!existsSync(config.logPath)) writeFileSync(config.logPath, "");
  let id: string;
  try {
    id = await runtime.createContainer(scope.sandbox, config);
  } catch (err) {
    const reason =
      err instanceof ContainerStartError && err.reason === "StartError" ? "RunContainerError" : "CreateContainerError";
    configFailure(scope, slot, reason, errorMessage(err));
    scope.wakeAt(clock.now() + 10_000);
    return false;
  }
  event(scope, slot, "Normal", "Created", `Created container ${slot.spec.name}`);
  const before = slot.latest;
  try {
    await runtime.startContainer(id);
  } catch (err) {
    event(scope, slot, "Warning", "Failed", `Error: ${errorMessage(err)}`);
    slot.previous = before;
    slot.latest = await runtime.containerStatus(id);
    slot.waiting = undefined;
    if (slot.latest && slot.latest.state !== "exited") {
      slot.latest = {
        ...slot.latest,
        state: "exited",
        exitCode: 128,
        reason: "StartError",
        message: errorMessage(err),
      };
      slot.latest.finishedAt = slot.latest.startedAt = clock.now();
    }
    return false;
  }
  event(scope, slot, "Normal", "Started", `Started container ${slot.spec.name}`);
  slot.previous = before;
  slot.latest = await runtime.containerStatus(id);
  slot.waiting = undefined;
  slot.restartRequest = undefined;
  await removeOldAttempts(scope, slot);

  const postStart = slot.spec.lifecycle?.postStart;
  if (postStart && slot.latest?.state === "running") {
    const result = await runAction(
      postStart,
      { runtime, containerId: id, container: slot.spec, podIP: scope.sandbox.ip, clock },
      (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000,
    );
    if (!result.success) {
      event(scope, slot, "Warning", "FailedPostStartHook", result.message || "PostStartHook failed");
      slot.restartRequest = `FailedPostStartHook`;
    }
  }
  return true;
}

/** Keeps the current and the previous container of a name (for --previous logs); removes older ones. */
async function removeOldAttempts(scope: PodScope, slot: Slot): Promise<void> {
  if ((slot.latest?.attempt ?? 0) < 2) return;
  const keep = new Set([slot.latest?.id, slot.previous?.id]);
  const all = await scope.deps.runtime.listContainers(scope.pod.metadata?.uid);
  for (const c of all) {
    if (c.name === slot.spec.name && sameKind(slot, c) && !keep.has(c.id) && c.state !== "running")
      await scope.deps.runtime.removeContainer(c.id);
  }
}

/** preStop, then SIGTERM and SIGKILL after the grace period; records the Killing event. */
export async function killContainer(
  deps: WorkerDeps,
  pod: Pod,
  slot: Slot,
  message: string,
  graceMs: number,
  podIP: string,
): Promise<void> {
  const latest = slot.latest;
  if (!latest || latest.state !== "running") return;
  const { runtime, clock } = deps;
  slot.probes?.stop();
  deps.events.record(pod, "Normal", "Killing", message, containerRef(slot));
  const began = clock.now();
  const preStop = slot.spec.lifecycle?.preStop;
  if (preStop && graceMs > 0) {
    const result = await runAction(
      preStop,
      { runtime, containerId: latest.id, container: slot.spec, podIP, clock },
      graceMs,
    );
    if (!result.success)
      deps.events.record(
        pod,
        "Warning",
        "FailedPreStopHook",
        `PreStopHook failed: ${result.message}`,
        containerRef(slot),
      );
  }
  const remaining = preStop ? Math.max(MIN_GRACE_AFTER_HOOK_MS, graceMs - (clock.now() - began)) : graceMs;
  await runtime.stopContainer(latest.id, remaining);
  slot.latest = (await runtime.containerStatus(latest.id)) ?? {
    ...latest,
    state: "exited",
    exitCode: 137,
    reason: "Error",
    finishedAt: clock.now(),
  };
}

export const backoffMessage = (pod: Pod, name: string, delayMs: number) =>
  `back-off ${goDuration(delayMs)} restarting failed container=${name} pod=${podLabel(pod)}`;

export const backoffEvent = (pod: Pod, name: string) =>
  `Back-off restarting failed container ${name} in pod ${podLabel(pod)}`;
