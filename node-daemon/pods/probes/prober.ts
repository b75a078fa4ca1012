// The probes of one running container: startup first, then liveness and readiness, each on its
// own period after its initial delay, with kubelet's thresholds and defaults.
import type { Probe } from "kubernetes-types/core/v1";
import { runAction, type HandlerTarget } from "./handlers.ts";
import { ProbeTracker } from "./tracker.ts";

export type ProbeKind = "startup" | "liveness" | "readiness";

export interface ProbeListener {
  /** Readiness or started changed: the pod's status must be recomputed. */
  changed(): void;
  /** One failed probe (an Unhealthy event). */
  failed(kind: ProbeKind, message: string): void;
  /** Liveness or startup failed past its threshold: the container must be restarted. */
  unhealthy(kind: "liveness" | "startup", message: string): void;
}

const LABEL: Record<ProbeKind, string> = { startup: "Startup", liveness: "Liveness", readiness: "Readiness" };

class ProbeLoop {
  readonly tracker: ProbeTracker;
  private readonly probe: Probe;
  private readonly kind: ProbeKind;
  private readonly owner: ContainerProbes;
  private cancel: (() => void) | undefined;
  private stopped = false;

  constructor(kind: ProbeKind, probe: Probe, owner: ContainerProbes, initial: boolean) {
    this.kind = kind;
    this.probe = probe;
    this.owner = owner;
    this.tracker = new ProbeTracker({
      successThreshold: kind === "readiness" ? probe.successThreshold : 1,
      failureThreshold: probe.failureThreshold,
      initial,
    });
  }

  start(startedAt: number): void {
    const { clock } = this.owner.target;
    const first = startedAt + (this.probe.initialDelaySeconds ?? 0) * 1000;
    this.schedule(Math.max(0, first - clock.now()));
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancel = this.owner.target.clock.setTimer(ms, () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { clock } = this.owner.target;
    const began = clock.now();
    const period = Math.max(1, this.probe.periodSeconds ?? 10) * 1000;
    // Liveness and readiness wait for the startup probe.
    if (this.kind !== "startup" && !this.owner.started) {
      this.schedule(period);
      return;
    }
    const timeout = Math.max(1, this.probe.timeoutSeconds ?? 1) * 1000;
    const result = await runAction(this.probe, this.owner.target, timeout);
    if (this.stopped) return;
    if (!result.success) this.owner.listener.failed(this.kind, `${LABEL[this.kind]} probe failed: ${result.message}`);
    const changed = this.tracker.record(result.success);
    if (this.kind === "startup") {
      if (this.tracker.ok) {
        // Done: a started container's startup probe never runs again.
        this.owner.markStarted();
        return;
      }
      if (this.tracker.consecutiveFailures >= this.tracker.threshold) {
        this.owner.listener.unhealthy("startup", result.message);
        return;
      }
    } else if (this.kind === "liveness" && changed && !this.tracker.ok) {
      this.owner.listener.unhealthy("liveness", result.message);
      return;
    } else if (changed) this.owner.listener.changed();
    this.schedule(Math.max(0, began + period - clock.now()));
  }
}

export class ContainerProbes {
  readonly target: HandlerTarget;
  readonly listener: ProbeListener;
  private readonly startup?: ProbeLoop;
  private readonly liveness?: ProbeLoop;
  private readonly readiness?: ProbeLoop;
  private startedFlag: boolean;

  /**
   * `readyBefore`: the ready value the pod's status showed for this very container, used as the
   * readiness until the first probe runs (a restarted daemon must not flap Ready).
   */
  constructor(
    target: HandlerTarget,
    listener: ProbeListener,
    options: { readyBefore?: boolean; startedBefore?: boolean },
  ) {
    this.target = target;
    this.listener = listener;
    const { container } = target;
    this.startedFlag = !container.startupProbe || options.startedBefore === true;
    if (container.startupProbe && !this.startedFlag)
      this.startup = new ProbeLoop("startup", container.startupProbe, this, false);
    if (container.livenessProbe) this.liveness = new ProbeLoop("liveness", container.livenessProbe, this, true);
    if (container.readinessProbe)
      this.readiness = new ProbeLoop("readiness", container.readinessProbe, this, options.readyBefore === true);
  }

  start(startedAt: number): void {
    this.startup?.start(startedAt);
    this.liveness?.start(startedAt);
    this.readiness?.start(startedAt);
  }

  stop(): void {
    this.startup?.stop();
    this.liveness?.stop();
    this.readiness?.stop();
  }

  get started(): boolean {
    return this.startedFlag;
  }

  markStarted(): void {
    this.startedFlag = true;
    this.listener.changed();
  }

  /** Ready: started, and the readiness probe (if any) succeeding. */
  get ready(): boolean {
    if (!this.startedFlag) return false;
    return this.readiness ? this.readiness.tracker.ok : true;
  }
}
