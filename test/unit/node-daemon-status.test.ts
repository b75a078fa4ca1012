import type { Pod } from "kubernetes-types/core/v1";
import { describe, expect, it } from "vitest";
import type { ContainerInfo } from "../../node-daemon/runtime/types.ts";
import { containerStatus, podPhase, podStatus, type ContainerView } from "../../node-daemon/pods/status.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");

const pod = (spec: Partial<Pod["spec"]> = {}, status: Pod["status"] = {}): Pod => ({
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: { containers: [{ name: "app", image: "busybox" }], ...spec },
  status,
});

const container = (over: Partial<ContainerInfo>): ContainerInfo => ({
  id: "c1",
  pod: { uid: "u1", name: "web", namespace: "default" },
  name: "app",
  attempt: 0,
  init: false,
  ephemeral: false,
  sandboxId: "s1",
  image: "busybox",
  imageRef: "docker://sha256:abc",
  state: "running",
  createdAt: T0,
  startedAt: T0,
  specHash: "h",
  ...over,
});

const view = (over: Partial<ContainerView>): ContainerView => ({
  name: "app",
  image: "busybox",
  ready: false,
  started: false,
  ...over,
});

describe("container status", () => {
  it("shows a running container with its start time and readiness", () => {
    const status = containerStatus(
      view({ latest: container({}), ready: true, started: true }),
      "docker",
      "ContainerCreating",
    );
    expect(status).toEqual({
      name: "app",
      image: "busybox",
      imageID: "docker://sha256:abc",
      containerID: "docker://c1",
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: "2026-01-01T00:00:00Z" } },
      lastState: {},
    });
  });

  it("shows a crash-looping container as waiting with the last termination", () => {
    const exited = container({ attempt: 2, state: "exited", exitCode: 3, reason: "Error", finishedAt: T0 + 1000 });
    const status = containerStatus(
      view({ latest: exited, waiting: { reason: "CrashLoopBackOff", message: "back-off 20s …" } }),
      "docker",
      "ContainerCreating",
    );
    expect(status.state).toEqual({ waiting: { reason: "CrashLoopBackOff", message: "back-off 20s …" } });
    expect(status.lastState?.terminated).toMatchObject({
      exitCode: 3,
      reason: "Error",
      finishedAt: "2026-01-01T00:00:01Z",
    });
    expect(status.restartCount).toBe(2);
    expect(status.ready).toBe(false);
  });

  it("shows a restarted container with the previous one as lastState", () => {
    const previous = container({ id: "c0", state: "exited", exitCode: 137, reason: "Error", finishedAt: T0 });
    const status = containerStatus(
      view({ latest: container({ id: "c2", attempt: 1 }), previous, ready: true, started: true }),
      "process",
      "ContainerCreating",
    );
    expect(status.restartCount).toBe(1);
    expect(status.containerID).toBe("process://c2");
    expect(status.lastState?.terminated?.containerID).toBe("process://c0");
  });

  it("waits with ContainerCreating (or the given reason) before the first container", () => {
    expect(containerStatus(view({}), "docker", "ContainerCreating").state).toEqual({
      waiting: { reason: "ContainerCreating" },
    });
    expect(
      containerStatus(view({ waiting: { reason: "ErrImagePull", message: "no such image" } }), "docker", "X").state,
    ).toEqual({ waiting: { reason: "ErrImagePull", message: "no such image" } });
  });
});

describe("pod phase", () => {
  const statusOf = (v: ContainerView) => containerStatus(v, "docker", "ContainerCreating");
  const exited = (code: number) => view({ latest: container({ state: "exited", exitCode: code, finishedAt: T0 }) });

  it("is Pending while a container waits and Running once all run", () => {
    expect(podPhase("Always", [], [], [statusOf(view({}))])).toBe("Pending");
    expect(podPhase("Always", [], [], [statusOf(view({ latest: container({}) }))])).toBe("Running");
  });

  it("follows the restart policy once containers stop", () => {
    expect(podPhase("Always", [], [], [statusOf(exited(0))])).toBe("Running");
    expect(podPhase("OnFailure", [], [], [statusOf(exited(0))])).toBe("Succeeded");
    expect(podPhase("OnFailure", [], [], [statusOf(exited(1))])).toBe("Running");
    expect(podPhase("Never", [], [], [statusOf(exited(0))])).toBe("Succeeded");
    expect(podPhase("Never", [], [], [statusOf(exited(2))])).toBe("Failed");
  });

  it("counts a crash-looping container as stopped (Running with Always)", () => {
    const looping = view({
      latest: container({ state: "exited", exitCode: 1, finishedAt: T0 }),
      waiting: { reason: "CrashLoopBackOff" },
    });
    expect(podPhase("Always", [], [], [statusOf(looping)])).toBe("Running");
  });

  it("is Pending until init containers succeed, Failed when one fails under Never", () => {
    const init = [view({ name: "init" })];
    const running = [statusOf(view({ name: "init", latest: container({ name: "init", init: true }) }))];
    expect(podPhase("Always", init, running, [statusOf(view({}))])).toBe("Pending");
    const failed = [statusOf(view({ name: "init", latest: container({ state: "exited", exitCode: 1 }) }))];
    expect(podPhase("Never", init, failed, [statusOf(view({}))])).toBe("Failed");
    expect(podPhase("Always", init, failed, [statusOf(view({}))])).toBe("Pending");
  });
});

describe("pod status", () => {
  const base = {
    now: T0 + 5000,
    runtime: "docker" as const,
    hostIP: "192.0.2.1",
    podIP: "172.17.0.5",
    sandboxReady: true,
    initContainers: [],
    startTime: "2026-01-01T00:00:00Z",
  };

  it("reports conditions in kubelet's order with transition times kept when unchanged", () => {
    const before = pod(
      {},
      {
        conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2025-12-31T00:00:00Z" }],
      },
    );
    const status = podStatus({
      ...base,
      pod: before,
      containers: [view({ latest: container({}), ready: true, started: true })],
    });
    expect(status.phase).toBe("Running");
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      "PodReadyToStartContainers=True",
      "Initialized=True",
      "Ready=True",
      "ContainersReady=True",
      "PodScheduled=True",
    ]);
    expect(status.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime).toBe("2025-12-31T00:00:00Z");
    expect(status.conditions?.find((c) => c.type === "Initialized")?.lastTransitionTime).toBe("2026-01-01T00:00:05Z");
    expect(status.podIPs).toEqual([{ ip: "172.17.0.5" }]);
    expect(status.hostIPs).toEqual([{ ip: "192.0.2.1" }]);
    expect(status.qosClass).toBe("BestEffort");
  });

  it("names unready containers and sorts container statuses by name", () => {
    const status = podStatus({
      ...base,
      pod: pod({ containers: [{ name: "zeta" }, { name: "alpha" }] }),
      containers: [
        view({ name: "zeta", latest: container({ name: "zeta" }), started: true, ready: false }),
        view({ name: "alpha", latest: container({ id: "c9", name: "alpha" }), started: true, ready: true }),
      ],
    });
    const ready = status.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({
      status: "False",
      reason: "ContainersNotReady",
      message: "containers with unready status: [zeta]",
    });
    expect(status.containerStatuses?.map((s) => s.name)).toEqual(["alpha", "zeta"]);
  });

  it("reports init containers still to run, and app containers PodInitializing meanwhile", () => {
    const status = podStatus({
      ...base,
      pod: pod({ initContainers: [{ name: "setup" }] }),
      initContainers: [view({ name: "setup", latest: container({ id: "i1", name: "setup", init: true }) })],
      containers: [view({})],
    });
    expect(status.phase).toBe("Pending");
    expect(status.conditions?.find((c) => c.type === "Initialized")).toMatchObject({
      status: "False",
      reason: "ContainersNotInitialized",
      message: "containers with incomplete status: [setup]",
    });
    expect(status.containerStatuses?.[0].state).toEqual({ waiting: { reason: "PodInitializing" } });
  });

  it("marks a finished pod PodCompleted", () => {
    const status = podStatus({
      ...base,
      pod: pod({ restartPolicy: "Never" }),
      containers: [view({ latest: container({ state: "exited", exitCode: 0, reason: "Completed", finishedAt: T0 }) })],
    });
    expect(status.phase).toBe("Succeeded");
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "PodCompleted",
    });
  });

  it("reports ephemeral containers apart: sorted, never ready, no started, outside phase and readiness", () => {
    const status = podStatus({
      ...base,
      pod: pod({ restartPolicy: "Never" }),
      containers: [view({ latest: container({}), ready: true, started: true })],
      ephemeralContainers: [
        view({
          name: "zz-debug",
          latest: container({
            id: "e1",
            name: "zz-debug",
            ephemeral: true,
            state: "exited",
            exitCode: 2,
            finishedAt: T0,
          }),
        }),
        view({ name: "aa-debug", image: "alpine", ready: true, started: true }),
      ],
    });
    expect(status.phase).toBe("Running");
    expect(status.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(status.ephemeralContainerStatuses).toEqual([
      {
        name: "aa-debug",
        image: "alpine",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "ContainerCreating" } },
        lastState: {},
      },
      {
        name: "zz-debug",
        image: "busybox",
        imageID: "docker://sha256:abc",
        containerID: "docker://e1",
        ready: false,
        restartCount: 0,
        state: {
          terminated: {
            exitCode: 2,
            reason: "Error",
            startedAt: "2026-01-01T00:00:00Z",
            finishedAt: "2026-01-01T00:00:00Z",
            containerID: "docker://e1",
          },
        },
        lastState: {},
      },
    ]);
    expect(podStatus({ ...base, pod: pod(), containers: [view({})] }).ephemeralContainerStatuses).toBeUndefined();
  });

  it("lets an ephemeral container wait with PodInitializing in a pod that has init containers", () => {
    const status = podStatus({
      ...base,
      pod: pod({ initContainers: [{ name: "setup" }] }),
      initContainers: [view({ name: "setup", latest: container({ id: "i1", name: "setup", init: true }) })],
      containers: [view({})],
      ephemeralContainers: [view({ name: "debug" })],
    });
    expect(status.ephemeralContainerStatuses?.[0].state).toEqual({ waiting: { reason: "PodInitializing" } });
  });

  it("holds Ready back for readiness gates whose condition is missing", () => {
    const status = podStatus({
      ...base,
      pod: pod({ readinessGates: [{ conditionType: "example.com/lb" }] }),
      containers: [view({ latest: container({}), ready: true, started: true })],
    });
    expect(status.conditions?.find((c) => c.type === "ContainersReady")?.status).toBe("True");
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "ReadinessGatesNotReady",
    });
  });
});
