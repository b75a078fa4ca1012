// One pod's worker, kubelet's sync loop for it: volumes, the sandbox, init containers in order,
// then the containers with their restart policy, back-off and probes; status after every pass;
// and on deletion, graceful termination and the final delete. Passes run one at a time, on
// changes (pod updates, container exits, probe results, back-off expiry) and periodically.
import type { Pod, PodStatus } from "kubernetes-types/core/v1";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isNotFound } from "../api/errors.ts";
import { formatTime } from "../clock.ts";
import { errorMessage } from "../log.ts";
import type { ContainerInfo, SandboxInfo } from "../runtime/types.ts";
import { MountError } from "../volumes/volumes.ts";
import { backoffEvent, backoffMessage, killContainer, specHash, startContainer, type PodScope } from "./containers.ts";
import type { WorkerDeps } from "./deps.ts";
import { tailLines } from "./log-tail.ts";
import { ContainerProbes } from "./probes/prober.ts";
import { containerRef, newEphemeralSlot, newSlot, sameKind, viewOf, type Slot } from "./slot.ts";
import { podStatus } from "./status.ts";

const VOLUME_REFRESH_MS = 10_000;
const SANDBOX_RETRY_MS = 5_000;
const MAX_TERMINATION_MESSAGE = 4096;
const FINAL_DELETE_RETRY_MS = 10_000;
const BACKOFF_EVENT_MS = 5_000;
const TERMINATION_LOG_GRACE_MS = 3_000;

const shouldRestart = (policy: string | undefined, exitCode: number | undefined) =>
  policy === "Never" ? false : policy === "OnFailure" ? exitCode !== 0 : true;

export class PodWorker {
  pod: Pod;
  readonly uid: string;
  private readonly deps: WorkerDeps;
  private readonly podDir: string;
  private sandbox: SandboxInfo | undefined;
  private readonly staleSandboxes: SandboxInfo[] = [];
  private readonly staleContainers: ContainerInfo[] = [];
  private readonly initSlots: Slot[] = [];
  private readonly appSlots: Slot[] = [];
  /** `kubectl debug` containers: started once each, in the order they were added. */
  private readonly ephemeralSlots: Slot[] = [];
  private volumePaths: Map<string, string> | undefined;
  private volumesAt = 0;
  private volumeKey = "";
  private startTime: string | undefined;
  private terminalPhase: "Succeeded" | "Failed" | undefined;
  private terminalReason: { reason: string; message: string } | undefined;
  private phase: "active" | "deleted" | "removed" | "stopped" = "active";
  private deleteSentAt: number | undefined;
  private passive = false;
  private runningLogged = false;
  private readonly seenAt: number;
  private failing = false;
  private syncing = false;
  private dirty = false;
  private wakeTime: number | undefined;
  private cancelWake: (() => void) | undefined;
  private readonly finished: Promise<void>;
  private finish!: () => void;
  /** Called once the worker has cleaned up after its pod (the manager forgets it). */
  onGone: (uid: string) => void = () => {};

  constructor(deps: WorkerDeps, pod: Pod) {
    this.deps = deps;
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? "";
    this.podDir = join(deps.podsDir, this.uid);
    this.seenAt = deps.clock.now();
    this.startTime = pod.status?.startTime;
    for (const spec of pod.spec?.initContainers ?? []) this.initSlots.push(newSlot(spec, true));
    for (const spec of pod.spec?.containers ?? []) this.appSlots.push(newSlot(spec, false));
    this.addEphemeral(pod);
    this.finished = new Promise((resolve) => (this.finish = resolve));
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") {
      // Finished before this worker existed: its reported status stands; only leftovers are stopped.
      this.terminalPhase = phase;
      this.passive = true;
    }
  }

  /** The pod's own containers (probes, restarts, spec changes apply to them). */
  private get slots(): Slot[] {
    return [...this.initSlots, ...this.appSlots];
  }

  /** Every container the pod runs, ephemeral ones included (refresh, adoption, stopping). */
  private get allSlots(): Slot[] {
    return [...this.slots, ...this.ephemeralSlots];
  }

  /** Ephemeral containers can only be added (the ephemeralcontainers subresource): new ones get a slot. */
  private addEphemeral(pod: Pod): void {
    for (const spec of pod.spec?.ephemeralContainers ?? []) {
      if (!this.ephemeralSlots.some((s) => s.spec.name === spec.name)) this.ephemeralSlots.push(newEphemeralSlot(spec));
    }
  }

  private get label(): string {
    return `${this.pod.metadata?.namespace}/${this.pod.metadata?.name}`;
  }

  /** Takes over what the runtime already runs for this pod (after a daemon restart). */
  adopt(sandboxes: SandboxInfo[], containers: ContainerInfo[]): void {
    const sorted = [...sandboxes].sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
    this.sandbox = sorted.find((s) => s.state === "ready") ?? sorted[0];
    this.staleSandboxes.push(...sorted.filter((s) => s !== this.sandbox));
    for (const slot of this.allSlots) {
      const mine = containers
        .filter((c) => c.name === slot.spec.name && sameKind(slot, c))
        .sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
      slot.latest = mine[0];
      slot.previous = mine[1];
      this.staleContainers.push(...mine.slice(2));
    }
    const key = (c: { init: boolean; ephemeral: boolean }, name: string) => `${c.init}/${c.ephemeral}/${name}`;
    const known = new Set(this.allSlots.map((s) => key(s, s.spec.name)));
    this.staleContainers.push(...containers.filter((c) => !known.has(key(c, c.name))));
  }

  update(pod: Pod): void {
    if (pod.metadata?.uid !== this.uid) return;
    const containersChanged = JSON.stringify(pod.spec?.containers) !== JSON.stringify(this.pod.spec?.containers);
    this.pod = pod;
    this.addEphemeral(pod);
    if (containersChanged) {
      // Only images may change in a pod's spec; a changed container is restarted with its new spec.
      for (const spec of pod.spec?.containers ?? []) {
        const slot = this.appSlots.find((s) => s.spec.name === spec.name);
        if (slot) slot.spec = spec;
      }
    }
    if (pod.metadata?.deletionTimestamp && this.phase === "active") this.phase = "deleted";
    this.trigger();
  }

  /** The pod is gone from the control plane: stop everything and clean up. */
  remove(): Promise<void> {
    if (this.phase !== "stopped") this.phase = "removed";
    this.trigger();
    return this.finished;
  }

  /** The daemon stops: leave containers running, stop timers and probes. */
  stop(): void {
    this.phase = "stopped";
    this.cancelWake?.();
    for (const slot of this.slots) slot.probes?.stop();
  }

  trigger(): void {
    if (this.phase === "stopped") return;
    this.dirty = true;
    if (!this.syncing) void this.loop();
  }

  private wakeAt(time: number): void {
    if (this.wakeTime !== undefined && this.wakeTime <= time) return;
    this.cancelWake?.();
    this.wakeTime = time;
    this.cancelWake = this.deps.clock.setTimer(time - this.deps.clock.now(), () => {
      this.wakeTime = undefined;
      this.cancelWake = undefined;
      this.trigger();
    });
  }

  private async loop(): Promise<void> {
    this.syncing = true;
    try {
      while (this.dirty && this.phase !== "stopped") {
        this.dirty = false;
        try {
          if (this.phase === "removed") {
            await this.cleanUp();
            return;
          }
          await this.sync();
          this.failing = false;
        } catch (err) {
          // One warning per failing stretch (an unreachable control plane fails every pass).
          if (!this.failing) this.deps.logger.warn(`${this.label}: ${errorMessage(err)}`);
          this.failing = true;
          this.wakeAt(this.deps.clock.now() + 2000);
        }
      }
    } finally {
      this.syncing = false;
    }
    if (this.phase !== "stopped" && this.phase !== "removed") this.wakeAt(this.deps.clock.now() + this.deps.resyncMs);
  }

  /** Re-reads the runtime's view of the sandbox and each slot's newest container. */
  private async refresh(): Promise<void> {
    const { runtime } = this.deps;
    // A sandbox that vanished (removed behind our back) is a dead one: it gets replaced.
    if (this.sandbox)
      this.sandbox = (await runtime.sandboxStatus(this.sandbox.id)) ?? { ...this.sandbox, state: "notready" };
    for (const slot of this.allSlots) {
      if (!slot.latest) continue;
      const wasRunning = slot.latest.state === "running";
      const fresh = await runtime.containerStatus(slot.latest.id);
      slot.latest = fresh ?? { ...slot.latest, state: "exited", exitCode: slot.latest.exitCode ?? 137 };
      if (wasRunning && slot.latest.state === "exited") this.containerEnded(slot);
    }
  }

  private containerEnded(slot: Slot): void {
    slot.probes?.stop();
  }

  /** An ended container with its termination message (read once; logs get a few seconds to catch up). */
  private withMessage(slot: Slot, container: ContainerInfo | undefined): ContainerInfo | undefined {
    if (!container || container.state !== "exited" || container.message !== undefined) return container;
    slot.messages ??= new Map();
    let message = slot.messages.get(container.id);
    if (message === undefined) {
      const found = this.terminationMessage(slot, container) ?? "";
      const settled = this.deps.clock.now() - (container.finishedAt ?? 0) > TERMINATION_LOG_GRACE_MS;
      if (found !== "" || settled) slot.messages.set(container.id, found);
      message = found;
    }
    return message ? { ...container, message } : container;
  }

  /** What the container left at terminationMessagePath, or (FallbackToLogsOnError) its last log lines. */
  private terminationMessage(slot: Slot, container: ContainerInfo): string | undefined {
    const path = join(this.podDir, "containers", slot.spec.name, `${container.attempt}.termination-log`);
    let message = "";
    try {
      message = readFileSync(path, "utf8").slice(0, MAX_TERMINATION_MESSAGE);
    } catch {
      // none written
    }
    if (
      message === "" &&
      slot.spec.terminationMessagePolicy === "FallbackToLogsOnError" &&
      container.exitCode !== 0 &&
      container.logPath
    )
      message = tailLines(container.logPath, 80, 2048);
    return message || undefined;
  }

  private scope(): PodScope {
    return {
      deps: this.deps,
      pod: this.pod,
      podDir: this.podDir,
      sandbox: this.sandbox!,
      volumePaths: this.volumePaths ?? new Map(),
      wakeAt: (time) => this.wakeAt(time),
      containerIdOf: (name) => this.slots.find((s) => s.spec.name === name)?.latest?.id,
    };
  }

  private grace(): number {
    const meta = this.pod.metadata;
    const seconds = meta?.deletionTimestamp
      ? (meta.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30)
      : (this.pod.spec?.terminationGracePeriodSeconds ?? 30);
    return seconds * 1000;
  }

  private async sync(): Promise<void> {
    const { clock } = this.deps;
    await this.refresh();
    await this.removeStale();
    if (this.phase === "deleted") {
      await this.terminate();
      return;
    }
    this.startTime ??= formatTime(clock.now());
    if (!this.terminalPhase) this.checkDeadline();
    if (this.terminalPhase) {
      await this.stopAll(`Stopping container`);
      await this.stopSandbox();
      await this.report();
      return;
    }
    if (!(await this.syncVolumes())) {
      await this.report();
      return;
    }
    if (!(await this.syncSandbox())) {
      await this.report();
      return;
    }
    for (const slot of this.slots) this.ensureProbes(slot);
    await this.syncRestartRequests();
    // Before the init containers, as kubelet does: a debug container must start even while an
    // init container fails.
    await this.syncEphemeral();
    if (await this.syncInit()) await this.syncApp();
    for (const slot of this.slots) this.ensureProbes(slot);
    await this.report();
  }

  private async removeStale(): Promise<void> {
    const { runtime } = this.deps;
    while (this.staleContainers.length > 0) {
      const c = this.staleContainers.pop()!;
      if (c.state === "running") await runtime.stopContainer(c.id, 2000);
      await runtime.removeContainer(c.id);
    }
    while (this.staleSandboxes.length > 0) {
      const s = this.staleSandboxes.pop()!;
      await runtime.stopSandbox(s.id);
      await runtime.removeSandbox(s.id);
    }
  }

  private checkDeadline(): void {
    const deadline = this.pod.spec?.activeDeadlineSeconds;
    if (deadline === undefined || !this.startTime) return;
    const expires = Date.parse(this.startTime) + deadline * 1000;
    if (this.deps.clock.now() < expires) {
      this.wakeAt(expires);
      return;
    }
    this.terminalPhase = "Failed";
    this.terminalReason = {
      reason: "DeadlineExceeded",
      message: "Pod was active on the node longer than the specified deadline",
    };
    this.deps.events.record(this.pod, "Normal", "DeadlineExceeded", this.terminalReason.message);
  }

  private async syncVolumes(): Promise<boolean> {
    const { clock } = this.deps;
    const meta = this.pod.metadata;
    const key = JSON.stringify([meta?.labels, meta?.annotations, this.sandbox?.ip]);
    if (this.volumePaths && key === this.volumeKey && clock.now() - this.volumesAt < VOLUME_REFRESH_MS) return true;
    try {
      this.volumePaths = await this.deps.volumes.setUp({
        pod: this.pod,
        podDir: this.podDir,
        addresses: { podIP: this.sandbox?.ip, hostIP: this.deps.hostIP },
        node: this.deps.allocatable,
      });
      this.volumesAt = clock.now();
      this.volumeKey = key;
      return true;
    } catch (err) {
      if (!(err instanceof MountError)) throw err;
      this.deps.events.record(this.pod, "Warning", "FailedMount", err.message);
      // Containers already running keep running; new ones wait for their volumes.
      if (this.volumePaths) return true;
      this.wakeAt(clock.now() + 10_000);
      return false;
    }
  }

  private async syncSandbox(): Promise<boolean> {
    const { runtime, clock } = this.deps;
    if (this.sandbox?.state === "ready") return true;
    const dead = this.sandbox;
    if (dead) {
      this.deps.events.record(
        this.pod,
        "Normal",
        "SandboxChanged",
        "Pod sandbox changed, it will be killed and re-created.",
      );
      await this.stopAll("Stopping container", 2000);
      await runtime.stopSandbox(dead.id);
      await runtime.removeSandbox(dead.id);
    }
    try {
      this.sandbox = await runtime.runSandbox({
        pod: { uid: this.uid, name: this.pod.metadata?.name ?? "", namespace: this.pod.metadata?.namespace ?? "" },
        attempt: dead ? dead.attempt + 1 : 0,
        hostname: this.pod.spec?.hostname ?? this.pod.metadata?.name ?? "",
        hostNetwork: this.pod.spec?.hostNetwork === true,
        podDir: this.podDir,
      });
      // Downward API files with status.podIP change with the sandbox.
      this.volumesAt = 0;
      await this.syncVolumes();
      return true;
    } catch (err) {
      this.sandbox = undefined;
      this.deps.events.record(
        this.pod,
        "Warning",
        "FailedCreatePodSandBox",
        `Failed to create pod sandbox: ${errorMessage(err)}`,
      );
      this.wakeAt(clock.now() + SANDBOX_RETRY_MS);
      return false;
    }
  }

  private ensureProbes(slot: Slot): void {
    const latest = slot.latest;
    if (!latest || latest.state !== "running" || slot.probesFor === latest.id || !this.sandbox) return;
    slot.probes?.stop();
    const before = [
      ...(this.pod.status?.containerStatuses ?? []),
      ...(this.pod.status?.initContainerStatuses ?? []),
    ].find((s) => s.name === slot.spec.name && s.containerID?.endsWith(`://${latest.id}`));
    const probes = new ContainerProbes(
      {
        runtime: this.deps.runtime,
        containerId: latest.id,
        container: slot.spec,
        podIP: this.sandbox.ip,
        clock: this.deps.clock,
      },
      {
        changed: () => this.trigger(),
        failed: (_kind, message) =>
          this.deps.events.record(this.pod, "Warning", "Unhealthy", message, containerRef(slot)),
        unhealthy: (kind, _message) => {
          if (slot.probesFor !== latest.id) return;
          slot.restartRequest = `Container ${slot.spec.name} failed ${kind} probe, will be restarted`;
          this.trigger();
        },
      },
      { readyBefore: before?.ready, startedBefore: before?.started },
    );
    slot.probes = probes;
    slot.probesFor = latest.id;
    probes.start(latest.startedAt ?? this.deps.clock.now());
  }

  /** Containers a probe or hook condemned, and containers whose spec changed, are stopped. */
  private async syncRestartRequests(): Promise<void> {
    for (const slot of this.slots) {
      const latest = slot.latest;
      if (!latest || latest.state !== "running") continue;
      let message = slot.restartRequest;
      if (!message && !slot.init && latest.specHash && latest.specHash !== specHash(slot))
        message = `Container ${slot.spec.name} definition changed, will be restarted`;
      if (!message) continue;
      const grace = this.pod.spec?.terminationGracePeriodSeconds ?? 30;
      await killContainer(this.deps, this.pod, slot, message, grace * 1000, this.sandbox?.ip ?? "");
      slot.restartRequest = undefined;
      this.containerEnded(slot);
    }
  }

  /** Restart after an exit, honouring the back-off; false while waiting. */
  private async restart(slot: Slot): Promise<boolean> {
    const { clock, restartBackoff } = this.deps;
    const latest = slot.latest!;
    const key = `${this.uid}/${slot.init ? "init:" : ""}${slot.spec.name}`;
    const check = restartBackoff.check(key, latest.finishedAt ?? clock.now(), clock.now());
    if (check.waiting) {
      slot.waiting = { reason: "CrashLoopBackOff", message: backoffMessage(this.pod, slot.spec.name, check.delayMs) };
      if (slot.backoffEventAt === undefined || clock.now() - slot.backoffEventAt >= BACKOFF_EVENT_MS) {
        slot.backoffEventAt = clock.now();
        this.deps.events.record(
          this.pod,
          "Warning",
          "BackOff",
          backoffEvent(this.pod, slot.spec.name),
          containerRef(slot),
        );
      }
      this.wakeAt(check.retryAt);
      return false;
    }
    restartBackoff.next(key, clock.now());
    return startContainer(this.scope(), slot);
  }

  /** Init containers in order; answers true once all have completed (sidecars: started). */
  private async syncInit(): Promise<boolean> {
    const policy = this.pod.spec?.restartPolicy;
    for (const slot of this.initSlots) {
      const latest = slot.latest;
      if (slot.restartable) {
        if (!latest) {
          await startContainer(this.scope(), slot);
          return false;
        }
        if (latest.state === "exited") {
          await this.restart(slot);
          return false;
        }
        if (!(slot.probes?.started ?? false)) return false;
        continue;
      }
      // A new sandbox (the old one died) runs the init containers again.
      const fromOldSandbox = latest !== undefined && latest.sandboxId !== "" && latest.sandboxId !== this.sandbox?.id;
      if (!latest || (fromOldSandbox && latest.state === "exited")) {
        await startContainer(this.scope(), slot);
        return false;
      }
      if (latest.state === "exited" && latest.exitCode === 0) continue;
      if (latest.state !== "exited") return false;
      if (policy !== "Never") await this.restart(slot);
      return false;
    }
    return true;
  }

  private async syncApp(): Promise<void> {
    const policy = this.pod.spec?.restartPolicy;
    for (const slot of this.appSlots) {
      const latest = slot.latest;
      if (!latest) await startContainer(this.scope(), slot);
      else if (latest.state === "exited" && shouldRestart(policy, latest.exitCode)) await this.restart(slot);
      else if (latest.state === "exited") slot.waiting = undefined;
    }
  }

  /**
   * Each ephemeral container starts once: one that has a container (running or ended, even one
   * that failed to start) is left alone whatever the restart policy. One that could not be
   * created yet (image, config, missing target) is retried like kubelet does.
   */
  private async syncEphemeral(): Promise<void> {
    for (const slot of this.ephemeralSlots) if (!slot.latest) await startContainer(this.scope(), slot);
  }

  /** Stops every running container in parallel (sidecars after the others). */
  private async stopAll(verb: string, graceOverrideMs?: number): Promise<void> {
    const grace = graceOverrideMs ?? this.grace();
    const podIP = this.sandbox?.ip ?? "";
    const kill = (slot: Slot) =>
      killContainer(this.deps, this.pod, slot, `${verb} ${slot.spec.name}`, grace, podIP).then(() =>
        this.containerEnded(slot),
      );
    const running = (slot: Slot) => slot.latest?.state === "running";
    const regular = [...this.ephemeralSlots, ...this.appSlots, ...this.initSlots.filter((s) => !s.restartable)].filter(
      running,
    );
    await Promise.all(regular.map(kill));
    await Promise.all(this.initSlots.filter((s) => s.restartable && running(s)).map(kill));
  }

  private async stopSandbox(): Promise<void> {
    if (this.sandbox?.state === "ready") {
      await this.deps.runtime.stopSandbox(this.sandbox.id);
      this.sandbox = { ...this.sandbox, state: "notready" };
    }
  }

  private view(slot: Slot) {
    return viewOf({
      ...slot,
      latest: this.withMessage(slot, slot.latest),
      previous: this.withMessage(slot, slot.previous),
    });
  }

  private computeStatus(): PodStatus {
    return podStatus({
      pod: this.pod,
      now: this.deps.clock.now(),
      runtime: this.deps.runtime.name,
      hostIP: this.deps.hostIP,
      podIP: this.sandbox?.ip || this.pod.status?.podIP,
      sandboxReady: this.sandbox?.state === "ready",
      initContainers: this.initSlots.map((slot) => this.view(slot)),
      containers: this.appSlots.map((slot) => this.view(slot)),
      ephemeralContainers: this.ephemeralSlots.map((slot) => this.view(slot)),
      startTime: this.startTime ?? formatTime(this.deps.clock.now()),
      terminalPhase: this.terminalPhase,
      reason: this.terminalReason?.reason,
      message: this.terminalReason?.message,
    });
  }

  private async report(): Promise<void> {
    if (this.passive) return;
    const status = this.computeStatus();
    if (status.phase === "Running" && this.runningLogged === false) {
      this.runningLogged = true;
      this.deps.logger.debug(`${this.label}: Running ${this.deps.clock.now() - this.seenAt}ms after the daemon saw it`);
    }
    if (!this.terminalPhase && (status.phase === "Succeeded" || status.phase === "Failed")) {
      // Finished: nothing restarts any more; sidecars and the sandbox go.
      this.terminalPhase = status.phase;
      this.trigger();
    }
    await this.deps.statusWriter.update(this.pod, status);
  }

  /** Deleted with a grace period: stop the containers, report the final status, finish the deletion. */
  private async terminate(): Promise<void> {
    const { api, clock } = this.deps;
    await this.stopAll("Stopping container");
    await this.stopSandbox();
    for (const slot of this.allSlots) slot.waiting = undefined;
    const status = this.computeStatus();
    if (status.phase !== "Succeeded" && status.phase !== "Failed") {
      const all = (status.containerStatuses ?? []).map((s) => s.state?.terminated?.exitCode);
      status.phase = all.length > 0 && all.every((code) => code === 0) ? "Succeeded" : "Failed";
    }
    for (const condition of status.conditions ?? []) {
      if (condition.type === "Ready" || condition.type === "ContainersReady") {
        if (condition.status === "True") condition.lastTransitionTime = formatTime(this.deps.clock.now());
        condition.status = "False";
        condition.reason = "PodCompleted";
        delete condition.message;
      }
    }
    if (!this.passive) await this.deps.statusWriter.update(this.pod, status);
    // The informer's DELETED event (or the periodic re-list) then removes the worker.
    if (this.deleteSentAt !== undefined && clock.now() - this.deleteSentAt < FINAL_DELETE_RETRY_MS) return;
    const meta = this.pod.metadata!;
    try {
      await api.delete(
        `/api/v1/namespaces/${encodeURIComponent(meta.namespace ?? "")}/pods/${encodeURIComponent(meta.name ?? "")}`,
        { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0, preconditions: { uid: this.uid } },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.deleteSentAt = clock.now();
  }

  /** Removes everything the pod had on the node. */
  private async cleanUp(): Promise<void> {
    const { runtime, volumes } = this.deps;
    this.cancelWake?.();
    await this.stopAll("Stopping container", Math.min(this.grace(), 2000));
    const containers = await runtime.listContainers(this.uid);
    for (const c of containers) {
      if (c.state === "running") await runtime.stopContainer(c.id, 0);
      await runtime.removeContainer(c.id);
    }
    for (const sandbox of (await runtime.listSandboxes()).filter((s) => s.pod.uid === this.uid)) {
      await runtime.stopSandbox(sandbox.id);
      await runtime.removeSandbox(sandbox.id);
    }
    await volumes.tearDown(this.podDir);
    rmSync(this.podDir, { recursive: true, force: true });
    this.deps.restartBackoff.forget(`${this.uid}/`);
    this.deps.imageBackoff.forget(`${this.uid}/`);
    this.deps.statusWriter.forget(this.uid);
    this.deps.events.forget(this.uid);
    this.phase = "stopped";
    this.finish();
    this.onGone(this.uid);
  }
}
