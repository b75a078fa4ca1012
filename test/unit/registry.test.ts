import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import { prepareCreate } from "../../api/lifecycle/create.ts";
import { builtinResources, findByKey, findByKind, findResource, resourceKey } from "../../api/registry/index.ts";
import { defaultTable } from "../../api/registry/define.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";

const def = (group: string, resource: string): ResourceDef => {
  const found = builtinResources.find((d) => d.group === group && d.resource === resource);
  if (!found) throw new Error(`no ${resource}.${group}`);
  return found;
};

/** Runs a create the way the store does: uid first, then the strategy, then validation. */
function create(
  d: ResourceDef,
  body: Record<string, unknown>,
  namespace: string | undefined = d.namespaced ? "default" : undefined,
) {
  const obj = structuredClone({ apiVersion: d.group ? `${d.group}/${d.version}` : d.version, kind: d.kind, ...body });
  return prepareCreate(d, obj, namespace, { now: new Date("2026-01-01T00:00:00Z"), newUid: () => "uid-1" });
}

function createError(d: ResourceDef, body: Record<string, unknown>): string[] {
  try {
    create(d, body);
  } catch (err) {
    if (err instanceof StatusError) return (err.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
    throw err;
  }
  return [];
}

/** Reads a dotted path (array indexes as path parts: "containers.0.image"). */
const at = (obj: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (v, part) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined),
      obj,
    );

const template = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: "app", image: "nginx" }], ...extra },
});

describe("registry lookups", () => {
  it("finds resources by group/version/resource, kind and key", () => {
    expect(findResource("apps", "v1", "deployments")?.kind).toBe("Deployment");
    expect(findResource("", "v1", "pods")?.kind).toBe("Pod");
    expect(findResource("apps", "v1beta1", "deployments")).toBeUndefined();
    expect(findByKind("", "Event")?.group).toBe("");
    expect(findByKind("events.k8s.io", "Event")?.group).toBe("events.k8s.io");
    expect(findByKey("deployments.apps")?.resource).toBe("deployments");
    expect(resourceKey({ group: "", resource: "pods" })).toBe("pods");
    expect(resourceKey({ group: "apps", resource: "deployments" })).toBe("deployments.apps");
  });

  it("has unique keys and consistent names", () => {
    const keys = builtinResources.map(resourceKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of builtinResources) {
      expect(d.listKind).toBe(`${d.kind}List`);
      expect(d.verbs).toContain("get");
    }
  });

  it.each([
    ["", "namespaces", "namespace", ["ns"], [], false],
    ["", "pods", "pod", ["po"], ["all"], true],
    ["", "endpoints", "endpoints", ["ep"], [], true],
    ["", "nodes", "node", ["no"], [], false],
    ["apps", "deployments", "deployment", ["deploy"], ["all"], true],
    ["batch", "cronjobs", "cronjob", ["cj"], ["all"], true],
    ["autoscaling", "horizontalpodautoscalers", "horizontalpodautoscaler", ["hpa"], ["all"], true],
    ["rbac.authorization.k8s.io", "clusterroles", "clusterrole", [], [], false],
    ["scheduling.k8s.io", "priorityclasses", "priorityclass", ["pc"], [], false],
    ["storage.k8s.io", "storageclasses", "storageclass", ["sc"], [], false],
  ])("%s %s discovery fields", (group, resource, singular, shortNames, categories, namespaced) => {
    const d = def(group, resource);
    expect({
      singular: d.singular,
      shortNames: d.shortNames,
      categories: d.categories,
      namespaced: d.namespaced,
    }).toEqual({
      singular,
      shortNames,
      categories,
      namespaced,
    });
  });

  it("declares subresources and scale", () => {
    expect(def("", "pods").subresources).toEqual([
      "status",
      "binding",
      "eviction",
      "log",
      "exec",
      "attach",
      "portforward",
      "ephemeralcontainers",
    ]);
    expect(def("apps", "deployments").scale).toEqual({
      specReplicasPath: ".spec.replicas",
      statusReplicasPath: ".status.replicas",
      labelSelectorPath: ".status.selector",
    });
    expect(def("apps", "daemonsets").scale).toBeUndefined();
  });

  it("uses printers where they exist and NAME/AGE otherwise", () => {
    expect(def("", "pods").table.columns.map((c) => c.name)).toContain("Status");
    const table = def("discovery.k8s.io", "endpointslices").table;
    expect(table).not.toBe(undefined);
    const now = new Date("2026-01-01T00:05:10Z");
    const row = defaultTable.cells({ metadata: { name: "x", creationTimestamp: "2026-01-01T00:00:00Z" } }, now);
    expect(row).toEqual(["x", "5m10s"]);
  });
});

describe("field selectors", () => {
  it("reads pod fields with Go zero values for absent ones", () => {
    const pods = def("", "pods").fieldSelectors;
    const pod: KubeObject = {
      metadata: { name: "p" },
      spec: { restartPolicy: "Always" },
      status: { phase: "Running" },
    };
    expect(pods["spec.nodeName"]!(pod)).toBe("");
    expect(pods["spec.hostNetwork"]!(pod)).toBe("false");
    expect(pods["status.phase"]!(pod)).toBe("Running");
    expect(Object.keys(pods)).toHaveLength(8);
  });

  it("maps event source to source.component", () => {
    const events = def("", "events").fieldSelectors;
    const event: KubeObject = {
      metadata: { name: "e" },
      source: { component: "kubelet" },
      involvedObject: { kind: "Pod" },
    };
    expect(events.source!(event)).toBe("kubelet");
    expect(events["involvedObject.kind"]!(event)).toBe("Pod");
  });

  it("covers the other kinds", () => {
    expect(Object.keys(def("", "secrets").fieldSelectors)).toEqual(["type"]);
    expect(Object.keys(def("", "namespaces").fieldSelectors)).toEqual(["status.phase"]);
    expect(def("", "nodes").fieldSelectors["spec.unschedulable"]!({ metadata: {} })).toBe("false");
    expect(def("apps", "replicasets").fieldSelectors["status.replicas"]!({ metadata: {} })).toBe("0");
    expect(def("batch", "jobs").fieldSelectors["status.successful"]!({ metadata: {}, status: { successful: 2 } })).toBe(
      "2",
    );
  });
});

describe("defaulting", () => {
  it("defaults and admits pods", () => {
    const pod = create(def("", "pods"), {
      metadata: { name: "web" },
      spec: {
        containers: [
          {
            name: "a",
            image: "nginx",
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: "1", memory: "1Gi" } },
          },
          { name: "b", image: "registry.local:5000/app:v1.2" },
        ],
      },
    });
    const spec = pod.spec;
    expect(spec).toMatchObject({
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: "default",
      serviceAccount: "default",
      priority: 0,
      preemptionPolicy: "PreemptLowerPriority",
    });
    expect(at(spec, "containers.0")).toMatchObject({
      imagePullPolicy: "Always",
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
      ports: [{ containerPort: 80, protocol: "TCP" }],
      resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } },
    });
    expect(at(spec, "containers.1.imagePullPolicy")).toBe("IfNotPresent");
    expect(at(spec, "tolerations")).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
    expect(pod.status).toEqual({ phase: "Pending", qosClass: "Burstable" });
  });

  it.each([
    [[{ name: "a", image: "x:1" }], "BestEffort"],
    [[{ name: "a", image: "x:1", resources: { limits: { cpu: "500m", memory: "128Mi" } } }], "Guaranteed"],
    [[{ name: "a", image: "x:1", resources: { requests: { cpu: "100m" } } }], "Burstable"],
  ])("computes qosClass %#", (containers, qos) => {
    const pod = create(def("", "pods"), { metadata: { name: "p" }, spec: { containers } });
    expect((pod.status as { qosClass: string }).qosClass).toBe(qos);
  });

  it("keeps an existing toleration for the not-ready taint", () => {
    const pod = create(def("", "pods"), {
      metadata: { name: "p" },
      spec: { containers: [{ name: "a", image: "x" }], tolerations: [{ operator: "Exists" }] },
    });
    expect((pod.spec as { tolerations: unknown[] }).tolerations).toEqual([{ operator: "Exists" }]);
  });

  it("defaults deployments", () => {
    const d = create(def("apps", "deployments"), {
      metadata: { name: "web" },
      spec: { selector: { matchLabels: { app: "web" } }, template: template({ app: "web" }) },
    });
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        spec: { restartPolicy: "Always", dnsPolicy: "ClusterFirst", containers: [{ imagePullPolicy: "Always" }] },
      },
    });
    // Templates get the spec defaults only, not what admission adds to Pods.
    expect(at(d, "spec.template.spec.serviceAccountName")).toBeUndefined();
    expect(at(d, "spec.template.spec.enableServiceLinks")).toBeUndefined();
  });

  it("rejects a deployment whose selector misses its template", () => {
    expect(
      createError(def("apps", "deployments"), {
        metadata: { name: "web" },
        spec: { selector: { matchLabels: { app: "api" } }, template: template({ app: "web" }) },
      }),
    ).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it("defaults statefulsets and daemonsets", () => {
    const sts = create(def("apps", "statefulsets"), {
      metadata: { name: "db" },
      spec: {
        selector: { matchLabels: { app: "db" } },
        serviceName: "db",
        template: template({ app: "db" }),
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        ],
      },
    });
    expect(sts.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      volumeClaimTemplates: [{ spec: { volumeMode: "Filesystem" }, status: { phase: "Pending" } }],
    });
    const ds = create(def("apps", "daemonsets"), {
      metadata: { name: "agent" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: template({ app: "agent" }) },
    });
    expect(ds.spec).toMatchObject({
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  it("defaults jobs and generates their selector", () => {
    const job = create(def("batch", "jobs"), {
      metadata: { name: "pi" },
      spec: { template: template({}, { restartPolicy: "Never" }) },
    });
    expect(job.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      suspend: false,
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "uid-1" } },
    });
    const labels = {
      "batch.kubernetes.io/controller-uid": "uid-1",
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": "uid-1",
      "job-name": "pi",
    };
    expect(at(job, "spec.template.metadata.labels")).toEqual(labels);
    expect(job.metadata.labels).toEqual(labels);
  });

  it("leaves completions unset for work-queue jobs and honours manualSelector", () => {
    const job = create(def("batch", "jobs"), {
      metadata: { name: "q" },
      spec: {
        parallelism: 3,
        manualSelector: true,
        selector: { matchLabels: { app: "q" } },
        template: template({ app: "q" }, { restartPolicy: "OnFailure" }),
      },
    });
    expect(at(job, "spec.completions")).toBeUndefined();
    expect(at(job, "spec.selector")).toEqual({ matchLabels: { app: "q" } });
  });

  it("defaults cronjobs", () => {
    const cj = create(def("batch", "cronjobs"), {
      metadata: { name: "nightly" },
      spec: { schedule: "@daily", jobTemplate: { spec: { template: template({}, { restartPolicy: "OnFailure" }) } } },
    });
    expect(cj.spec).toMatchObject({
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { template: { spec: { dnsPolicy: "ClusterFirst" } } } },
    });
  });

  it("defaults services", () => {
    const svc = create(def("", "services"), {
      metadata: { name: "web" },
      spec: { selector: { app: "web" }, ports: [{ port: 80 }] },
    });
    expect(svc.spec).toEqual({
      type: "ClusterIP",
      sessionAffinity: "None",
      selector: { app: "web" },
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
      internalTrafficPolicy: "Cluster",
      ipFamilyPolicy: "SingleStack",
      ipFamilies: ["IPv4"],
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it("rejects service names that are not DNS-1035 labels", () => {
    expect(
      createError(def("", "services"), { metadata: { name: "1web" }, spec: { ports: [{ port: 80 }] } })[0],
    ).toMatch(/^metadata.name: Invalid value: "1web": a DNS-1035 label/);
  });

  it("sets up namespaces", () => {
    const ns = create(def("", "namespaces"), { metadata: { name: "team-a" } });
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "team-a" });
    expect(ns.spec).toEqual({ finalizers: ["kubernetes"] });
    expect(ns.status).toEqual({ phase: "Active" });
    expect(createError(def("", "namespaces"), { metadata: { name: "a.b" } })[0]).toMatch(/a lowercase RFC 1123 label/);
  });

  it("folds secret stringData into data", () => {
    const secret = create(def("", "secrets"), {
      metadata: { name: "s" },
      stringData: { password: "hunter2", greeting: "ä" },
    });
    expect(secret.type).toBe("Opaque");
    expect(secret.data).toEqual({ password: "aHVudGVyMg==", greeting: "w6Q=" });
    expect(secret.stringData).toBeUndefined();
  });

  it("defaults claims, volumes and storage classes", () => {
    const pvc = create(def("", "persistentvolumeclaims"), {
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    });
    expect(at(pvc, "spec.volumeMode")).toBe("Filesystem");
    expect(pvc.status).toEqual({ phase: "Pending" });
    const sc = create(def("storage.k8s.io", "storageclasses"), {
      metadata: { name: "fast" },
      provisioner: "example.com/disk",
    });
    expect(sc).toMatchObject({ reclaimPolicy: "Delete", volumeBindingMode: "Immediate" });
  });

  it("defaults RBAC api groups and accepts colon names", () => {
    const binding = create(def("rbac.authorization.k8s.io", "clusterrolebindings"), {
      metadata: { name: "system:viewers" },
      roleRef: { kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "Group", name: "viewers" }],
    });
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" });
    expect(at(binding, "subjects.0.apiGroup")).toBe("rbac.authorization.k8s.io");
  });

  it("defaults HPAs", () => {
    const hpa = create(def("autoscaling", "horizontalpodautoscalers"), {
      metadata: { name: "web" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 5 },
    });
    expect(hpa.spec).toMatchObject({
      minReplicas: 1,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
      ],
    });
  });
});

describe("updates through strategies", () => {
  it("keeps namespace finalizers and the name label on update", () => {
    const d = def("", "namespaces");
    const old = create(d, { metadata: { name: "team-a" } });
    const next: KubeObject = { ...structuredClone(old), metadata: { ...old.metadata, labels: {} }, spec: {} };
    d.strategy.prepareForUpdate!(next, old);
    expect(next.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "team-a" });
    expect(next.spec).toEqual({ finalizers: ["kubernetes"] });
  });

  it("keeps allocated service IPs when a replace omits them", () => {
    const d = def("", "services");
    const old = create(d, { metadata: { name: "web" }, spec: { type: "NodePort", ports: [{ port: 80 }] } });
    Object.assign(old.spec as object, { clusterIP: "10.96.0.10", clusterIPs: ["10.96.0.10"] });
    Object.assign(at(old, "spec.ports.0") as object, { nodePort: 30080 });
    const next: KubeObject = { ...structuredClone(old), spec: { type: "NodePort", ports: [{ port: 80 }] } };
    d.strategy.prepareForUpdate!(next, old);
    expect(next.spec).toMatchObject({
      clusterIP: "10.96.0.10",
      ports: [{ port: 80, nodePort: 30080, targetPort: 80 }],
    });
    expect(d.strategy.validateUpdate!(next, old)).toEqual([]);
  });

  it("checks metadata on every kind", () => {
    expect(createError(def("", "configmaps"), { metadata: { name: "cfg", labels: { "bad key": "x" } } })[0]).toMatch(
      /^metadata.labels: Invalid value: "bad key"/,
    );
  });
});
