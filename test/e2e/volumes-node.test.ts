// PersistentVolumeClaims end to end: the default local-path StorageClass provisions a directory
// on the node the scheduler picks, a second pod with the same claim finds what the first wrote,
// a StatefulSet's claim templates get one volume per pod, and deleting a claim deletes its
// volume and (on the node's next re-list) its directory. One in-process node daemon runs the pods
// as host processes; the file has a logical cluster of its own so no other file's nodes take them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, eventually, kubectl, kubectlOk, type KubectlOptions } from "./kubectl.ts";
import { startProcessNode, type ProcessNode } from "./process-node.ts";

type Obj = Record<string, any>;

const CLUSTER = "volumes-node";
const NODE = "vol-node";
const NS = "storage";
const isRoot = process.getuid?.() === 0;

let stateDir: string;
let options: KubectlOptions;

const ok = (args: string[], input?: string) => kubectlOk(args, { ...options, input });
const getJson = async (args: string[]): Promise<Obj> => JSON.parse(await ok(["get", ...args, "-o", "json"]));
const apply = (manifest: Obj) => ok(["apply", "-n", NS, "-f", "-"], JSON.stringify(manifest));
/** Where the node keeps a provisioned claim's directory. */
const directoryOf = (claim: Obj) =>
  join(stateDir, "local-path", `${claim.spec.volumeName}_${claim.metadata.namespace}_${claim.metadata.name}`);

const claim = (name: string) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
});

/** A pod that runs `script` once with the claim mounted at /data. */
const oneShot = (name: string, claimName: string, script: string, readOnly = false) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: {
    restartPolicy: "Never",
    terminationGracePeriodSeconds: 1,
    volumes: [{ name: "data", persistentVolumeClaim: { claimName, readOnly } }],
    containers: [
      {
        name: "c",
        image: "local/busybox:1",
        command: ["sh", "-c", script],
        volumeMounts: [{ name: "data", mountPath: "/data" }],
      },
    ],
  },
});

async function phaseOf(pod: string, phases: string[]): Promise<string> {
  let phase = "";
  await eventually(
    async () => {
      phase = (await getJson(["pod", pod, "-n", NS])).status?.phase ?? "";
      return phases.includes(phase);
    },
    60_000,
    `pod ${pod} ${phases.join(" or ")}`,
  );
  return phase;
}

describe.skipIf(!isRoot)("persistent volumes on a real node", () => {
  let node: ProcessNode | undefined;

  beforeAll(async () => {
    // A pod network of its own: no two end-to-end files share a bridge range. The re-list also
    // sweeps directories of deleted volumes: often, so the test sees it.
    node = await startProcessNode(CLUSTER, NODE, "10.87.6.0/24", { relistMs: 2000 });
    stateDir = node.stateDir;
    options = node.options;
    await createNamespace(NS, options);
  }, 90_000);

  afterAll(() => node?.stop([NS]), 120_000);

  it("the cluster's default StorageClass is local-path", async () => {
    expect(await ok(["get", "storageclass"])).toMatch(
      /\nlocal-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s/,
    );
  });

  it("what one pod writes into a claim, the next pod with the claim reads; deleting the claim removes it all", async () => {
    await apply(claim("data"));
    expect(await ok(["get", "pvc", "data", "-n", NS])).toMatch(/\ndata\s+Pending\s+local-path\s/);

    await apply(oneShot("writer", "data", "echo persisted > /data/greeting"));
    expect(await phaseOf("writer", ["Succeeded", "Failed"])).toBe("Succeeded");
    const bound = await getJson(["pvc", "data", "-n", NS]);
    expect(bound.status.phase).toBe("Bound");
    expect(bound.metadata.annotations["volume.kubernetes.io/selected-node"]).toBe(NODE);
    const directory = directoryOf(bound);
    expect(readFileSync(join(directory, "greeting"), "utf8")).toBe("persisted\n");

    const table = await ok(["get", "pvc,pv", "-n", NS]);
    expect(table).toMatch(/NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s/);
    expect(table).toMatch(
      new RegExp(`persistentvolumeclaim/data\\s+Bound\\s+${bound.spec.volumeName}\\s+1Gi\\s+RWO\\s+local-path\\s`),
    );
    expect(table).toMatch(/NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s/);
    expect(table).toMatch(
      new RegExp(
        `persistentvolume/${bound.spec.volumeName}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+${NS}/data\\s+local-path\\s`,
      ),
    );

    await ok(["delete", "pod", "writer", "-n", NS, "--wait", "--timeout=60s"]);
    await apply(oneShot("reader", "data", 'cat /data/greeting; test "$(cat /data/greeting)" = persisted'));
    expect(await phaseOf("reader", ["Succeeded", "Failed"])).toBe("Succeeded");
    // A read-only claim volume refuses writes.
    await apply(oneShot("read-only", "data", "cat /data/greeting && ! touch /data/other", true));
    expect(await phaseOf("read-only", ["Succeeded", "Failed"])).toBe("Succeeded");
    expect(existsSync(join(directory, "other"))).toBe(false);

    await ok(["delete", "pod", "reader", "read-only", "-n", NS, "--wait", "--timeout=60s"]);
    await ok(["delete", "pvc", "data", "-n", NS, "--wait", "--timeout=60s"]);
    await eventually(
      async () => (await kubectl(["get", "pv", bound.spec.volumeName], options)).code !== 0,
      30_000,
      "the volume deleted",
    );
    await eventually(async () => !existsSync(directory), 30_000, "the directory removed");
  }, 180_000);

  it("a StatefulSet's claim templates give each replica a Bound claim and a directory of its own", async () => {
    await apply({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "x" },
      spec: {
        replicas: 2,
        serviceName: "x",
        selector: { matchLabels: { app: "x" } },
        template: {
          metadata: { labels: { app: "x" } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: "app",
                image: "local/busybox:1",
                command: ["sh", "-c", "echo $(POD) > /data/id; sleep 3600"],
                env: [{ name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
                readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 },
                volumeMounts: [{ name: "data", mountPath: "/data" }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        ],
      },
    });
    await ok(["rollout", "status", "statefulset/x", "-n", NS, "--timeout=90s"]);
    for (const i of [0, 1]) {
      const pvc = await getJson(["pvc", `data-x-${i}`, "-n", NS]);
      expect(pvc.status.phase).toBe("Bound");
      expect(pvc.spec.storageClassName).toBe("local-path");
      expect((await getJson(["pod", `x-${i}`, "-n", NS])).status.phase).toBe("Running");
      const id = join(directoryOf(pvc), "id");
      await eventually(async () => existsSync(id), 30_000, `x-${i} wrote its id`);
      expect(readFileSync(id, "utf8")).toBe(`x-${i}\n`);
    }
  }, 180_000);
});
