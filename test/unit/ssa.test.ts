// Server-side apply scenarios, drawn from the examples of Kubernetes' "Server-Side Apply" page
// (https://kubernetes.io/docs/reference/using-api/server-side-apply/): field ownership, conflicts,
// forcing, shared ownership, giving ownership up, removing fields, transferring ownership.
import { describe, expect, it } from "vitest";
import { catchStatus, Sim, type Obj, type Step } from "./ssa-harness.ts";

const configMap = (data: Obj, labels: Obj = { "test-label": "test" }): Obj => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "test-cm", namespace: "default", labels },
  data,
});

const deployment = (spec: Obj = {}, container: Obj = {}): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "nginx-deployment", labels: { app: "nginx" } },
  spec: {
    selector: { matchLabels: { app: "nginx" } },
    template: {
      metadata: { labels: { app: "nginx" } },
      spec: { containers: [{ name: "nginx", image: "nginx:1.14.2", ...container }] },
    },
    ...spec,
  },
});

const withFinalizers = (finalizers: string[]): Obj => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "test-cm", finalizers },
});

/** Only `spec.replicas`, as the docs' `nginx-deployment-replicas-only.yaml`. */
const replicasOnly = (replicas: number): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "nginx-deployment" },
  spec: { replicas },
});

interface Scenario {
  name: string;
  kind: [apiVersion: string, kind: string];
  steps: Step[];
  /** Each manager's fields at the end. */
  owners?: Record<string, string[]>;
  /** Checks on the final object (without managedFields). */
  object?: (obj: Obj) => void;
}

const CONTAINER = '.spec.template.spec.containers[name="nginx"]';
const DEPLOYMENT_FIELDS = [
  ".metadata.labels.app",
  ".spec.selector",
  ".spec.template.metadata.labels.app",
  CONTAINER,
  `${CONTAINER}.image`,
  `${CONTAINER}.name`,
];

const scenarios: Scenario[] = [
  {
    name: "docs example: an apply records the applier's fields, the update that changes data.key takes it over",
    kind: ["v1", "ConfigMap"],
    steps: [
      { manager: "kubectl", apply: configMap({ key: "some value" }) },
      { manager: "kube-controller-manager", update: (cm) => (cm.data.key = "new value") },
    ],
    owners: { kubectl: [".metadata.labels.test-label"], "kube-controller-manager": [".data.key"] },
    object: (cm) => expect(cm.data).toEqual({ key: "new value" }),
  },
  {
    name: "docs: had the update been an apply, it would have failed with a conflict",
    kind: ["v1", "ConfigMap"],
    steps: [
      { manager: "kubectl", apply: configMap({ key: "some value" }) },
      {
        manager: "kube-controller-manager",
        apply: configMap({ key: "new value" }, {}),
        conflict: 'Apply failed with 1 conflict: conflict with "kubectl": .data.key',
      },
    ],
    owners: { kubectl: [".data.key", ".metadata.labels.test-label"] },
  },
  {
    name: "conflicts: an update's field conflicts with a later apply, naming the manager and its apiVersion",
    kind: ["v1", "ConfigMap"],
    steps: [
      { manager: "kubectl", apply: configMap({ key: "some value" }) },
      { manager: "kube-controller-manager", update: (cm) => (cm.data.key = "new value") },
      {
        manager: "kubectl",
        apply: configMap({ key: "some value" }),
        conflict: 'Apply failed with 1 conflict: conflict with "kube-controller-manager" using v1: .data.key',
      },
    ],
  },
  {
    name: "conflicts: overwrite value, become sole manager (force)",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({ replicas: 3 }) },
      { manager: "other", apply: replicasOnly(5), force: true },
    ],
    owners: { kubectl: DEPLOYMENT_FIELDS, other: [".spec.replicas"] },
    object: (d) => expect(d.spec.replicas).toBe(5),
  },
  {
    name: "conflicts: don't overwrite value, give up management claim",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({ replicas: 3 }) },
      { manager: "kubectl", apply: deployment() },
    ],
    // Nobody else owns replicas, so dropping it removes it (the API default then applies).
    owners: { kubectl: DEPLOYMENT_FIELDS },
    object: (d) => expect(d.spec.replicas).toBeUndefined(),
  },
  {
    name: "conflicts: don't overwrite value, become shared manager (same value: no conflict)",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({ replicas: 3 }) },
      { manager: "other", apply: replicasOnly(3) },
    ],
    owners: {
      kubectl: [...DEPLOYMENT_FIELDS.slice(0, 1), ".spec.replicas", ...DEPLOYMENT_FIELDS.slice(1)],
      other: [".spec.replicas"],
    },
  },
  {
    name: "shared fields: any later change by one of the sharing appliers conflicts with the other",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({ replicas: 3 }) },
      { manager: "other", apply: replicasOnly(3) },
      {
        manager: "kubectl",
        apply: deployment({ replicas: 4 }),
        conflict: 'Apply failed with 1 conflict: conflict with "other": .spec.replicas',
      },
      {
        manager: "other",
        apply: replicasOnly(2),
        conflict: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
      },
    ],
  },
  {
    name: "shared fields: an owner gives up its share by applying without the field; the value stays",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({ replicas: 3 }) },
      { manager: "other", apply: replicasOnly(3) },
      { manager: "kubectl", apply: deployment() },
    ],
    owners: { kubectl: DEPLOYMENT_FIELDS, other: [".spec.replicas"] },
    object: (d) => expect(d.spec.replicas).toBe(3),
  },
  {
    name: "transferring ownership: the docs' handover of replicas to the HPA without a reset",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({ replicas: 3 }) },
      { manager: "handover-to-hpa", apply: replicasOnly(3) },
      { manager: "kubectl", apply: deployment() },
      // The HPA's controller then scales: an update, which never conflicts and takes the field.
      { manager: "kube-controller-manager", update: (d) => (d.spec.replicas = 7) },
    ],
    // The temporary manager owns nothing any more and is gone.
    owners: { kubectl: DEPLOYMENT_FIELDS, "kube-controller-manager": [".spec.replicas"] },
    object: (d) => expect(d.spec.replicas).toBe(7),
  },
  {
    name: "removing a field: a label only its applier owned is deleted from the live object",
    kind: ["v1", "ConfigMap"],
    steps: [
      { manager: "kubectl", apply: configMap({ key: "v" }, { a: "1", b: "2" }) },
      { manager: "kubectl", apply: configMap({ key: "v" }, { a: "1" }) },
    ],
    owners: { kubectl: [".data.key", ".metadata.labels.a"] },
    object: (cm) => expect(cm.metadata.labels).toEqual({ a: "1" }),
  },
  {
    name: "removing a field: a field another manager updated stays",
    kind: ["v1", "ConfigMap"],
    steps: [
      { manager: "kubectl", apply: configMap({ key: "v", other: "x" }) },
      { manager: "kubectl-edit", update: (cm) => (cm.data.other = "y") },
      { manager: "kubectl", apply: configMap({ key: "v" }) },
    ],
    owners: { kubectl: [".data.key", ".metadata.labels.test-label"], "kubectl-edit": [".data.other"] },
    object: (cm) => expect(cm.data).toEqual({ key: "v", other: "y" }),
  },
  {
    name: "removing a map whose keys were all dropped leaves no empty map behind",
    kind: ["v1", "ConfigMap"],
    steps: [
      { manager: "kubectl", apply: configMap({ key: "v" }, { a: "1" }) },
      {
        manager: "kubectl",
        apply: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "test-cm" }, data: { key: "v" } },
      },
    ],
    object: (cm) => expect(cm.metadata.labels).toBeUndefined(),
  },
  {
    name: "associative lists: containers merge by name; an item only its applier applied goes when dropped",
    kind: ["apps/v1", "Deployment"],
    steps: [
      {
        manager: "kubectl",
        apply: deployment({}, {}),
      },
      {
        manager: "sidecar-injector",
        apply: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "nginx-deployment" },
          spec: { template: { spec: { containers: [{ name: "proxy", image: "envoy" }] } } },
        },
      },
      {
        manager: "kubectl",
        apply: (() => {
          const d = deployment();
          d.spec.template.spec.containers.push({ name: "logger", image: "busybox" });
          return d;
        })(),
      },
      { manager: "kubectl", apply: deployment() },
    ],
    object: (d) => expect(d.spec.template.spec.containers.map((c: Obj) => c.name)).toEqual(["nginx", "proxy"]),
  },
  {
    name: "associative lists: ports are keyed by containerPort and protocol (TCP when omitted)",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({}, { ports: [{ containerPort: 80 }] }) },
      { manager: "other", apply: deployment({}, { ports: [{ containerPort: 80, protocol: "UDP" }] }) },
    ],
    object: (d) =>
      expect(d.spec.template.spec.containers[0].ports).toEqual([
        { containerPort: 80 },
        { containerPort: 80, protocol: "UDP" },
      ]),
  },
  {
    name: "atomic lists: args are owned and replaced whole, so a different list conflicts",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment({}, { args: ["a", "b"] }) },
      {
        manager: "other",
        apply: deployment({}, { args: ["a", "c"] }),
        conflict: `Apply failed with 1 conflict: conflict with "kubectl": ${CONTAINER}.args`,
      },
      { manager: "other", apply: deployment({}, { args: ["c"] }), force: true },
    ],
    object: (d) => expect(d.spec.template.spec.containers[0].args).toEqual(["c"]),
  },
  {
    name: "atomic maps: the label selector is one field",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "kubectl", apply: deployment() },
      {
        manager: "other",
        apply: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "nginx-deployment" },
          spec: { selector: { matchLabels: { app: "nginx", tier: "web" } } },
        },
        conflict: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.selector',
      },
    ],
  },
  {
    name: "sets: finalizers merge as a set, each value owned by whoever applied it",
    kind: ["v1", "ConfigMap"],
    steps: [
      { manager: "a", apply: withFinalizers(["x/one"]) },
      { manager: "b", apply: withFinalizers(["x/two"]) },
      { manager: "a", apply: withFinalizers(["x/one", "x/three"]) },
      { manager: "a", apply: withFinalizers([]) },
    ],
    owners: { a: [".metadata.finalizers"], b: ['.metadata.finalizers[="x/two"]'] },
    object: (cm) => expect(cm.metadata.finalizers).toEqual(["x/two"]),
  },
  {
    name: "several conflicts are listed manager by manager",
    kind: ["apps/v1", "Deployment"],
    steps: [
      { manager: "alice", apply: deployment({ replicas: 3 }) },
      { manager: "bob", update: (d) => (d.spec.minReadySeconds = 5) },
      {
        manager: "carol",
        apply: deployment({ replicas: 4, minReadySeconds: 6 }, { image: "nginx:1.27" }),
        conflict:
          'Apply failed with 3 conflicts: conflicts with "alice":\n- .spec.replicas\n' +
          `- ${CONTAINER}.image\nconflicts with "bob" using apps/v1:\n- .spec.minReadySeconds`,
      },
    ],
  },
  {
    name: "an object created without managedFields: its fields belong to before-first-apply",
    kind: ["v1", "ConfigMap"],
    steps: [
      {
        manager: "",
        set: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "test-cm" }, data: { key: "controller" } },
      },
      {
        manager: "kubectl",
        apply: configMap({ key: "mine" }, {}),
        conflict: 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.key',
      },
    ],
  },
];

describe("server-side apply: the documented scenarios", () => {
  it.each(scenarios)("$name", (scenario) => {
    const sim = new Sim(...scenario.kind);
    for (const step of scenario.steps) sim.run(step);
    if (scenario.owners) expect(sim.owners()).toEqual(scenario.owners);
    scenario.object?.(sim.plain());
  });
});

describe("server-side apply: records", () => {
  it("the docs' ConfigMap: exactly the documented managedFields entry", () => {
    const sim = new Sim("v1", "ConfigMap");
    sim.apply("kubectl", configMap({ key: "some value" }));
    expect(sim.object?.metadata.managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time: "2024-01-01T00:00:01Z",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:labels": { "f:test-label": {} } }, "f:data": { "f:key": {} } },
      },
    ]);
    expect(sim.plain()).toEqual(configMap({ key: "some value" }));
  });

  it("re-applying an unchanged configuration changes nothing, not even the entry's time", () => {
    const sim = new Sim("apps/v1", "Deployment");
    sim.apply("kubectl", deployment({ replicas: 2 }));
    const before = structuredClone(sim.object);
    sim.apply("kubectl", deployment({ replicas: 2 }));
    expect(sim.object).toEqual(before);
  });

  it("an applier whose apply changes nothing still records its fields (shared), without a time", () => {
    const sim = new Sim("apps/v1", "Deployment");
    sim.apply("kubectl", deployment({ replicas: 2 }));
    sim.apply("other", replicasOnly(2));
    const other = (sim.object?.metadata.managedFields as Obj[]).find((e) => e.manager === "other");
    expect(other).toEqual({
      manager: "other",
      operation: "Apply",
      apiVersion: "apps/v1",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
    });
  });

  it("a create records an Update entry owning every field it set, added maps marked with '.'", () => {
    const sim = new Sim("apps/v1", "Deployment", true);
    sim.update("kubectl-client-side-apply", (d) =>
      Object.assign(d, deployment({ replicas: 1 }), { status: { replicas: 0 } }),
    );
    expect(sim.object?.metadata.managedFields).toEqual([
      {
        manager: "kubectl-client-side-apply",
        operation: "Update",
        apiVersion: "apps/v1",
        time: "2024-01-01T00:00:01Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
              "f:spec": {
                "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {}, "f:name": {} } },
              },
            },
          },
        },
      },
    ]);
    const err = catchStatus(() => sim.apply("other", replicasOnly(4)));
    expect(err.code).toBe(409);
    expect(err.reason).toBe("Conflict");
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    expect(err.details).toEqual({
      causes: [
        {
          reason: "FieldManagerConflict",
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: ".spec.replicas",
        },
      ],
    });
  });

  it("the status of a kind with a status subresource is neither applied nor owned through the main resource", () => {
    const sim = new Sim("apps/v1", "Deployment", true);
    sim.apply("kubectl", { ...deployment(), status: { replicas: 9 } });
    expect(sim.plain().status).toBeUndefined();
    expect(sim.owners().kubectl).toEqual(DEPLOYMENT_FIELDS);
  });

  it("an update that removes a field takes it out of every entry", () => {
    const sim = new Sim("v1", "ConfigMap");
    sim.apply("kubectl", configMap({ key: "v", gone: "x" }));
    sim.update("kubectl-edit", (cm) => delete cm.data.gone);
    expect(sim.owners()).toEqual({ kubectl: [".data.key", ".metadata.labels.test-label"] });
  });

  it("updates by the same manager accumulate in one entry; a no-op update leaves the time alone", () => {
    const sim = new Sim("v1", "ConfigMap");
    sim.update("kubectl-label", (cm) => Object.assign(cm, { metadata: { name: "test-cm", labels: { a: "1" } } }));
    sim.update("kubectl-label", (cm) => (cm.metadata.labels.b = "2"));
    sim.update("kubectl-label", () => {});
    expect(sim.owners()).toEqual({ "kubectl-label": [".metadata.labels", ".metadata.labels.a", ".metadata.labels.b"] });
    expect((sim.object?.metadata.managedFields as Obj[])[0].time).toBe("2024-01-01T00:00:02Z");
  });

  it("managedFields: [{}] in an update clears them (the docs' way to strip managedFields)", () => {
    const sim = new Sim("v1", "ConfigMap");
    sim.apply("kubectl", configMap({ key: "v" }));
    sim.update("clearer", (cm) => (cm.metadata.managedFields = [{}]));
    expect(sim.object?.metadata.managedFields).toBeUndefined();
  });

  it("an update carrying no managedFields keeps the stored ones", () => {
    const sim = new Sim("v1", "ConfigMap");
    sim.apply("kubectl", configMap({ key: "v" }));
    sim.update("put", (cm) => {
      delete cm.metadata.managedFields;
      cm.data.more = "x";
    });
    expect(sim.owners()).toEqual({ kubectl: [".data.key", ".metadata.labels.test-label"], put: [".data.more"] });
  });

  it("kubectl's manager takes over what its client-side applies recorded in last-applied-configuration", () => {
    const sim = new Sim("apps/v1", "Deployment");
    const manifest = deployment({ replicas: 2 });
    sim.update("kubectl-client-side-apply", (d) => {
      Object.assign(d, structuredClone(manifest));
      d.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(manifest) };
    });
    const changed = deployment({ replicas: 3 });
    // Another manager name gets the conflict …
    expect(catchStatus(() => sim.apply("other", changed)).code).toBe(409);
    // … "kubectl" does not, and keeps the annotation up to date.
    sim.apply("kubectl", changed);
    expect(sim.plain().spec.replicas).toBe(3);
    expect(JSON.parse(sim.plain().metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"])).toEqual(
      changed,
    );
  });

  it("kubectl's manager still conflicts on fields changed since the last client-side apply", () => {
    const sim = new Sim("apps/v1", "Deployment");
    const manifest = deployment({ replicas: 2 });
    sim.update("kubectl-client-side-apply", (d) => {
      Object.assign(d, structuredClone(manifest));
      d.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(manifest) };
    });
    sim.update("kubectl", (d) => (d.spec.replicas = 5)); // kubectl scale (user agent "kubectl")
    const err = catchStatus(() => sim.apply("kubectl", deployment({ replicas: 3 })));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas');
  });

  it("keeps at most ten Update entries, folding the oldest into ancient-changes", () => {
    const sim = new Sim("v1", "ConfigMap");
    sim.apply("kubectl", configMap({}));
    for (let i = 0; i < 12; i++) sim.update(`writer-${i}`, (cm) => (cm.data[`k${i}`] = "v"));
    const entries = sim.object?.metadata.managedFields as Obj[];
    const updates = entries.filter((e) => e.operation === "Update");
    expect(updates).toHaveLength(10);
    expect(updates[0].manager).toBe("ancient-changes");
    expect(Object.keys(updates[0].fieldsV1["f:data"])).toEqual(["f:k0", "f:k1", "f:k2"]);
    expect(updates.slice(1).map((e) => e.manager)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => `writer-${i}`));
  });
});
