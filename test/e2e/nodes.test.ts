// Two hollow nodes (bench/hollow-nodes.ts, acting with node credentials over the per-node WebSocket
// feed) and real kubectl: placement by nodeSelector and taints, the FailedScheduling message in
// `kubectl describe pod` and the retry once a node fits, cordon/uncordon, and drain blocked by a
// PodDisruptionBudget until it allows the evictions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { HollowNodes } from "../../bench/hollow-nodes.ts";
import { kubeconfigFor, rootClient } from "./clusters.ts";
import { eventually, kubectl, kubectlOk, type KubectlOptions } from "./kubectl.ts";

const CLUSTER = "nodes-e2e";
let hollow: HollowNodes;
let options: KubectlOptions;

const podManifest = (name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: {
      containers: [{ name: "app", image: "registry.example/app:1", resources: { requests: { cpu: "100m" } } }],
      ...extra,
    },
  });

const jsonpath = (args: string[], path: string) => kubectlOk([...args, "-o", `jsonpath=${path}`], options);

async function waitRunning(name: string): Promise<string> {
  let node = "";
  await eventually(
    async () => {
      const out = await jsonpath(["get", "pod", name], "{.spec.nodeName} {.status.phase}");
      node = out.split(" ")[0] ?? "";
      return out.endsWith(" Running");
    },
    30_000,
    `pod ${name} to run`,
  );
  return node;
}

describe("nodes and scheduling with kubectl", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const root = rootClient();
    await root.createCluster(CLUSTER);
    const token = await root.mintToken(CLUSTER, "admin");
    options = { kubeconfig: kubeconfigFor(CLUSTER, token) };
    hollow = new HollowNodes({
      server: inject("server"),
      cluster: CLUSTER,
      token,
      nodeToken: (name) => root.mintToken(CLUSTER, "node", name),
      count: 2,
      names: ["hollow-a", "hollow-b"],
      capacity: { cpu: "2", memory: "4Gi", pods: 20 },
      labels: (i): Record<string, string> => (i === 0 ? { disk: "ssd" } : {}),
      taints: (i) => (i === 1 ? [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] : []),
      feed: "per-node",
    });
    await hollow.start();
  });

  afterAll(async () => {
    await hollow?.stop();
  });

  it("kubectl get nodes shows the hollow nodes Ready", async () => {
    await eventually(
      async () => {
        const out = await kubectlOk(["get", "nodes"], options);
        return /hollow-a\s+Ready/.test(out) && /hollow-b\s+Ready/.test(out);
      },
      20_000,
      "both nodes Ready",
    );
    const taints = await jsonpath(
      ["get", "node", "hollow-b"],
      "{.spec.taints[0].key}={.spec.taints[0].value}:{.spec.taints[0].effect}",
    );
    expect(taints).toBe("dedicated=gpu:NoSchedule");
  });

  it("places pods by nodeSelector and tolerations; they run", async () => {
    await kubectlOk(["create", "-f", "-"], {
      ...options,
      input: podManifest("ssd", { nodeSelector: { disk: "ssd" } }),
    });
    expect(await waitRunning("ssd")).toBe("hollow-a");
    await kubectlOk(["create", "-f", "-"], {
      ...options,
      input: podManifest("gpu", {
        nodeSelector: { "kubernetes.io/hostname": "hollow-b" },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }],
      }),
    });
    expect(await waitRunning("gpu")).toBe("hollow-b");
    const wide = await kubectlOk(["get", "pods", "-o", "wide"], options);
    expect(wide).toMatch(/ssd\s+1\/1\s+Running\s+0\s+\S+\s+10\.\S+\s+hollow-a/);
  });

  it("describe pod shows why a pod fits nowhere; it schedules once a node fits", async () => {
    await kubectlOk(["create", "-f", "-"], {
      ...options,
      input: podManifest("nvme", { nodeSelector: { disk: "nvme" } }),
    });
    const expected =
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}. " +
      "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    let described = "";
    await eventually(
      async () => {
        described = await kubectlOk(["describe", "pod", "nvme"], options);
        return described.includes("FailedScheduling");
      },
      20_000,
      "a FailedScheduling event",
    );
    expect(described).toMatch(/Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+/);
    expect(described.replace(/\s+/g, " ")).toContain(expected);
    expect(described).toMatch(/PodScheduled\s+False/);

    await kubectlOk(["label", "node", "hollow-a", "disk=nvme", "--overwrite"], options);
    expect(await waitRunning("nvme")).toBe("hollow-a");
    const events = await kubectlOk(["get", "events", "--field-selector", "involvedObject.name=nvme"], options);
    expect(events).toMatch(/Scheduled\s+pod\/nvme\s+Successfully assigned default\/nvme to hollow-a/);
  });

  it("cordon, drain blocked by a PodDisruptionBudget, drain, uncordon", async () => {
    for (const name of ["web-1", "web-2"]) {
      await kubectlOk(["create", "-f", "-"], {
        ...options,
        input: podManifest(name, { nodeSelector: { "kubernetes.io/hostname": "hollow-a" } }, { app: "web" }),
      });
      await waitRunning(name);
    }
    await eventually(
      async () =>
        (await jsonpath(["get", "pod", "web-2"], '{.status.conditions[?(@.type=="Ready")].status}')) === "True",
      20_000,
      "web-2 Ready",
    );

    expect(await kubectlOk(["cordon", "hollow-b"], options)).toContain("node/hollow-b cordoned");
    expect(await kubectlOk(["get", "node", "hollow-b"], options)).toMatch(/hollow-b\s+Ready,SchedulingDisabled/);
    expect(await kubectlOk(["uncordon", "hollow-b"], options)).toContain("node/hollow-b uncordoned");

    await kubectlOk(["create", "-f", "-"], {
      ...options,
      input: JSON.stringify({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "web" },
        spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } },
      }),
    });
    const drainArgs = ["drain", "hollow-a", "--ignore-daemonsets", "--delete-emptydir-data", "--force"];
    const blocked = await kubectl([...drainArgs, "--timeout=8s"], options);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout).toContain("node/hollow-a cordoned");
    expect(blocked.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(await kubectlOk(["get", "node", "hollow-a"], options)).toMatch(/hollow-a\s+Ready,SchedulingDisabled/);
    // The budget's pods are still there; the others were evicted and finished by the node.
    await eventually(async () => (await kubectl(["get", "pod", "ssd"], options)).code !== 0, 20_000, "ssd evicted");
    expect(await jsonpath(["get", "pod", "web-1"], "{.metadata.name}")).toBe("web-1");

    await kubectlOk(["patch", "pdb", "web", "--type=merge", "-p", '{"spec":{"minAvailable":0}}'], options);
    const drained = await kubectlOk([...drainArgs, "--timeout=60s"], options);
    expect(drained).toContain("node/hollow-a drained");
    expect(drained).toMatch(/pod\/web-1 evicted/);
    const left = await kubectlOk(["get", "pods", "--field-selector", "spec.nodeName=hollow-a", "-o", "name"], options);
    expect(left.trim()).toBe("");
    expect(await kubectlOk(["uncordon", "hollow-a"], options)).toContain("node/hollow-a uncordoned");
    expect(await kubectlOk(["get", "node", "hollow-a"], options)).toMatch(/hollow-a\s+Ready\s/);
  });
});
