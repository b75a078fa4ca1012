// Ephemeral containers (`kubectl debug`) in the pod worker: started once in the running pod's
// sandbox with the target's process namespace, never restarted, reported apart from the pod's
// phase and readiness, stopped with the pod, and re-adopted by a restarted daemon.
import type { EphemeralContainer, Pod } from "kubernetes-types/core/v1";
import { appendFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { PodWorker } from "../../node-daemon/pods/worker.ts";
import { RuntimeTunnelHost } from "../../node-daemon/tunnel/host.ts";
import type { ExecIO } from "../../node-daemon/tunnel/client.ts";
import { basePod, settle, until, workerHarness, type WorkerHarness } from "./node-daemon-fake-runtime.ts";

const debugger_: EphemeralContainer = {
  name: "debugger",
  image: "busybox",
  imagePullPolicy: "IfNotPresent",
  command: ["sh"],
  stdin: true,
  tty: true,
  targetContainerName: "app",
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
};

const withEphemeral = (pod: Pod, ...ephemeral: EphemeralContainer[]): Pod => ({
  ...pod,
  metadata: { ...pod.metadata, resourceVersion: String(Number(pod.metadata?.resourceVersion ?? 1) + 1) },
  spec: { ...pod.spec!, ephemeralContainers: ephemeral },
});

const last = (h: WorkerHarness) => h.statuses[h.statuses.length - 1];
const condition = (h: WorkerHarness, type: string) => last(h)?.conditions?.find((c) => c.type === type)?.status;

let workers: PodWorker[] = [];
afterEach(() => {
  for (const worker of workers) worker.stop();
  workers = [];
});

function start(h: WorkerHarness, pod: Pod): PodWorker {
  const worker = new PodWorker(h.deps, pod);
  workers.push(worker);
  h.deps.runtime.onContainerEvent((uid) => uid === worker.uid && worker.trigger());
  worker.update(pod);
  return worker;
}

/** A pod whose app container runs and is Ready. */
async function runningPod(h: WorkerHarness, pod = basePod()): Promise<PodWorker> {
  const worker = start(h, pod);
  await until(() => last(h)?.phase === "Running" && condition(h, "Ready") === "True", "pod Running and Ready");
  return worker;
}

describe("ephemeral containers in the pod worker", () => {
  it("starts an added ephemeral container once, in the pod's sandbox with the target's process namespace", async () => {
    const h = workerHarness();
    const pod = basePod();
    const worker = await runningPod(h, pod);
    const app = h.runtime.find("app")!;
    worker.update(withEphemeral(pod, debugger_));
    await until(() => last(h)?.ephemeralContainerStatuses?.[0]?.state?.running !== undefined, "debugger running");

    const debug = h.runtime.find("debugger", { ephemeral: true })!;
    expect(h.runtime.created.filter((c) => c.name === "debugger")).toHaveLength(1);
    expect(h.runtime.created.find((c) => c.name === "debugger")).toMatchObject({
      ephemeral: true,
      init: false,
      attempt: 0,
      pidTargetId: app.id,
      stdin: true,
      tty: true,
      command: ["sh"],
    });
    expect(debug.sandboxId).toBe(app.sandboxId);
    expect(last(h).ephemeralContainerStatuses).toEqual([
      {
        name: "debugger",
        image: "busybox",
        imageID: "docker-pullable://busybox@sha256:feed",
        containerID: `docker://${debug.id}`,
        ready: false,
        restartCount: 0,
        state: { running: { startedAt: "2026-01-01T00:00:00Z" } },
        lastState: {},
      },
    ]);
    // Not one of the pod's containers: the pod's phase and readiness are the app's.
    expect(last(h).phase).toBe("Running");
    expect(condition(h, "Ready")).toBe("True");
    expect(last(h).containerStatuses?.map((s) => s.name)).toEqual(["app"]);

    await until(
      () => h.events.filter((e) => e.fieldPath === "spec.ephemeralContainers{debugger}").length === 3,
      "debugger events",
    );
    expect(h.events.filter((e) => e.fieldPath === "spec.ephemeralContainers{debugger}")).toEqual([
      {
        reason: "Pulled",
        message: 'Container image "busybox" already present on machine',
        fieldPath: expect.any(String),
      },
      { reason: "Created", message: "Created container debugger", fieldPath: expect.any(String) },
      { reason: "Started", message: "Started container debugger", fieldPath: expect.any(String) },
    ]);
  });

  it("reports an exit as terminated and never restarts it, whatever the restart policy", async () => {
    const h = workerHarness();
    const pod = basePod({ restartPolicy: "Always" });
    const worker = await runningPod(h, pod);
    worker.update(withEphemeral(pod, debugger_));
    await until(() => h.runtime.find("debugger", { ephemeral: true })?.state === "running", "debugger running");
    const debug = h.runtime.find("debugger", { ephemeral: true })!;
    await h.clock.advance(2000);
    h.runtime.exit(debug.id, 1);
    await until(() => last(h)?.ephemeralContainerStatuses?.[0]?.state?.terminated !== undefined, "debugger ended");
    // Long past any back-off and several resyncs later, still the one container.
    for (let i = 0; i < 10; i++) {
      await h.clock.advance(60_000);
      await settle();
    }
    expect(h.runtime.created.filter((c) => c.name === "debugger")).toHaveLength(1);
    expect(last(h).ephemeralContainerStatuses).toEqual([
      {
        name: "debugger",
        image: "busybox",
        imageID: "docker-pullable://busybox@sha256:feed",
        containerID: `docker://${debug.id}`,
        ready: false,
        restartCount: 0,
        state: {
          terminated: {
            exitCode: 1,
            reason: "Error",
            startedAt: "2026-01-01T00:00:00Z",
            finishedAt: "2026-01-01T00:00:02Z",
            containerID: `docker://${debug.id}`,
          },
        },
        lastState: {},
      },
    ]);
    expect(last(h).phase).toBe("Running");
    expect(condition(h, "Ready")).toBe("True");
    expect(condition(h, "ContainersReady")).toBe("True");
  });

  it("keeps a Never pod Running when its debug container exits 0", async () => {
    const h = workerHarness();
    const pod = basePod({ restartPolicy: "Never" });
    const worker = await runningPod(h, pod);
    worker.update(withEphemeral(pod, { ...debugger_, targetContainerName: undefined }));
    await until(() => h.runtime.find("debugger", { ephemeral: true })?.state === "running", "debugger running");
    expect(h.runtime.created.find((c) => c.name === "debugger")?.pidTargetId).toBeUndefined();
    h.runtime.exit(h.runtime.find("debugger", { ephemeral: true })!.id, 0);
    await until(() => last(h)?.ephemeralContainerStatuses?.[0]?.state?.terminated?.exitCode === 0, "debugger done");
    expect(last(h).phase).toBe("Running");
  });

  it("starts while an init container still runs; waits for a target that has no container yet", async () => {
    const h = workerHarness();
    const pod = basePod({ initContainers: [{ name: "setup", image: "busybox", command: ["sleep", "60"] }] });
    const worker = start(h, pod);
    await until(() => h.runtime.find("setup")?.state === "running", "init container running");
    worker.update(
      withEphemeral(
        pod,
        { ...debugger_, targetContainerName: "app" },
        { ...debugger_, name: "shell", targetContainerName: "setup" },
      ),
    );
    await until(() => (last(h)?.ephemeralContainerStatuses ?? []).length === 2, "both reported");
    await until(() => h.runtime.find("shell", { ephemeral: true })?.state === "running", "shell running");
    expect(h.runtime.created.find((c) => c.name === "shell")?.pidTargetId).toBe(h.runtime.find("setup")!.id);
    const [debug] = last(h).ephemeralContainerStatuses!;
    expect(debug.state).toEqual({
      waiting: { reason: "CreateContainerConfigError", message: "unable to find target container app" },
    });
    expect(last(h).phase).toBe("Pending");
    await until(
      () => h.events.some((e) => e.reason === "Failed" && e.fieldPath === "spec.ephemeralContainers{debugger}"),
      "Failed event",
    );

    // The init container completes, the app starts: the debugger then finds its target.
    h.runtime.exit(h.runtime.find("setup")!.id, 0);
    await until(() => h.runtime.find("app")?.state === "running", "app running");
    await h.clock.advance(10_000);
    await until(() => h.runtime.find("debugger", { ephemeral: true })?.state === "running", "debugger running");
    expect(h.runtime.created.find((c) => c.name === "debugger")?.pidTargetId).toBe(h.runtime.find("app")!.id);
  });

  it("stops ephemeral containers with the pod, and starts none for a terminating pod", async () => {
    const h = workerHarness();
    const pod = basePod();
    const worker = await runningPod(h, pod);
    const withDebug = withEphemeral(pod, debugger_);
    worker.update(withDebug);
    await until(() => h.runtime.find("debugger", { ephemeral: true })?.state === "running", "debugger running");
    const debug = h.runtime.find("debugger", { ephemeral: true })!;

    const deleting: Pod = {
      ...withDebug,
      metadata: { ...withDebug.metadata, deletionTimestamp: "2026-01-01T00:00:00Z", deletionGracePeriodSeconds: 1 },
      spec: { ...withDebug.spec!, ephemeralContainers: [debugger_, { ...debugger_, name: "late" }] },
    };
    worker.update(deleting);
    await until(() => h.deletes.length === 1, "final delete");
    expect(h.runtime.stopped).toContain(debug.id);
    expect(h.runtime.created.some((c) => c.name === "late")).toBe(false);
    await until(
      () => h.events.some((e) => e.reason === "Killing" && e.fieldPath === "spec.ephemeralContainers{debugger}"),
      "Killing event",
    );
    expect(last(h).phase).toBe("Failed"); // the app was killed (137)

    await worker.remove();
    expect(h.runtime.containers.size).toBe(0);
  });

  it("re-adopts ephemeral containers after a daemon restart and never takes one for a regular container", async () => {
    const h = workerHarness();
    const pod = withEphemeral(basePod(), debugger_);
    const first = await runningPod(h, pod);
    await h.clock.advance(10_000); // the first pass found no target yet: retried
    await until(() => h.runtime.find("debugger", { ephemeral: true })?.state === "running", "debugger running");
    const app = h.runtime.find("app")!;
    const debug = h.runtime.find("debugger", { ephemeral: true })!;
    first.stop(); // the daemon stops; containers keep running
    h.runtime.exit(debug.id, 0); // and the debug session ends while it is away

    // An ephemeral-marked container named like the app (a stray record) must not pass for the app.
    const impostor = { ...debug, id: "stray", name: "app", attempt: 1, state: "exited" as const, exitCode: 0 };
    h.runtime.containers.set(impostor.id, impostor);

    const created = h.runtime.created.length;
    const restarted = new PodWorker(h.deps, { ...pod, status: last(h) });
    workers.push(restarted);
    restarted.adopt(await h.runtime.listSandboxes(), await h.runtime.listContainers(pod.metadata!.uid));
    restarted.update({ ...pod, status: last(h) });
    await until(() => !h.runtime.containers.has(impostor.id), "stray removed");
    await until(() => last(h)?.ephemeralContainerStatuses?.[0]?.state?.terminated !== undefined, "exit reported");
    await h.clock.advance(60_000);
    await settle();
    expect(h.runtime.created.length).toBe(created); // neither the app nor the debugger started again
    expect(h.runtime.find("app")?.id).toBe(app.id);
    expect(last(h).ephemeralContainerStatuses?.[0]).toMatchObject({
      containerID: `docker://${debug.id}`,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: "Completed" } },
    });
    expect(last(h).phase).toBe("Running");
  });

  it("lets kubectl attach and logs reach an ephemeral container by name", async () => {
    const h = workerHarness();
    const pod = withEphemeral(basePod(), debugger_);
    await runningPod(h, pod);
    await h.clock.advance(10_000); // the first pass found no target yet: retried
    await until(() => h.runtime.find("debugger", { ephemeral: true })?.state === "running", "debugger running");
    const debug = h.runtime.find("debugger", { ephemeral: true })!;
    const host = new RuntimeTunnelHost(h.runtime, h.clock);
    const io = {
      signal: new AbortController().signal,
      firstSize: new Promise(() => {}),
      write: () => {},
      onInput: () => {},
    } as unknown as ExecIO;
    const request = {
      namespace: "shop",
      pod: "web",
      uid: "pod-1",
      container: "debugger",
      command: [],
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
      attach: true,
    };
    await expect(host.exec(request, io)).rejects.toThrow(/attached \(fake\)/);
    expect(h.runtime.attached).toEqual([debug.id]);

    const written: string[] = [];
    appendFileSync(debug.logPath!, "2026-01-01T00:00:01.000000000Z stdout F hello from debug\n");
    await host.streamLog(
      {
        namespace: "shop",
        pod: "web",
        uid: "pod-1",
        container: "debugger",
        follow: false,
        previous: false,
        timestamps: false,
      },
      async (text) => void written.push(text),
      new AbortController().signal,
    );
    expect(written.join("")).toBe("hello from debug\n");
  });
});
