// Namespace defaults (default ServiceAccount, kube-root-ca.crt), Endpoints and EndpointSlices
// following pod readiness, and PodDisruptionBudget status, inside a NamespaceStore. The test
// drives the store's alarm and plays kubelet through PUT pods/status.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { EndpointSlice } from "kubernetes-types/discovery/v1";
import type { ConfigMap, Endpoints, Pod } from "kubernetes-types/core/v1";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1";
import { describe, expect, it } from "vitest";
import { createCluster, expectStatus, type Client } from "./helpers.ts";

const storeOf = (c: Client, ns: string) =>
  env.NAMESPACE_STORE.get(env.NAMESPACE_STORE.idFromName(`${c.cluster}/${ns}`));
const clusterOf = (c: Client) => env.CLUSTER_STORE.get(env.CLUSTER_STORE.idFromName(c.cluster));

async function driveUntil(c: Client, ns: string, done: () => Promise<boolean>, what: string, attempts = 40) {
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(storeOf(c, ns));
    await runDurableObjectAlarm(clusterOf(c));
  }
  if (await done()) return;
  throw new Error(`controllers did not reach: ${what}`);
}

const path = (ns: string, resource: string, name?: string) =>
  `/api/v1/namespaces/${ns}/${resource}${name === undefined ? "" : `/${name}`}`;
const exists = async (c: Client, p: string) => (await c.get(p)).status === 200;

describe("namespace defaults", { timeout: 60_000 }, () => {
  it("every namespace gets a default ServiceAccount and kube-root-ca.crt, restored if removed", async () => {
    const c = await createCluster("ns-defaults");
    await c.createNamespace("team");
    await c.mustList(path("team", "serviceaccounts")); // the namespace's store starts
    await driveUntil(c, "team", async () => exists(c, path("team", "serviceaccounts", "default")), "default SA");
    await driveUntil(c, "team", async () => exists(c, path("team", "configmaps", "kube-root-ca.crt")), "root CA");
    const ca = await c.mustGet<ConfigMap>(path("team", "configmaps", "kube-root-ca.crt"));
    expect(ca.data?.["ca.crt"]).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(ca.metadata?.annotations?.["kubernetes.io/description"]).toMatch(/^Contains a CA bundle/);

    expectStatus(await c.delete(path("team", "serviceaccounts", "default")), 200, "delete SA");
    await driveUntil(c, "team", async () => exists(c, path("team", "serviceaccounts", "default")), "SA back");
    expectStatus(
      await c.patch(path("team", "configmaps", "kube-root-ca.crt"), "merge", { data: { "ca.crt": "tampered" } }),
      200,
      "edit CA",
    );
    await driveUntil(
      c,
      "team",
      async () =>
        (await c.mustGet<ConfigMap>(path("team", "configmaps", "kube-root-ca.crt"))).data?.["ca.crt"] ===
        ca.data?.["ca.crt"],
      "CA restored",
    );

    // A namespace being deleted is allowed to empty: nothing comes back.
    const deleted = await c.delete(`/api/v1/namespaces/team`);
    expect([200, 202]).toContain(deleted.status);
    await driveUntil(c, "team", async () => (await c.get(`/api/v1/namespaces/team`)).status === 404, "namespace gone");
  });
});

describe("Endpoints and EndpointSlices", { timeout: 60_000 }, () => {
  const NS = "default";
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", labels: { tier: "front" } },
    spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
  };
  const pod = (name: string) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "web" } },
    spec: { containers: [{ name: "c", image: "nginx", ports: [{ name: "http", containerPort: 8080 }] }] },
  });

  /** The kubelet's part: the pod runs at `ip`, ready or not. */
  async function podStatus(c: Client, name: string, ip: string, ready: boolean) {
    const current = await c.mustGet<Pod>(path(NS, "pods", name));
    const body = {
      ...current,
      status: {
        ...current.status,
        phase: "Running",
        podIP: ip,
        podIPs: [{ ip }],
        conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      },
    };
    expectStatus(await c.update(path(NS, "pods", `${name}/status`), body), 200, `status of ${name}`);
  }

  const endpoints = (c: Client) => c.mustGet<Endpoints>(path(NS, "endpoints", "web"));
  const slices = async (c: Client) =>
    (
      await c.mustList<EndpointSlice>(
        `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
        "?labelSelector=kubernetes.io/service-name%3Dweb",
      )
    ).items;
  const ips = (list: Array<{ ip?: string }> | undefined) => (list ?? []).map((a) => a.ip);

  it("follow the selected pods' addresses and readiness", async () => {
    const c = await createCluster("endpoints");
    const svc = await c.mustCreate<{ metadata: { uid: string } }>(path(NS, "services"), service);
    await c.mustCreate(path(NS, "pods"), pod("a"));
    await c.mustCreate(path(NS, "pods"), pod("b"));
    await c.mustCreate(path(NS, "pods"), { ...pod("other"), metadata: { name: "other", labels: { app: "db" } } });

    // No pod has an address yet: an empty Endpoints and a placeholder slice.
    await driveUntil(
      c,
      NS,
      async () => (await slices(c)).length === 1 && exists(c, path(NS, "endpoints", "web")),
      "created",
    );
    expect((await endpoints(c)).subsets).toBeUndefined();
    const [placeholder] = await slices(c);
    expect(placeholder).toMatchObject({ addressType: "IPv4", endpoints: [] });
    expect(placeholder!.metadata?.labels).toEqual({
      tier: "front",
      "kubernetes.io/service-name": "web",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    });
    expect(placeholder!.metadata?.ownerReferences).toEqual([
      {
        apiVersion: "v1",
        kind: "Service",
        name: "web",
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);

    await podStatus(c, "a", "10.0.0.1", false);
    await podStatus(c, "b", "10.0.0.2", true);
    await podStatus(c, "other", "10.0.0.3", true);
    await driveUntil(
      c,
      NS,
      async () => ips((await endpoints(c)).subsets?.[0]?.notReadyAddresses).length === 1,
      "a, not ready",
    );
    let subset = (await endpoints(c)).subsets![0]!;
    expect(ips(subset.addresses)).toEqual(["10.0.0.2"]);
    expect(ips(subset.notReadyAddresses)).toEqual(["10.0.0.1"]);
    expect(subset.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(subset.addresses![0]!.targetRef).toMatchObject({ kind: "Pod", name: "b", namespace: NS });
    await driveUntil(c, NS, async () => (await slices(c))[0]!.endpoints.length === 2, "2 slice endpoints");
    let [slice] = await slices(c);
    expect(slice!.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);
    expect(slice!.endpoints.map((e) => [e.addresses[0], e.conditions?.ready])).toEqual([
      ["10.0.0.1", false],
      ["10.0.0.2", true],
    ]);

    // a becomes ready; b is deleted.
    await podStatus(c, "a", "10.0.0.1", true);
    expectStatus(await c.delete(path(NS, "pods", "b")), 200, "delete b");
    await driveUntil(
      c,
      NS,
      async () => ips((await endpoints(c)).subsets?.[0]?.addresses).join() === "10.0.0.1",
      "only a, ready",
    );
    subset = (await endpoints(c)).subsets![0]!;
    expect(subset.notReadyAddresses).toBeUndefined();
    await driveUntil(c, NS, async () => (await slices(c))[0]!.endpoints.length === 1, "1 slice endpoint");
    [slice] = await slices(c);
    expect(slice!.endpoints[0]).toMatchObject({
      addresses: ["10.0.0.1"],
      conditions: { ready: true, serving: true, terminating: false },
    });

    // The Service goes: so do its Endpoints and slices.
    expectStatus(await c.delete(path(NS, "services", "web")), 200, "delete service");
    await driveUntil(
      c,
      NS,
      async () => !(await exists(c, path(NS, "endpoints", "web"))) && (await slices(c)).length === 0,
      "endpoints and slices gone",
    );
  });

  it("leaves hand-made Endpoints alone (a selector-less Service's, even created before it)", async () => {
    const c = await createCluster("endpoints-manual");
    const manual = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "external" },
      subsets: [{ addresses: [{ ip: "192.0.2.10" }], ports: [{ port: 5432 }] }],
    };
    await c.mustCreate(path(NS, "endpoints"), manual);
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(storeOf(c, NS));
    expect(await exists(c, path(NS, "endpoints", "external"))).toBe(true);
    await c.mustCreate(path(NS, "services"), {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "external" },
      spec: { ports: [{ port: 5432 }] },
    });
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(storeOf(c, NS));
    const kept = await c.mustGet<Endpoints>(path(NS, "endpoints", "external"));
    expect(ips(kept.subsets?.[0]?.addresses)).toEqual(["192.0.2.10"]);
    const managed = await c.mustList<EndpointSlice>(
      `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
      "?labelSelector=kubernetes.io/service-name%3Dexternal",
    );
    expect(managed.items).toHaveLength(0);
  });

  it("a PodDisruptionBudget counts the healthy pods it selects", async () => {
    const c = await createCluster("pdb");
    await c.mustCreate(`/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "web" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } },
    });
    await c.mustCreate(path(NS, "pods"), pod("a"));
    await c.mustCreate(path(NS, "pods"), pod("b"));
    await podStatus(c, "a", "10.0.0.1", true);
    await podStatus(c, "b", "10.0.0.2", true);
    const pdb = () => c.mustGet<PodDisruptionBudget>(`/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/web`);
    await driveUntil(c, NS, async () => (await pdb()).status?.disruptionsAllowed === 1, "one disruption allowed");
    const status = (await pdb()).status!;
    expect(status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, observedGeneration: 1 });
    expect(status.conditions?.[0]).toMatchObject({
      type: "DisruptionAllowed",
      status: "True",
      reason: "SufficientPods",
    });

    await podStatus(c, "b", "10.0.0.2", false);
    await driveUntil(c, NS, async () => (await pdb()).status?.disruptionsAllowed === 0, "none allowed");
    expect((await pdb()).status?.conditions?.[0]).toMatchObject({ status: "False", reason: "InsufficientPods" });
  });
});
