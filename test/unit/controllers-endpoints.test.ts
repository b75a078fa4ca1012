import { describe, expect, it } from "vitest";
import { desiredEndpoints } from "../../api/controllers/endpoints/endpoints.ts";
import { findTargetPort } from "../../api/controllers/endpoints/ports.ts";
import { SelectorIndex } from "../../api/controllers/endpoints/selector-index.ts";
import { desiredSlices, planSlices } from "../../api/controllers/endpoints/slices.ts";
import type { KubeObject } from "../../api/types.ts";

function service(spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "ns", uid: "svc-uid", ...(labels ? { labels } : {}) },
    spec: {
      selector: { app: "web" },
      clusterIP: "10.96.0.10",
      ipFamilies: ["IPv4"],
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
      ...spec,
    },
  };
}

let uid = 0;
function pod(
  name: string,
  options: { ip?: string; ready?: boolean; labels?: Record<string, string>; deleting?: boolean; phase?: string } = {},
): KubeObject {
  uid += 1;
  const status: Record<string, unknown> = { phase: options.phase ?? "Running" };
  if (options.ip) status.podIP = options.ip;
  status.conditions = [{ type: "Ready", status: options.ready === false ? "False" : "True" }];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "ns",
      uid: `uid-${name}`,
      labels: options.labels ?? { app: "web" },
      ...(options.deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}),
    },
    spec: {
      nodeName: "node-1",
      containers: [{ name: "c", image: "nginx", ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] }],
    },
    status,
  };
}

describe("target ports", () => {
  it("resolves numbers directly and names through the pod's container ports (matching protocol)", () => {
    const p = pod("a", { ip: "10.0.0.1" });
    expect(findTargetPort(p, { port: 80, targetPort: 9000 })).toBe(9000);
    expect(findTargetPort(p, { port: 80 })).toBe(80);
    expect(findTargetPort(p, { port: 80, targetPort: "http" })).toBe(8080);
    expect(findTargetPort(p, { port: 80, targetPort: "http", protocol: "UDP" })).toBeUndefined();
    expect(findTargetPort(p, { port: 80, targetPort: "nope" })).toBeUndefined();
  });
});

describe("Endpoints", () => {
  it("lists ready pods in addresses and the others in notReadyAddresses; pods without an IP are left out", () => {
    const ep = desiredEndpoints(service({}, { tier: "front" }), [
      pod("b", { ip: "10.0.0.2" }),
      pod("a", { ip: "10.0.0.1" }),
      pod("c", { ip: "10.0.0.3", ready: false }),
      pod("d"),
      pod("e", { ip: "10.0.0.5", labels: { app: "other" } }),
      pod("f", { ip: "10.0.0.6", phase: "Succeeded" }),
      pod("g", { ip: "10.0.0.7", deleting: true }),
    ]);
    expect(ep.metadata.labels).toEqual({ tier: "front", "endpointslice.kubernetes.io/skip-mirror": "true" });
    expect(ep.subsets).toEqual([
      {
        addresses: [
          { ip: "10.0.0.1", nodeName: "node-1", targetRef: { kind: "Pod", namespace: "ns", name: "a", uid: "uid-a" } },
          { ip: "10.0.0.2", nodeName: "node-1", targetRef: { kind: "Pod", namespace: "ns", name: "b", uid: "uid-b" } },
        ],
        notReadyAddresses: [
          { ip: "10.0.0.3", nodeName: "node-1", targetRef: { kind: "Pod", namespace: "ns", name: "c", uid: "uid-c" } },
        ],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
    ]);
  });

  it("publishNotReadyAddresses puts every pod (even terminating ones) in addresses", () => {
    const ep = desiredEndpoints(service({ publishNotReadyAddresses: true }), [
      pod("a", { ip: "10.0.0.1", ready: false }),
      pod("b", { ip: "10.0.0.2", deleting: true }),
    ]);
    const subsets = ep.subsets as Array<{ addresses: Array<{ ip: string }>; notReadyAddresses?: unknown }>;
    expect(subsets[0]!.addresses.map((a) => a.ip)).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(subsets[0]!.notReadyAddresses).toBeUndefined();
  });

  it("has no subsets when nothing matches; headless services are labelled", () => {
    const ep = desiredEndpoints(service({ clusterIP: "None" }), []);
    expect(ep.subsets).toBeUndefined();
    expect(ep.metadata.labels?.["service.kubernetes.io/headless"]).toBe("");
  });

  it("gives pods with the service's subdomain a hostname", () => {
    const p = pod("a", { ip: "10.0.0.1" });
    Object.assign(p.spec as object, { hostname: "a-0", subdomain: "web" });
    const subsets = desiredEndpoints(service({ clusterIP: "None" }), [p]).subsets as Array<{
      addresses: Array<{ hostname?: string }>;
    }>;
    expect(subsets[0]!.addresses[0]!.hostname).toBe("a-0");
  });
});

describe("EndpointSlices", () => {
  it("one IPv4 slice with conditions per endpoint, terminating pods included but not ready", () => {
    const slices = desiredSlices(service(), [
      pod("a", { ip: "10.0.0.1" }),
      pod("b", { ip: "10.0.0.2", ready: false }),
      pod("c", { ip: "10.0.0.3", deleting: true }),
      pod("d"),
    ]);
    expect(slices).toHaveLength(1);
    expect(slices[0]!.addressType).toBe("IPv4");
    expect(slices[0]!.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(slices[0]!.endpoints.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ["10.0.0.1", { ready: true, serving: true, terminating: false }],
      ["10.0.0.2", { ready: false, serving: false, terminating: false }],
      ["10.0.0.3", { ready: false, serving: true, terminating: true }],
    ]);
  });

  it("a placeholder slice when no pod backs the service; chunks of 100 otherwise", () => {
    expect(desiredSlices(service(), [])).toEqual([{ addressType: "IPv4", ports: [], endpoints: [] }]);
    const many = Array.from({ length: 150 }, (_, i) => pod(`p${i}`, { ip: `10.1.${Math.floor(i / 200)}.${i}` }));
    expect(desiredSlices(service(), many).map((s) => s.endpoints.length)).toEqual([100, 50]);
  });

  it("plans: creates with generateName, labels and an owner reference; reuses and deletes existing slices", () => {
    const svc = service({}, { tier: "front" });
    const desired = desiredSlices(svc, [pod("a", { ip: "10.0.0.1" })]);
    const first = planSlices(svc, desired, []);
    expect(first.update).toEqual([]);
    expect(first.delete).toEqual([]);
    const created = first.create[0]!;
    expect(created.metadata.generateName).toBe("web-");
    expect(created.metadata.labels).toEqual({
      tier: "front",
      "kubernetes.io/service-name": "web",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    });
    expect(created.metadata.ownerReferences).toEqual([
      { apiVersion: "v1", kind: "Service", name: "web", uid: "svc-uid", controller: true, blockOwnerDeletion: true },
    ]);

    const stored = { ...created, metadata: { ...created.metadata, name: "web-abcde" } };
    expect(planSlices(svc, desired, [stored])).toEqual({ create: [], update: [], delete: [] });
    const next = planSlices(svc, desiredSlices(svc, []), [
      stored,
      { ...stored, metadata: { ...stored.metadata, name: "web-zzzzz" } },
    ]);
    expect(next.update.map((s) => [s.metadata.name, s.endpoints])).toEqual([["web-abcde", []]]);
    expect(next.delete).toEqual(["web-zzzzz"]);
  });
});

describe("selector index", () => {
  it("routes a pod change to the selectors it matches now and matched before", () => {
    const index = new SelectorIndex();
    index.setSelector("web", (p) => p.metadata.labels?.app === "web");
    index.setSelector("api", (p) => p.metadata.labels?.app === "api");
    expect(index.podChanged("a", pod("a", { labels: { app: "web" } }))).toEqual(["web"]);
    expect(index.podChanged("a", pod("a", { labels: { app: "api" } })).sort()).toEqual(["api", "web"]);
    expect(index.podChanged("a", undefined)).toEqual(["api"]);
    expect(index.podChanged("a", undefined)).toEqual([]);
  });
});
