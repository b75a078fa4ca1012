// The pod table: READY, the computed STATUS reason, RESTARTS with last-restart age, and wide columns.
import type { Container, ContainerStatus, Pod } from "kubernetes-types/core/v1";
import type { TableConvertor } from "../registry/types.ts";
import { formatAge, parseTime } from "./age.ts";
import { ageColumn, col, conditionStatus, nameColumn, view } from "./format.ts";

const isSidecar = (c: Container | undefined) => c?.restartPolicy === "Always";

/** Latest finishedAt of a container's previous termination, folded into `current`. */
function laterRestart(current: number | undefined, status: ContainerStatus): number | undefined {
  const t = parseTime(status.lastState?.terminated?.finishedAt);
  if (t === undefined) return current;
  return current === undefined || t > current ? t : current;
}

export interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  lastRestart?: number;
}

/** What `kubectl get pods` derives from a pod's spec and status. */
export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initSpecs = new Map((spec?.initContainers ?? []).map((c) => [c.name, c]));
  let total = (spec?.containers ?? []).length + [...initSpecs.values()].filter(isSidecar).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: number | undefined;
  let reason = status.reason || status.phase || "";
  if (status.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) {
    reason = "SchedulingGated";
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = laterRestart(lastRestart, c);
    const sidecar = isSidecar(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = laterRestart(lastSidecarRestart, c);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec?.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionStatus(status.conditions, "Initialized") === "True") {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = laterRestart(lastRestart, c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last-seen container completed but another still runs is shown as running.
    if (reason === "Completed" && hasRunning) {
      reason = conditionStatus(status.conditions, "Ready") === "True" ? "Running" : "NotReady";
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === "NodeLost") reason = "Unknown";
    else if (status.phase !== "Succeeded" && status.phase !== "Failed") reason = "Terminating";
  }
  return { ready, total, reason, restarts, lastRestart };
}

/** "3" or, when the last restart time is known, "3 (5m ago)". */
export function formatRestarts(summary: PodSummary, now: Date): string {
  if (summary.restarts === 0 || summary.lastRestart === undefined) return String(summary.restarts);
  return `${summary.restarts} (${formatAge(new Date(summary.lastRestart).toISOString(), now)} ago)`;
}

/** "true/total" over the pod's readiness gates, or "<none>". */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  const met = gates.filter((g) => conditionStatus(pod.status?.conditions, g.conditionType) === "True").length;
  return `${met}/${gates.length}`;
}

export const podTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Ready", "string", "Ready containers out of all containers."),
    col("Status", "string", "The pod's phase, or the most telling container state."),
    col("Restarts", "string", "Container restarts, and how long ago the latest one happened."),
    ageColumn,
    col("IP", "string", "The pod's primary IP address.", 1),
    col("Node", "string", "The node the pod is bound to.", 1),
    col("Nominated Node", "string", "The node the scheduler nominated for preemption.", 1),
    col("Readiness Gates", "string", "Readiness gates whose condition is true, out of all gates.", 1),
  ],
  cells(obj, now) {
    const pod = view<Pod>(obj);
    const summary = summarizePod(pod);
    return [
      obj.metadata.name,
      `${summary.ready}/${summary.total}`,
      summary.reason,
      formatRestarts(summary, now),
      formatAge(obj.metadata.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || "<none>",
      pod.spec?.nodeName || "<none>",
      pod.status?.nominatedNodeName || "<none>",
      readinessGates(pod),
    ];
  },
};
