// Issue #5's acceptance with a real node: the controller manager's workloads (Deployments and their
// rollouts, Jobs, CronJobs, StatefulSets, cascading deletes, namespace deletion) driven by real
// kubectl, placed by the scheduler and run as host processes by one in-process node daemon. The
// file has a logical cluster of its own so no other file's nodes take its pods.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NodeDaemon } from "../../node-daemon/daemon.ts";
import {
  createNamespace,
  eventually,
  kubectl,
  kubectlOk,
  kubectlStream,
  stopAllStreams,
  type KubectlOptions,
} from "./kubectl.ts";
import { startProcessNode, type ProcessNode } from "./process-node.ts";

type Obj = Record<string, any>;

const CLUSTER = "workloads-node";
const NODE = "wl-node";
const isRoot = process.getuid?.() === 0;

/** The oldest and newest supported kubectl; E2E_KUBECTL_VERSIONS=1.30,1.31,1.32,1.33 runs every one. */
const VERSIONS = (process.env.E2E_KUBECTL_VERSIONS ?? "1.30,1.33").split(",");

let daemon: NodeDaemon | undefined;
let options: KubectlOptions;
const namespaces: string[] = [];

/** kubectl of the version the running test uses (set by each version's block). */
let version: string | undefined;
const ok = (args: string[], input?: string) => kubectlOk(args, { ...options, version, input });
const getJson = async (args: string[]): Promise<Obj> => JSON.parse(await ok(["get", ...args, "-o", "json"]));
const apply = (ns: string, manifest: Obj) => ok(["apply", "-n", ns, "-f", "-"], JSON.stringify(manifest));

/** A namespace for one test, named after it and the kubectl version. */
async function namespace(name: string): Promise<string> {
  const ns = `${name}-${(version ?? "default").replace(".", "")}`;
  await createNamespace(ns, { ...options, version });
  namespaces.push(ns);
  return ns;
}

/** Names of the pods of a namespace the node still has sandboxes for. */
const sandboxesIn = async (ns: string) =>
  (await daemon!.runtime.listSandboxes()).filter((s) => s.pod.namespace === ns).map((s) => s.pod.name);

const live = (pods: Obj[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const running = (pods: Obj[]) => live(pods).filter((p) => p.status?.phase === "Running");
const podsOf = async (ns: string, selector: string) =>
  (await getJson(["pods", "-n", ns, "-l", selector])).items as Obj[];
const readyCondition = (pod: Obj) => pod.status?.conditions?.find((c: Obj) => c.type === "Ready");

/** A container that sleeps and is Ready at once (the process runtime records the image, runs the command). */
const sleeper = (image: string, extra: Obj = {}) => ({
  name: "app",
  image,
  command: ["sh", "-c", "sleep 3600"],
  readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 },
  ...extra,
});

const deployment = (name: string, replicas: number, image: string, podSpec: Obj = {}, container: Obj = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { terminationGracePeriodSeconds: 2, containers: [sleeper(image, container)], ...podSpec },
    },
  },
});

const job = (name: string, spec: Obj = {}) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name },
  spec: {
    ...spec,
    template: {
      spec: {
        restartPolicy: "Never",
        containers: [{ name: "work", image: "example/work:1", command: ["sh", "-c", "sleep 1"] }],
      },
    },
  },
});

afterEach(stopAllStreams);

describe.skipIf(!isRoot)("workloads on a real node, driven by kubectl", () => {
  let node: ProcessNode | undefined;

  beforeAll(async () => {
    // A pod network of its own: no two end-to-end files share a bridge range.
    node = await startProcessNode(CLUSTER, NODE, "10.87.7.0/24");
    daemon = node.daemon;
    options = node.options;
  }, 90_000);

  afterAll(() => node?.stop(namespaces), 120_000);

  describe.each(VERSIONS)("with kubectl %s", (v) => {
    beforeAll(() => {
      version = v;
    });

    it("a Deployment rolls out, updates with set image, rolls back with undo and scales", async () => {
      const ns = await namespace("rollout");
      await apply(ns, deployment("web", 3, "example/app:1"));
      await ok(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"]);
      expect(running(await podsOf(ns, "app=web"))).toHaveLength(3);
      await ok(["wait", "--for=condition=available", "deployment/web", "-n", ns, "--timeout=10s"]);
      expect(await ok(["get", "deployment", "web", "-n", ns])).toMatch(/\nweb\s+3\/3\s+3\s+3\s/);

      /** Waits until exactly `count` pods are left (the old ones have gone) and all carry `image`. */
      const settledOn = (image: string, count: number) =>
        eventually(
          async () => {
            const pods = await podsOf(ns, "app=web");
            return pods.length === count && pods.every((p) => p.spec.containers[0].image === image);
          },
          30_000,
          `${count} pods with ${image}`,
        );

      await ok(["set", "image", "deployment/web", "app=example/app:2", "-n", ns]);
      await ok(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"]);
      await settledOn("example/app:2", 3);
      const sets = (await getJson(["rs", "-n", ns, "-l", "app=web"])).items as Obj[];
      expect(sets).toHaveLength(2);
      const byImage = (image: string) => sets.find((rs) => rs.spec.template.spec.containers[0].image === image)!;
      expect(byImage("example/app:1").spec.replicas).toBe(0);
      expect(byImage("example/app:2").spec.replicas).toBe(3);
      // The process runtime records the image it was asked for.
      for (const pod of running(await podsOf(ns, "app=web")))
        expect(pod.status.containerStatuses[0].image).toBe("example/app:2");

      await ok(["rollout", "undo", "deployment/web", "-n", ns]);
      await ok(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"]);
      await settledOn("example/app:1", 3);
      const first = byImage("example/app:1").metadata.name;
      const undone = await getJson(["rs", first, "-n", ns]);
      expect(undone.spec.replicas).toBe(3);
      expect(undone.metadata.annotations["deployment.kubernetes.io/revision"]).toBe("3");
      // Undo reuses the first ReplicaSet rather than making a third.
      expect((await getJson(["rs", "-n", ns, "-l", "app=web"])).items).toHaveLength(2);
      const history = await ok(["rollout", "history", "deployment/web", "-n", ns]);
      expect(
        history
          .split("\n")
          .filter((line) => /^\d+\s/.test(line))
          .map((line) => line.split(/\s+/)[0]),
      ).toEqual(["2", "3"]);

      await ok(["scale", "deployment/web", "--replicas=5", "-n", ns]);
      await eventually(async () => running(await podsOf(ns, "app=web")).length === 5, 30_000, "5 running pods");
      await ok(["scale", "deployment/web", "--replicas=1", "-n", ns]);
      await eventually(
        async () => {
          const pods = await podsOf(ns, "app=web");
          return pods.length === 1 && running(pods).length === 1;
        },
        30_000,
        "1 running pod",
      );
      await ok(["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"]);
      expect(await sandboxesIn(ns)).toHaveLength(1);
    }, 120_000);

    it("a Job runs 3 completions, at most 2 at a time", async () => {
      const ns = await namespace("batch");
      await apply(ns, job("count", { completions: 3, parallelism: 2 }));
      await ok(["wait", "--for=condition=complete", "job/count", "-n", ns, "--timeout=60s"]);
      expect(await ok(["get", "job", "count", "-n", ns])).toMatch(/\ncount\s+(Complete\s+)?3\/3\s/);
      const done = await getJson(["job", "count", "-n", ns]);
      expect(done.status.succeeded).toBe(3);
      expect(done.status.active ?? 0).toBe(0);
      expect(done.status.completionTime).toBeDefined();

      // A pod counts as active from its creation until its container finished (second resolution,
      // both truncated: half-open intervals, so a pod created in the second another ended is fine).
      const pods = (await getJson(["pods", "-n", ns, "-l", "job-name=count"])).items as Obj[];
      expect(pods.filter((p) => p.status.phase === "Succeeded")).toHaveLength(3);
      const intervals = pods.map((p) => [
        Date.parse(p.metadata.creationTimestamp),
        Date.parse(p.status.containerStatuses[0].state.terminated.finishedAt),
      ]);
      const mostAtOnce = Math.max(
        ...intervals.map(([start]) => intervals.filter(([s, e]) => s <= start && start < e).length),
      );
      expect(mostAtOnce).toBeLessThanOrEqual(2);
    }, 90_000);

    it("a StatefulSet brings up -0, then -1 once -0 is Ready", async () => {
      const ns = await namespace("ordered");
      await apply(ns, {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "db" },
        spec: { clusterIP: "None", selector: { app: "db" }, ports: [{ port: 80 }] },
      });
      await apply(ns, {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "db" },
        spec: {
          replicas: 2,
          serviceName: "db",
          selector: { matchLabels: { app: "db" } },
          template: {
            metadata: { labels: { app: "db" } },
            spec: {
              terminationGracePeriodSeconds: 2,
              // Ready 2 s after it starts: a -1 made before -0 is Ready would show in the timestamps.
              containers: [
                sleeper("example/db:1", {
                  readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1, initialDelaySeconds: 2 },
                }),
              ],
            },
          },
        },
      });
      await ok(["rollout", "status", "statefulset/db", "-n", ns, "--timeout=60s"]);
      const [zero, one] = await Promise.all([getJson(["pod", "db-0", "-n", ns]), getJson(["pod", "db-1", "-n", ns])]);
      const zeroReady = readyCondition(zero);
      expect(zeroReady.status).toBe("True");
      expect(readyCondition(one).status).toBe("True");
      expect(Date.parse(one.metadata.creationTimestamp)).toBeGreaterThanOrEqual(
        Date.parse(zeroReady.lastTransitionTime),
      );
      expect(Date.parse(zeroReady.lastTransitionTime)).toBeGreaterThan(Date.parse(zero.metadata.creationTimestamp));
      expect(one.metadata.labels["statefulset.kubernetes.io/pod-name"]).toBe("db-1");
    }, 90_000);

    it("deleting a Deployment removes its ReplicaSets, pods and processes", async () => {
      const ns = await namespace("cascade");
      // `create deployment` (kubectl 1.32+ sends it as protobuf).
      await ok([
        "create",
        "deployment",
        "gone",
        "--image=example/app:1",
        "--replicas=2",
        "-n",
        ns,
        "--",
        "sleep",
        "3600",
      ]);
      await ok(["rollout", "status", "deployment/gone", "-n", ns, "--timeout=60s"]);
      await eventually(async () => (await sandboxesIn(ns)).length === 2, 10_000, "2 pods on the node");
      await ok(["delete", "deployment", "gone", "-n", ns]);
      await eventually(
        async () => ((await getJson(["rs", "-n", ns])).items as Obj[]).length === 0,
        30_000,
        "the ReplicaSets removed",
      );
      await eventually(
        async () => ((await getJson(["pods", "-n", ns])).items as Obj[]).length === 0,
        30_000,
        "the pods removed",
      );
      await eventually(async () => (await sandboxesIn(ns)).length === 0, 20_000, "no pods left on the node");
    }, 90_000);

    it("deleting a namespace removes everything in it", async () => {
      const ns = await namespace("doomed");
      // The app takes a moment to shut down on SIGTERM, well within its grace period.
      const slowStop = { command: ["sh", "-c", "trap 'sleep 2; exit 0' TERM; while :; do sleep 1; done"] };
      await apply(ns, deployment("app", 2, "example/app:1", { terminationGracePeriodSeconds: 20 }, slowStop));
      await apply(ns, {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "app" },
        spec: { selector: { app: "app" }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      await apply(ns, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } });
      await apply(ns, job("once", { completions: 1 }));
      await ok(["rollout", "status", "deployment/app", "-n", ns, "--timeout=60s"]);
      await ok(["wait", "--for=condition=complete", "job/once", "-n", ns, "--timeout=60s"]);

      const deleting = kubectl(["delete", "ns", ns, "--wait", "--timeout=90s"], { ...options, version });
      // The namespace controller deletes the pods as kubectl would: Terminating with their own grace
      // period while the node stops them (not removed at once, their processes left to the node).
      await eventually(
        async () => {
          const pods = await podsOf(ns, "app=app");
          return pods.length === 2 && pods.every((p) => p.metadata.deletionGracePeriodSeconds === 20);
        },
        20_000,
        "the app's pods Terminating",
      );
      const deleted = await deleting;
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stdout).toContain(`namespace "${ns}" deleted`);
      // The namespace went after its pods, and they after their containers had stopped.
      const containers = (await daemon!.runtime.listContainers()).filter((c) => c.pod.namespace === ns);
      expect(containers.filter((c) => c.state === "running")).toEqual([]);
      const after = await kubectl(["get", "ns", ns], { ...options, version });
      expect(after.code).not.toBe(0);
      expect(after.stderr).toContain(`Error from server (NotFound): namespaces "${ns}" not found`);
      for (const kind of ["deployments", "replicasets", "pods", "services", "configmaps", "jobs", "endpoints"])
        expect((await getJson([kind, "-n", ns])).items, kind).toEqual([]);
      await eventually(async () => (await sandboxesIn(ns)).length === 0, 20_000, "no pods left on the node");
    }, 150_000);
  });

  describe("with the kubectl on PATH", () => {
    beforeAll(() => {
      version = undefined;
    });

    it("a CronJob every minute creates a Job within 70 s, and it completes", async () => {
      const ns = await namespace("cron");
      const { spec } = job("tick");
      // Watched rather than polled: the wait is long, and a Job may come and go meanwhile.
      const jobs = kubectlStream(["get", "jobs", "-n", ns, "-w", "-o", "name"], options);
      await apply(ns, {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "tick" },
        spec: { schedule: "*/1 * * * *", jobTemplate: { spec } },
      });
      await eventually(() => jobs.lines.length > 0, 70_000, "a Job from the CronJob");
      jobs.stop();
      const name = jobs.lines[0]!.replace("job.batch/", "");
      expect(name).toMatch(/^tick-\d+$/);
      const created = await getJson(["job", name, "-n", ns]);
      expect(created.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "CronJob", name: "tick" })]);
      await ok(["wait", "--for=condition=complete", `job/${name}`, "-n", ns, "--timeout=30s"]);
      await ok(["patch", "cronjob", "tick", "-n", ns, "--type=merge", "-p", '{"spec":{"suspend":true}}']);
      await eventually(
        async () => (await getJson(["cronjob", "tick", "-n", ns])).status?.lastSuccessfulTime !== undefined,
        10_000,
        "the CronJob's lastSuccessfulTime",
      );
      // The Job is named after its scheduled minute, which the CronJob records.
      const { status } = await getJson(["cronjob", "tick", "-n", ns]);
      expect(Number(name.slice("tick-".length)) * 60_000).toBe(Date.parse(status.lastScheduleTime));
    }, 90_000);
  });
});
