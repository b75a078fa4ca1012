import type { Container, Pod } from "kubernetes-types/core/v1";
import { describe, expect, it } from "vitest";
import { fieldValue, formatMap } from "../../node-daemon/pods/downward.ts";
import { ConfigError, envReferences, expand, expandCommand, resolveEnv } from "../../node-daemon/pods/env.ts";
import { resourceFieldValue, runtimeResources } from "../../node-daemon/pods/resources.ts";

const node = { cpuCores: 4, memoryBytes: 8 * 1024 ** 3, ephemeralStorageBytes: 100e9 };

const pod = (container: Container): Pod => ({
  metadata: {
    name: "web-1",
    namespace: "shop",
    uid: "uid-1",
    labels: { app: "web", tier: "front" },
    annotations: { note: 'say "hi"' },
  },
  spec: { nodeName: "n1", serviceAccountName: "default", containers: [container] },
});

const lookups = {
  configMaps: new Map([["settings", { color: "blue", "bad key": "x", size: "L" }]]),
  secrets: new Map([["creds", { password: "s3cret" }]]),
};

const context = (container: Container) => ({
  pod: pod(container),
  addresses: { podIP: "10.88.0.5", hostIP: "192.0.2.1" },
  node,
  lookups,
});

describe("$(VAR) expansion", () => {
  const vars = new Map([
    ["A", "x"],
    ["B", "y"],
  ]);
  it("replaces defined names, keeps unknown ones, unescapes $$", () => {
    expect(expand("$(A)-$(B)", vars)).toBe("x-y");
    expect(expand("$(C)", vars)).toBe("$(C)");
    expect(expand("$$(A)", vars)).toBe("$(A)");
    expect(expand("cost: $5", vars)).toBe("cost: $5");
    expect(expand("$(A", vars)).toBe("$(A");
    expect(expand("$", vars)).toBe("$");
  });
});

describe("container environment", () => {
  it("takes envFrom first, then env in order with expansion and every source kind", () => {
    const container: Container = {
      name: "app",
      resources: { limits: { memory: "128Mi" }, requests: { cpu: "250m" } },
      envFrom: [{ configMapRef: { name: "settings" }, prefix: "CFG_" }],
      env: [
        { name: "GREETING", value: "hello $(CFG_color)" },
        { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        { name: "HOST", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } },
        { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        { name: "MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
        { name: "CPU_LIMIT", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
        { name: "CPU_REQ_M", valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "1m" } } },
        { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
        { name: "SIZE", valueFrom: { configMapKeyRef: { name: "settings", key: "size" } } },
        { name: "OPTIONAL", valueFrom: { configMapKeyRef: { name: "missing", key: "x", optional: true } } },
      ],
    };
    const env = Object.fromEntries(resolveEnv(container, context(container)).map((e) => [e.name, e.value]));
    expect(env).toEqual({
      CFG_color: "blue",
      CFG_size: "L",
      GREETING: "hello blue",
      POD: "web-1",
      APP: "web",
      IP: "10.88.0.5",
      HOST: "192.0.2.1",
      NODE: "n1",
      MEM_MI: "128",
      CPU_LIMIT: "4",
      CPU_REQ_M: "250",
      PASSWORD: "s3cret",
      SIZE: "L",
    });
  });

  it("fails with kubelet's messages for missing sources and keys", () => {
    const missingMap: Container = {
      name: "a",
      env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "nope", key: "k" } } }],
    };
    expect(() => resolveEnv(missingMap, context(missingMap))).toThrow(new ConfigError('configmap "nope" not found'));
    const missingKey: Container = {
      name: "a",
      env: [{ name: "X", valueFrom: { secretKeyRef: { name: "creds", key: "user" } } }],
    };
    expect(() => resolveEnv(missingKey, context(missingKey))).toThrow("couldn't find key user in Secret shop/creds");
    const missingSecret: Container = { name: "a", envFrom: [{ secretRef: { name: "gone" } }] };
    expect(() => resolveEnv(missingSecret, context(missingSecret))).toThrow('secret "gone" not found');
  });

  it("lists what a container reads and expands its command", () => {
    const container: Container = {
      name: "a",
      command: ["echo", "$(GREETING)"],
      args: ["$(MISSING)", "$$(GREETING)"],
      envFrom: [{ secretRef: { name: "creds" } }],
      env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "settings", key: "k" } } }],
    };
    expect(envReferences(container)).toEqual({ configMaps: new Set(["settings"]), secrets: new Set(["creds"]) });
    expect(expandCommand(container, [{ name: "GREETING", value: "hi" }])).toEqual({
      command: ["echo", "hi"],
      args: ["$(MISSING)", "$(GREETING)"],
    });
  });
});

describe("downward API", () => {
  it('renders labels and annotations as sorted key="value" lines', () => {
    expect(formatMap({ tier: "front", app: "web" })).toBe('app="web"\ntier="front"');
    const p = pod({ name: "a" });
    expect(fieldValue(p, "metadata.annotations", { hostIP: "h" })).toBe('note="say \\"hi\\""');
    expect(fieldValue(p, "metadata.uid", { hostIP: "h" })).toBe("uid-1");
    expect(fieldValue(p, "spec.unknown", { hostIP: "h" })).toBeUndefined();
  });

  it("rounds resource values up by the divisor", () => {
    const container: Container = { name: "a", resources: { limits: { cpu: "1500m", memory: "1Gi" } } };
    expect(resourceFieldValue(container, "limits.cpu", undefined, node)).toBe("2");
    expect(resourceFieldValue(container, "limits.cpu", "1m", node)).toBe("1500");
    expect(resourceFieldValue(container, "limits.memory", "1Mi", node)).toBe("1024");
    expect(resourceFieldValue(container, "requests.memory", "1Mi", node)).toBe("1024");
    expect(resourceFieldValue({ name: "b" }, "limits.memory", "1Gi", node)).toBe("8");
    expect(resourceFieldValue({ name: "b" }, "requests.cpu", undefined, node)).toBe("0");
  });

  it("turns limits into runtime settings", () => {
    expect(runtimeResources({ name: "a", resources: { limits: { cpu: "500m", memory: "64Mi" } } })).toEqual({
      memoryLimitBytes: 64 * 1024 * 1024,
      cpuLimitMillis: 500,
      cpuRequestMillis: 500,
    });
  });
});
