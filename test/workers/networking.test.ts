// networking.k8s.io/v1 through the API: Ingresses (with /status), IngressClasses (cluster-scoped) and
// NetworkPolicies are stored, validated and printed as Kubernetes does; no controller acts on them.
import type { Ingress, IngressClass, NetworkPolicy } from "kubernetes-types/networking/v1";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { createCluster, expectStatus, uniqueName, type Client, type Status } from "./helpers.ts";

const GV = "/apis/networking.k8s.io/v1";
const INGRESSES = `${GV}/namespaces/default/ingresses`;
const POLICIES = `${GV}/namespaces/default/networkpolicies`;
const CLASSES = `${GV}/ingressclasses`;
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

/** What `kubectl create ingress NAME --class=nginx --rule="foo.com/bar*=svc1:8080,tls=my-cert"` sends. */
const webIngress = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name },
  spec: {
    ingressClassName: "nginx",
    rules: [
      {
        host: "foo.com",
        http: {
          paths: [{ path: "/bar", pathType: "Prefix", backend: { service: { name: "svc1", port: { number: 8080 } } } }],
        },
      },
    ],
    tls: [{ hosts: ["foo.com"], secretName: "my-cert" }],
  },
  ...extra,
});

type IngressObject = Ingress & KubeObject;

let c: Client;
beforeAll(async () => {
  c = await createCluster("net");
});

describe("Ingress", () => {
  it("is created without the status a client sent, updated, and deleted", async () => {
    const name = uniqueName("web");
    const sentStatus = { loadBalancer: { ingress: [{ ip: "10.0.0.1" }] } };
    const created = await c.mustCreate<IngressObject>(INGRESSES, webIngress(name, { status: sentStatus }));
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toEqual({ loadBalancer: {} });
    expect(created.spec?.rules?.[0]?.http?.paths[0]?.backend.service).toEqual({
      name: "svc1",
      port: { number: 8080 },
    });

    const changed = structuredClone(created);
    changed.spec!.rules![0]!.host = "bar.com";
    changed.status = sentStatus;
    const updated = await c.mustUpdate<IngressObject>(`${INGRESSES}/${name}`, changed);
    expect(updated.spec?.rules?.[0]?.host).toBe("bar.com");
    expect(updated.metadata.generation).toBe(2);
    expect(updated.status).toEqual({ loadBalancer: {} });

    await c.mustDelete(`${INGRESSES}/${name}`);
    expect(expectStatus(await c.get(`${INGRESSES}/${name}`), 404, "GET after delete")).toMatchObject({
      reason: "NotFound",
      details: { name, group: "networking.k8s.io", kind: "ingresses" },
    });
  });

  it("takes only the status on /status, checked as Kubernetes checks it", async () => {
    const name = uniqueName("lb");
    const created = await c.mustCreate<IngressObject>(INGRESSES, webIngress(name));
    const withAddress = structuredClone(created);
    withAddress.status = { loadBalancer: { ingress: [{ ip: "192.0.2.10" }] } };
    withAddress.spec!.ingressClassName = "other";
    const updated = expectStatus(
      await c.update<IngressObject>(`${INGRESSES}/${name}/status`, withAddress),
      200,
      "PUT status",
    ) as IngressObject;
    expect(updated.status?.loadBalancer?.ingress).toEqual([{ ip: "192.0.2.10" }]);
    expect(updated.spec?.ingressClassName).toBe("nginx");
    expect(updated.metadata.generation).toBe(1);

    const badHost = { ...updated, status: { loadBalancer: { ingress: [{ hostname: "192.0.2.11" }] } } };
    const rejected = expectStatus(await c.update(`${INGRESSES}/${name}/status`, badHost), 422, "PUT bad status");
    expect((rejected as Status).details?.causes).toEqual([
      {
        reason: "FieldValueInvalid",
        field: "status.loadBalancer.ingress[0].hostname",
        message: 'Invalid value: "192.0.2.11": must be a DNS name, not an IP address',
      },
    ]);

    // kubectl get ing: ADDRESS shows what a controller wrote to the status.
    const table = await c.json<{ rows: { cells: unknown[] }[] }>(`${INGRESSES}/${name}`, { accept: TABLE });
    expect(table.body.rows[0]?.cells.slice(0, 5)).toEqual([name, "nginx", "foo.com", "192.0.2.10", "80, 443"]);
  });

  it("rejects a bad Ingress with 422 Invalid and Kubernetes' message, storing nothing", async () => {
    const name = uniqueName("bad");
    const body = webIngress(name);
    const path = body.spec.rules[0]!.http.paths[0]! as Record<string, unknown>;
    delete path.pathType;
    body.spec.tls[0]!.secretName = "My_Cert";
    const result = expectStatus(await c.create(INGRESSES, body), 422, "POST bad ingress") as Status;
    expect(result).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Invalid",
      code: 422,
      details: { name, group: "networking.k8s.io", kind: "Ingress" },
    });
    expect(result.message).toBe(
      `Ingress.networking.k8s.io "${name}" is invalid: [spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified, spec.tls[0].secretName: Invalid value: "My_Cert": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]`,
    );
    expect(result.details?.causes?.map((cause) => cause.field)).toEqual([
      "spec.rules[0].http.paths[0].pathType",
      "spec.tls[0].secretName",
    ]);
    expectStatus(await c.get(`${INGRESSES}/${name}`), 404, "GET the rejected ingress");

    const empty = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name }, spec: {} };
    const noRules = expectStatus(await c.create(INGRESSES, empty), 422, "POST ingress without rules") as Status;
    expect(noRules.details?.causes).toEqual([
      {
        reason: "FieldValueInvalid",
        field: "spec",
        message: "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified",
      },
    ]);
  });

  it("prints NAME CLASS HOSTS ADDRESS PORTS AGE, as kubectl get ing shows", async () => {
    const name = uniqueName("tbl");
    await c.mustCreate(INGRESSES, webIngress(name));
    const plain = webIngress(`${name}-plain`);
    delete (plain.spec as Record<string, unknown>).tls;
    delete (plain.spec as Record<string, unknown>).ingressClassName;
    await c.mustCreate(INGRESSES, plain);
    const table = expectStatus(
      await c.json<{
        kind: string;
        columnDefinitions: { name: string }[];
        rows: { cells: unknown[]; object: KubeObject }[];
      }>(INGRESSES, { accept: TABLE }),
      200,
      "LIST as Table",
    );
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.map((column) => column.name)).toEqual([
      "Name",
      "Class",
      "Hosts",
      "Address",
      "Ports",
      "Age",
    ]);
    const row = (n: string) => table.rows.find((r) => r.object.metadata.name === n)?.cells;
    expect(row(name)?.slice(0, 5)).toEqual([name, "nginx", "foo.com", "", "80, 443"]);
    expect(row(`${name}-plain`)?.slice(0, 5)).toEqual([`${name}-plain`, "<none>", "foo.com", "", "80"]);
    expect(typeof row(name)?.[5]).toBe("string");
  });
});

describe("IngressClass", () => {
  const ingressClass = (name: string, controller: string, parameters?: Record<string, unknown>) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: { name },
    spec: { controller, ...(parameters ? { parameters } : {}) },
  });

  it("is cluster-scoped, defaulted, and keeps its controller", async () => {
    const name = uniqueName("nginx");
    const created = await c.mustCreate<IngressClass & KubeObject>(
      CLASSES,
      ingressClass(name, "k8s.io/ingress-nginx", { apiGroup: "k8s.example.com", kind: "Params", name: "p" }),
    );
    expect(created.metadata.namespace).toBeUndefined();
    expect(created.metadata.generation).toBe(1);
    expect(created.spec?.parameters?.scope).toBe("Cluster");

    const moved = { ...created, spec: { ...created.spec, controller: "example.com/other" } };
    const rejected = expectStatus(await c.update(`${CLASSES}/${name}`, moved), 422, "PUT another controller") as Status;
    expect(rejected.message).toBe(
      `IngressClass.networking.k8s.io "${name}" is invalid: spec.controller: Invalid value: "example.com/other": field is immutable`,
    );

    const list = await c.mustList<IngressClass & KubeObject>(CLASSES);
    expect(list.items.map((item) => item.metadata.name)).toContain(name);
    const table = await c.json<{ rows: { cells: unknown[] }[] }>(`${CLASSES}/${name}`, { accept: TABLE });
    expect(table.body.rows[0]?.cells.slice(0, 3)).toEqual([name, "k8s.io/ingress-nginx", "Params.k8s.example.com/p"]);

    await c.mustDelete(`${CLASSES}/${name}`);
    expectStatus(await c.get(`${CLASSES}/${name}`), 404, "GET after delete");
  });

  it("requires a domain-prefixed controller", async () => {
    const result = expectStatus(
      await c.create(CLASSES, ingressClass(uniqueName("bad"), "nginx")),
      422,
      "POST bad class",
    ) as Status;
    expect(result.details?.causes).toEqual([
      {
        reason: "FieldValueInvalid",
        field: "spec.controller",
        message: 'Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
      },
    ]);
  });
});

describe("NetworkPolicy", () => {
  it("is defaulted, updated (generation counts spec changes) and deleted", async () => {
    const name = uniqueName("db");
    const created = await c.mustCreate<NetworkPolicy & KubeObject>(POLICIES, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name },
      spec: {
        podSelector: { matchLabels: { role: "db" } },
        ingress: [
          { from: [{ ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } }], ports: [{ port: 6379 }] },
        ],
      },
    });
    expect(created.metadata.generation).toBe(1);
    expect(created.spec?.policyTypes).toEqual(["Ingress"]);
    expect(created.spec?.ingress?.[0]?.ports).toEqual([{ port: 6379, protocol: "TCP" }]);

    const patched = await c.patch<NetworkPolicy & KubeObject>(`${POLICIES}/${name}`, "merge", {
      spec: { egress: [{ to: [{ namespaceSelector: {} }] }], policyTypes: ["Ingress", "Egress"] },
    });
    const policy = expectStatus(patched, 200, "PATCH policy") as NetworkPolicy & KubeObject;
    expect(policy.metadata.generation).toBe(2);
    expect(policy.spec?.policyTypes).toEqual(["Ingress", "Egress"]);

    const table = await c.json<{ rows: { cells: unknown[] }[] }>(`${POLICIES}/${name}`, { accept: TABLE });
    expect(table.body.rows[0]?.cells.slice(0, 2)).toEqual([name, "role=db"]);

    const bad = await c.patch(`${POLICIES}/${name}`, "merge", { spec: { egress: [{ to: [{}] }] } });
    expect((expectStatus(bad, 422, "PATCH empty peer") as Status).details?.causes).toEqual([
      { reason: "FieldValueRequired", field: "spec.egress[0].to[0]", message: "Required value: must specify a peer" },
    ]);

    await c.mustDelete(`${POLICIES}/${name}`);
    expectStatus(await c.get(`${POLICIES}/${name}`), 404, "GET after delete");
  });
});

describe("discovery", () => {
  it("lists networking.k8s.io/v1 and its resources", async () => {
    const groups = await c.mustGet<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>("/apis");
    expect(groups.groups.find((g) => g.name === "networking.k8s.io")?.preferredVersion.groupVersion).toBe(
      "networking.k8s.io/v1",
    );
    const resources = await c.mustGet<{
      groupVersion: string;
      resources: { name: string; namespaced: boolean; kind: string; shortNames?: string[] }[];
    }>(GV);
    expect(resources.groupVersion).toBe("networking.k8s.io/v1");
    const summary = resources.resources.map((r) => [r.name, r.namespaced, r.kind, r.shortNames ?? []]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ["ingresses", true, "Ingress", ["ing"]],
        ["ingresses/status", true, "Ingress", []],
        ["ingressclasses", false, "IngressClass", []],
        ["networkpolicies", true, "NetworkPolicy", ["netpol"]],
      ]),
    );
  });
});
