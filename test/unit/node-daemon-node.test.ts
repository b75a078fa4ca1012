import { describe, expect, it } from "vitest";
import { nodeNameFrom, parseLabels, parseTaints } from "../../node-daemon/config.ts";
import type { HostInfo } from "../../node-daemon/node/host-info.ts";
import { goArch } from "../../node-daemon/node/host-info.ts";
import { newLease } from "../../node-daemon/node/lease.ts";
import {
  allocatableOf,
  capacityOf,
  conditionsDiffer,
  desiredConditions,
  newNode,
  nodeLabels,
  stampConditions,
} from "../../node-daemon/node/node-object.ts";

const host: HostInfo = {
  hostname: "box",
  cpus: 4,
  memoryBytes: 8 * 1024 ** 3,
  ephemeralStorageBytes: 100 * 1024 ** 3,
  internalIP: "192.0.2.10",
  kernelVersion: "6.1.0",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  operatingSystem: "linux",
  architecture: "amd64",
  machineID: "m",
  systemUUID: "s",
  bootID: "b",
};

const calm = {
  memoryAvailableBytes: 4 * 1024 ** 3,
  diskAvailableBytes: 50e9,
  diskTotalBytes: 100e9,
  pids: 100,
  pidMax: 32768,
};

describe("CLI options", () => {
  it("parses labels and taints", () => {
    expect(parseLabels("zone=a, example.com/role=edge,flag=")).toEqual({
      zone: "a",
      "example.com/role": "edge",
      flag: "",
    });
    expect(() => parseLabels("bad key=x")).toThrow('invalid label key "bad key"');
    expect(parseTaints("dedicated=gpu:NoSchedule,maintenance:NoExecute")).toEqual([
      { key: "dedicated", value: "gpu", effect: "NoSchedule" },
      { key: "maintenance", effect: "NoExecute" },
    ]);
    expect(() => parseTaints("a=b:Sometimes")).toThrow('invalid taint effect "Sometimes"');
    expect(() => parseTaints("a=b")).toThrow("expected key[=value]:Effect");
    expect(nodeNameFrom("My_Host.Example.COM")).toBe("my-host.example.com");
    expect(goArch("x64")).toBe("amd64");
    expect(goArch("arm64")).toBe("arm64");
  });
});

describe("node object", () => {
  it("reports capacity and allocatable as kubelet does", () => {
    expect(capacityOf(host)).toEqual({
      cpu: "4",
      memory: "8388608Ki",
      "ephemeral-storage": "104857600Ki",
      pods: "110",
    });
    expect(allocatableOf(host)).toEqual({
      cpu: "4",
      memory: `${8388608 - 102400}Ki`,
      "ephemeral-storage": String(Math.floor(100 * 1024 ** 3 * 0.9)),
      pods: "110",
    });
  });

  it("registers with labels, taints, addresses, conditions and node info", () => {
    const conditions = stampConditions(
      desiredConditions({ pressure: calm }),
      undefined,
      Date.parse("2026-01-01T00:00:00Z"),
    );
    const node = newNode(
      host,
      {
        name: "n1",
        labels: nodeLabels("n1", host, { zone: "a" }),
        taints: [{ key: "k", effect: "NoSchedule" }],
        podCIDR: "10.88.3.0/24",
        runtimeVersion: "docker://20.10.24",
      },
      conditions,
    );
    expect(node.metadata?.labels).toEqual({
      "beta.kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": "n1",
      "kubernetes.io/os": "linux",
      zone: "a",
    });
    expect(node.spec).toEqual({
      taints: [{ key: "k", effect: "NoSchedule" }],
      podCIDR: "10.88.3.0/24",
      podCIDRs: ["10.88.3.0/24"],
    });
    expect(node.status?.addresses).toEqual([
      { type: "InternalIP", address: "192.0.2.10" },
      { type: "Hostname", address: "box" },
    ]);
    expect(node.status?.conditions?.map((c) => `${c.type}=${c.status}:${c.reason}`)).toEqual([
      "MemoryPressure=False:KubeletHasSufficientMemory",
      "DiskPressure=False:KubeletHasNoDiskPressure",
      "PIDPressure=False:KubeletHasSufficientPID",
      "Ready=True:KubeletReady",
    ]);
    expect(node.status?.nodeInfo).toMatchObject({
      containerRuntimeVersion: "docker://20.10.24",
      kubeletVersion: expect.stringMatching(/^v1\.\d+\.\d+-flotilla$/),
      operatingSystem: "linux",
      architecture: "amd64",
    });
  });

  it("reports pressure and a runtime that is down", () => {
    const low = desiredConditions({
      pressure: { ...calm, memoryAvailableBytes: 50 * 1024 ** 2, diskAvailableBytes: 5e9 },
      notReadyReason: "container runtime is down",
    });
    expect(low.map((c) => `${c.type}=${c.status}`)).toEqual([
      "MemoryPressure=True",
      "DiskPressure=True",
      "PIDPressure=False",
      "Ready=False",
    ]);
    expect(low[3].message).toBe("container runtime is down");
  });

  it("keeps transition times while the status stays, and notices when the server disagrees", () => {
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const first = stampConditions(desiredConditions({ pressure: calm }), undefined, t0);
    const later = stampConditions(desiredConditions({ pressure: calm }), first, t0 + 60_000);
    const ready = later.find((c) => c.type === "Ready")!;
    expect(ready.lastTransitionTime).toBe("2026-01-01T00:00:00Z");
    expect(ready.lastHeartbeatTime).toBe("2026-01-01T00:01:00Z");
    const unknown = first.map((c) =>
      c.type === "Ready" ? { ...c, status: "Unknown", reason: "NodeStatusUnknown" } : c,
    );
    expect(conditionsDiffer(desiredConditions({ pressure: calm }), first)).toBe(false);
    expect(conditionsDiffer(desiredConditions({ pressure: calm }), unknown)).toBe(true);
  });

  it("builds the node's lease", () => {
    expect(newLease("n1", "uid-1", Date.parse("2026-01-01T00:00:00.123Z"))).toEqual({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: "n1",
        namespace: "kube-node-lease",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "n1", uid: "uid-1" }],
      },
      spec: { holderIdentity: "n1", leaseDurationSeconds: 40, renewTime: "2026-01-01T00:00:00.123000Z" },
    });
  });
});
