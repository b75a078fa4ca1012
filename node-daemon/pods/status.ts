// A pod's status as kubelet reports it, computed from what the worker knows (pure; unit-tested):
// phase, conditions, init and app container statuses, IPs, start time, QoS class.
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from "kubernetes-types/core/v1";
import { podQOSClass } from "../../api/registry/defaults/qos.ts";
import { formatTime } from "../clock.ts";
import type { ContainerInfo, RuntimeName } from "../runtime/types.ts";

export interface ContainerView {
  name: string;
  image: string;
  /** A sidecar: an init container with restartPolicy Always. */
  restartable?: boolean;
  /** The newest container of this name, and the one before it. */
  latest?: ContainerInfo;
  previous?: ContainerInfo;
  /** Why it is not running, when the worker knows (CrashLoopBackOff, ErrImagePull, …). */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
}

export interface StatusInput {
  pod: Pod;
  now: number;
  runtime: RuntimeName;
  hostIP: string;
  podIP?: string;
  sandboxReady: boolean;
  initContainers: ContainerView[];
  containers: ContainerView[];
  /** spec.ephemeralContainers: reported, but never part of the phase or readiness. */
  ephemeralContainers?: ContainerView[];
  startTime: string;
  /** Once a pod is Succeeded or Failed it stays so. */
  terminalPhase?: "Succeeded" | "Failed";
  reason?: string;
  message?: string;
}

const terminated = (runtime: RuntimeName, c: ContainerInfo): ContainerState => ({
  terminated: {
    exitCode: c.exitCode ?? 0,
    reason: c.reason ?? (c.exitCode === 0 ? "Completed" : "Error"),
    ...(c.message ? { message: c.message } : {}),
    startedAt: c.startedAt !== undefined ? formatTime(c.startedAt) : undefined,
    finishedAt: c.finishedAt !== undefined ? formatTime(c.finishedAt) : undefined,
    containerID: `${runtime}://${c.id}`,
  },
});

export function containerStatus(view: ContainerView, runtime: RuntimeName, defaultWaiting: string): ContainerStatus {
  const { latest, previous } = view;
  const status: ContainerStatus = {
    name: view.name,
    image: view.image,
    imageID: latest?.imageRef ?? "",
    ready: false,
    restartCount: latest?.attempt ?? 0,
    started: false,
    state: {},
    lastState: {},
  };
  if (latest) status.containerID = `${runtime}://${latest.id}`;
  const previousTerminated = previous && previous.state === "exited" ? terminated(runtime, previous) : {};
  if (latest?.state === "running") {
    status.state = {
      running: { startedAt: latest.startedAt !== undefined ? formatTime(latest.startedAt) : undefined },
    };
    status.lastState = previousTerminated;
    status.ready = view.ready;
    status.started = view.started;
  } else if (latest?.state === "exited") {
    if (view.waiting) {
      status.state = { waiting: view.waiting };
      status.lastState = terminated(runtime, latest);
    } else {
      status.state = terminated(runtime, latest);
      status.lastState = previousTerminated;
    }
  } else {
    status.state = { waiting: view.waiting ?? { reason: defaultWaiting } };
    status.lastState = previousTerminated;
  }
  return status;
}

const isRunning = (s: ContainerStatus) => s.state?.running !== undefined;
const succeeded = (s: ContainerStatus) => s.state?.terminated?.exitCode === 0;
const failedBefore = (s: ContainerStatus) =>
  (s.state?.terminated !== undefined && s.state.terminated.exitCode !== 0) ||
  (s.state?.waiting !== undefined && (s.lastState?.terminated?.exitCode ?? 0) !== 0);

/** Init containers that still hold up the app containers. */
export function pendingInit(views: ContainerView[], statuses: ContainerStatus[]): string[] {
  return views
    .filter((view, i) => (view.restartable ? !(isRunning(statuses[i]) && view.started) : !succeeded(statuses[i])))
    .map((view) => view.name);
}

/** kubelet's phase rules over the container statuses. */
export function podPhase(
  restartPolicy: string,
  initViews: ContainerView[],
  initStatuses: ContainerStatus[],
  statuses: ContainerStatus[],
): PodStatus["phase"] {
  const initFailed = initViews.some((view, i) => !view.restartable && failedBefore(initStatuses[i]));
  if (initFailed && restartPolicy === "Never") return "Failed";
  if (pendingInit(initViews, initStatuses).length > 0) return "Pending";
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let exitedZero = 0;
  for (const status of statuses) {
    if (status.state?.running) running++;
    else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) exitedZero++;
    } else if (status.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (restartPolicy === "Always") return "Running";
    if (stopped === exitedZero) return "Succeeded";
    return restartPolicy === "OnFailure" ? "Running" : "Failed";
  }
  return "Pending";
}

type ConditionCore = Pick<PodCondition, "type" | "status" | "reason" | "message">;

function conditions(input: StatusInput, phase: string, init: ContainerStatus[], app: ContainerStatus[]) {
  const terminal = phase === "Succeeded" || phase === "Failed";
  const incomplete = pendingInit(input.initContainers, init);
  const unready = app.filter((s) => !s.ready).map((s) => s.name);
  const list = (names: string[]) => `[${names.join(" ")}]`;
  const existing = input.pod.status?.conditions ?? [];
  const gates = (input.pod.spec?.readinessGates ?? []).map((g) => g.conditionType);
  const gatesNotTrue = gates.filter((type) => existing.find((c) => c.type === type)?.status !== "True");

  const containersReady: ConditionCore = terminal
    ? { type: "ContainersReady", status: "False", reason: "PodCompleted" }
    : unready.length === 0
      ? { type: "ContainersReady", status: "True" }
      : {
          type: "ContainersReady",
          status: "False",
          reason: "ContainersNotReady",
          message: `containers with unready status: ${list(unready)}`,
        };
  let ready: ConditionCore = { ...containersReady, type: "Ready" };
  if (!terminal && unready.length === 0 && gatesNotTrue.length > 0) {
    ready = {
      type: "Ready",
      status: "False",
      reason: "ReadinessGatesNotReady",
      message: `corresponding condition of pod readiness gate "${gatesNotTrue[0]}" does not exist.`,
    };
  }
  const cores: ConditionCore[] = [
    { type: "PodReadyToStartContainers", status: input.sandboxReady ? "True" : "False" },
    incomplete.length === 0
      ? { type: "Initialized", status: "True" }
      : {
          type: "Initialized",
          status: "False",
          reason: "ContainersNotInitialized",
          message: `containers with incomplete status: ${list(incomplete)}`,
        },
    ready,
    containersReady,
  ];
  const stamped: PodCondition[] = cores.map((core) => {
    const before = existing.find((c) => c.type === core.type);
    const since = before && before.status === core.status ? before.lastTransitionTime : formatTime(input.now);
    return { ...core, lastProbeTime: null as unknown as undefined, lastTransitionTime: since };
  });
  const scheduled = existing.find((c) => c.type === "PodScheduled") ?? {
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null as unknown as undefined,
    lastTransitionTime: formatTime(input.now),
  };
  const ours = new Set(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);
  return [...stamped, scheduled, ...existing.filter((c) => !ours.has(c.type))];
}

const byName = (a: ContainerStatus, b: ContainerStatus) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * An ephemeral container's status: never ready, never restarted. kubelet's probe manager does not
 * look at ephemeral containers, so `started` stays unset; before they start they wait with the
 * pod-wide default reason (PodInitializing in a pod with init containers).
 */
export function ephemeralContainerStatus(view: ContainerView, runtime: RuntimeName, hasInit: boolean): ContainerStatus {
  const { started: _started, ...status } = containerStatus(
    { ...view, ready: false },
    runtime,
    hasInit ? "PodInitializing" : "ContainerCreating",
  );
  return status;
}

export function podStatus(input: StatusInput): PodStatus {
  const { pod, runtime } = input;
  const init = input.initContainers.map((view) => containerStatus(view, runtime, "PodInitializing"));
  const initDone = pendingInit(input.initContainers, init).length === 0;
  const app = input.containers.map((view) =>
    containerStatus(view, runtime, initDone ? "ContainerCreating" : "PodInitializing"),
  );
  const phase = input.terminalPhase ?? podPhase(pod.spec?.restartPolicy ?? "Always", input.initContainers, init, app);
  const status: PodStatus = {
    phase,
    conditions: conditions(input, phase ?? "Pending", init, app),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(input.podIP ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    startTime: input.startTime,
    ...(input.initContainers.length > 0 ? { initContainerStatuses: init } : {}),
    containerStatuses: [...app].sort(byName),
    qosClass: pod.status?.qosClass ?? podQOSClass(pod.spec),
  };
  const ephemeral = input.ephemeralContainers ?? [];
  if (ephemeral.length > 0) {
    const hasInit = (pod.spec?.initContainers ?? []).length > 0;
    status.ephemeralContainerStatuses = ephemeral
      .map((v) => ephemeralContainerStatus(v, runtime, hasInit))
      .sort(byName);
  }
  if (input.reason) status.reason = input.reason;
  if (input.message) status.message = input.message;
  return status;
}
