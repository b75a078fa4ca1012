import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import { applyStrategicMergePatch } from "../../api/patch/strategic-merge-patch.ts";
import { SMP_KINDS, SMP_TYPES, fieldOf, schemaForKind } from "../../api/patch/smp-schema/index.ts";

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error("expected a StatusError");
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

type Obj = Record<string, unknown>;

/** An apps/v1 Deployment whose pod spec is `podSpec`, plus any top-level `spec` extras. */
const deployment = (podSpec: Obj, spec: Obj = {}): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "patch-demo", namespace: "default" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "nginx" } },
    ...spec,
    template: { metadata: { labels: { app: "nginx" } }, spec: podSpec },
  },
});

/** A patch of the Deployment's pod spec. */
const podPatch = (podSpec: Obj): Obj => ({ spec: { template: { spec: podSpec } } });

const podSpecOf = (obj: unknown) => ((obj as Obj).spec as { template: { spec: Obj } }).template.spec;

interface Case {
  name: string;
  original: Obj;
  patch: Obj;
  /** The whole expected result, or … */
  expected?: Obj;
  /** … just the expected pod spec of a Deployment. */
  pod?: Obj;
}

const cases: Case[] = [
  // https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
  {
    name: "docs: containers merge by name (the new container comes first, as the docs show)",
    original: deployment({ containers: [{ name: "patch-demo-ctr", image: "nginx" }] }),
    patch: podPatch({ containers: [{ name: "patch-demo-ctr-2", image: "redis" }] }),
    pod: {
      containers: [
        { name: "patch-demo-ctr-2", image: "redis" },
        { name: "patch-demo-ctr", image: "nginx" },
      ],
    },
  },
  {
    name: "docs: tolerations have no patch strategy and are replaced",
    original: deployment({
      containers: [{ name: "c", image: "nginx" }],
      tolerations: [{ effect: "NoSchedule", key: "dedicated", value: "test-team" }],
    }),
    patch: podPatch({ tolerations: [{ effect: "NoSchedule", key: "disktype", value: "ssd" }] }),
    pod: {
      containers: [{ name: "c", image: "nginx" }],
      tolerations: [{ effect: "NoSchedule", key: "disktype", value: "ssd" }],
    },
  },
  {
    name: "docs: $retainKeys drops rollingUpdate when the strategy type becomes Recreate",
    original: deployment({}, { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "30%" } } }),
    patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
    expected: deployment({}, { strategy: { type: "Recreate" } }),
  },
  {
    name: "docs: without $retainKeys the old rollingUpdate stays (which validation then rejects)",
    original: deployment({}, { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "30%" } } }),
    patch: { spec: { strategy: { type: "Recreate" } } },
    expected: deployment({}, { strategy: { type: "Recreate", rollingUpdate: { maxSurge: "30%" } } }),
  },
  {
    name: "$patch: replace as a list element replaces the whole list",
    original: deployment({
      containers: [
        { name: "a", image: "a" },
        { name: "b", image: "b" },
      ],
    }),
    patch: podPatch({ containers: [{ name: "c", image: "c" }, { $patch: "replace" }] }),
    pod: { containers: [{ name: "c", image: "c" }] },
  },
  {
    name: "$patch: replace in a map replaces the map",
    original: deployment({ containers: [{ name: "a" }], nodeSelector: { zone: "a", disk: "ssd" } }),
    patch: podPatch({ nodeSelector: { $patch: "replace", gpu: "yes" } }),
    pod: { containers: [{ name: "a" }], nodeSelector: { gpu: "yes" } },
  },
  {
    name: "$patch: delete as a list element deletes the item with that merge key",
    original: deployment({
      containers: [
        { name: "a", image: "a" },
        { name: "b", image: "b" },
      ],
    }),
    patch: podPatch({ containers: [{ name: "a", $patch: "delete" }] }),
    pod: { containers: [{ name: "b", image: "b" }] },
  },
  {
    name: "$patch: delete in a map empties it",
    original: deployment({ containers: [{ name: "a" }], nodeSelector: { zone: "a" } }),
    patch: podPatch({ nodeSelector: { $patch: "delete" } }),
    pod: { containers: [{ name: "a" }], nodeSelector: {} },
  },
  {
    name: "$patch: merge in a map is the default merge",
    original: deployment({ containers: [{ name: "a" }], nodeSelector: { zone: "a" } }),
    patch: podPatch({ nodeSelector: { $patch: "merge", disk: "ssd" } }),
    pod: { containers: [{ name: "a" }], nodeSelector: { zone: "a", disk: "ssd" } },
  },
  {
    name: "$setElementOrder/containers reorders without changing contents",
    original: deployment({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] }),
    patch: podPatch({ "$setElementOrder/containers": [{ name: "c" }, { name: "a" }, { name: "b" }] }),
    pod: { containers: [{ name: "c" }, { name: "a" }, { name: "b" }] },
  },
  {
    name: "$setElementOrder orders the items it names; others keep their live position",
    original: deployment({ containers: [{ name: "a" }, { name: "b", image: "1" }, { name: "c" }] }),
    patch: podPatch({
      "$setElementOrder/containers": [{ name: "b" }, { name: "a" }],
      containers: [{ name: "b", image: "2" }],
    }),
    pod: { containers: [{ name: "b", image: "2" }, { name: "a" }, { name: "c" }] },
  },
  {
    name: "$setElementOrder places a new item where the directive says",
    original: deployment({ containers: [{ name: "a" }, { name: "c" }] }),
    patch: podPatch({
      "$setElementOrder/containers": [{ name: "a" }, { name: "b" }, { name: "c" }],
      containers: [{ name: "b", image: "new" }],
    }),
    pod: { containers: [{ name: "a" }, { name: "b", image: "new" }, { name: "c" }] },
  },
  {
    name: "env merges by name inside the container merged by name; server-only entries keep their place",
    original: deployment({
      containers: [
        {
          name: "app",
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ],
        },
      ],
    }),
    patch: podPatch({ containers: [{ name: "app", env: [{ name: "B", value: "3" }] }] }),
    pod: {
      containers: [
        {
          name: "app",
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "3" },
          ],
        },
      ],
    },
  },
  {
    name: "ports merge by containerPort; volumeMounts by mountPath",
    original: deployment({
      containers: [
        { name: "app", ports: [{ containerPort: 80, name: "http" }], volumeMounts: [{ mountPath: "/a", name: "v" }] },
      ],
    }),
    patch: podPatch({
      containers: [
        {
          name: "app",
          ports: [{ containerPort: 80, protocol: "TCP" }],
          volumeMounts: [{ mountPath: "/a", readOnly: true }],
        },
      ],
    }),
    pod: {
      containers: [
        {
          name: "app",
          ports: [{ containerPort: 80, name: "http", protocol: "TCP" }],
          volumeMounts: [{ mountPath: "/a", name: "v", readOnly: true }],
        },
      ],
    },
  },
  {
    name: "envFrom and args (no strategy) are replaced",
    original: deployment({
      containers: [{ name: "app", args: ["a", "b"], envFrom: [{ configMapRef: { name: "x" } }] }],
    }),
    patch: podPatch({ containers: [{ name: "app", args: ["c"], envFrom: [{ secretRef: { name: "y" } }] }] }),
    pod: { containers: [{ name: "app", args: ["c"], envFrom: [{ secretRef: { name: "y" } }] }] },
  },
  {
    name: "volumes merge by name and honour $retainKeys per element",
    original: deployment({
      containers: [{ name: "a" }],
      volumes: [
        { name: "v", emptyDir: {} },
        { name: "w", emptyDir: {} },
      ],
    }),
    patch: podPatch({ volumes: [{ name: "v", $retainKeys: ["configMap", "name"], configMap: { name: "cm" } }] }),
    pod: {
      containers: [{ name: "a" }],
      volumes: [
        { name: "v", configMap: { name: "cm" } },
        { name: "w", emptyDir: {} },
      ],
    },
  },
  {
    name: "$deleteFromPrimitiveList/finalizers removes listed values",
    original: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", finalizers: ["a", "b", "c"] } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } },
    expected: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", finalizers: ["a", "c"] } },
  },
  {
    name: "finalizers merge as a set (patch values first, as kube orders them)",
    original: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", finalizers: ["a"] } },
    patch: { metadata: { finalizers: ["b", "a"] } },
    expected: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", finalizers: ["b", "a"] } },
  },
  {
    name: "$setElementOrder/finalizers orders a primitive list",
    original: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", finalizers: ["a", "b"] } },
    patch: { metadata: { "$setElementOrder/finalizers": ["b", "c", "a"], finalizers: ["c"] } },
    expected: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", finalizers: ["b", "c", "a"] } },
  },
  {
    name: "ownerReferences merge by uid",
    original: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", ownerReferences: [{ uid: "1", kind: "ReplicaSet", name: "rs" }] },
    },
    patch: {
      metadata: {
        ownerReferences: [
          { uid: "1", controller: true },
          { uid: "2", kind: "Job", name: "j" },
        ],
      },
    },
    expected: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        ownerReferences: [
          { uid: "1", kind: "ReplicaSet", name: "rs", controller: true },
          { uid: "2", kind: "Job", name: "j" },
        ],
      },
    },
  },
  {
    name: "null deletes a key; nulls inside a new subtree are dropped",
    original: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", annotations: { a: "1", b: "2" } } },
    patch: { metadata: { annotations: { a: null }, labels: { gone: null, kept: "y" } } },
    expected: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", annotations: { b: "2" }, labels: { kept: "y" } },
    },
  },
  {
    name: "directives in a newly added list are applied, not stored",
    original: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } },
    patch: {
      spec: {
        containers: [
          { name: "a", env: [{ name: "X", $patch: "delete" }] },
          { name: "b", $patch: "delete" },
        ],
      },
    },
    expected: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "a", env: [] }] },
    },
  },
  {
    name: "Service spec.ports merge by port",
    original: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s" },
      spec: { ports: [{ port: 80, targetPort: 8080 }] },
    },
    patch: {
      spec: {
        ports: [
          { port: 80, name: "http" },
          { port: 443, name: "https" },
        ],
      },
    },
    expected: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s" },
      spec: {
        ports: [
          { port: 80, targetPort: 8080, name: "http" },
          { port: 443, name: "https" },
        ],
      },
    },
  },
  {
    name: "Node status.conditions merge by type; spec.taints are replaced",
    original: {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      spec: { taints: [{ key: "a", effect: "NoSchedule" }] },
      status: {
        conditions: [
          { type: "Ready", status: "False" },
          { type: "DiskPressure", status: "False" },
        ],
      },
    },
    patch: {
      spec: { taints: [{ key: "b", effect: "NoExecute" }] },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    },
    expected: {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      spec: { taints: [{ key: "b", effect: "NoExecute" }] },
      status: {
        conditions: [
          { type: "Ready", status: "True" },
          { type: "DiskPressure", status: "False" },
        ],
      },
    },
  },
  {
    name: "CronJob reaches the pod spec through spec.jobTemplate.spec.template",
    original: {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "c" },
      spec: {
        schedule: "* * * * *",
        jobTemplate: { spec: { template: { spec: { containers: [{ name: "a", image: "1" }] } } } },
      },
    },
    patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "b", image: "2" }] } } } } } },
    expected: {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "c" },
      spec: {
        schedule: "* * * * *",
        jobTemplate: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: "b", image: "2" },
                  { name: "a", image: "1" },
                ],
              },
            },
          },
        },
      },
    },
  },
  {
    name: "PodDisruptionBudget spec.selector is replaced whole",
    original: {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "p" },
      spec: { selector: { matchLabels: { a: "1" } } },
    },
    patch: { spec: { selector: { matchLabels: { b: "2" } } } },
    expected: {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "p" },
      spec: { selector: { matchLabels: { b: "2" } } },
    },
  },
  {
    name: "autoscaling/v1 Scale merges like a merge patch",
    original: {
      apiVersion: "autoscaling/v1",
      kind: "Scale",
      metadata: { name: "web" },
      spec: { replicas: 1 },
      status: { replicas: 1 },
    },
    patch: { spec: { replicas: 5 } },
    expected: {
      apiVersion: "autoscaling/v1",
      kind: "Scale",
      metadata: { name: "web" },
      spec: { replicas: 5 },
      status: { replicas: 1 },
    },
  },
  {
    name: "unknown kinds: lists replace, directives are still applied and stripped, $ref-like data is kept",
    original: {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w", finalizers: ["a"] },
      spec: { items: [{ name: "a" }], schema: { $ref: "#/x" }, sub: { a: 1, b: 2 } },
    },
    patch: {
      metadata: { finalizers: ["b"] },
      spec: { items: [{ name: "b", $patch: "delete" }], schema: { $schema: "y" }, sub: { $patch: "replace", c: 3 } },
    },
    expected: {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w", finalizers: ["b"] },
      spec: { items: [{ name: "b" }], schema: { $ref: "#/x", $schema: "y" }, sub: { c: 3 } },
    },
  },
];

describe("applyStrategicMergePatch", () => {
  it.each(cases)("$name", ({ original, patch, expected, pod }) => {
    const result = applyStrategicMergePatch(deepFreeze(structuredClone(original)), deepFreeze(structuredClone(patch)));
    if (expected) expect(result).toEqual(expected);
    if (pod) {
      expect(podSpecOf(result)).toEqual(pod);
      // Everything outside the pod spec is untouched.
      expect({ ...(result as Obj), spec: undefined }).toEqual({ ...original, spec: undefined });
    }
  });

  it("shares no references with its inputs", () => {
    const original = deployment({ containers: [{ name: "a", env: [{ name: "X", value: "1" }] }] });
    const patch = podPatch({ containers: [{ name: "b", env: [{ name: "Y", value: "2" }] }] });
    const result = applyStrategicMergePatch(original, patch) as Obj;
    const containers = podSpecOf(result).containers as Array<{ env: Obj[] }>;
    containers[0]!.env[0]!.value = "changed";
    containers[1]!.env[0]!.value = "changed";
    expect(patch).toEqual(podPatch({ containers: [{ name: "b", env: [{ name: "Y", value: "2" }] }] }));
    expect(original).toEqual(deployment({ containers: [{ name: "a", env: [{ name: "X", value: "1" }] }] }));
  });

  it("takes the kind from `as` when given", () => {
    const result = applyStrategicMergePatch(
      { metadata: { name: "p" }, spec: { containers: [{ name: "a" }] } },
      { spec: { containers: [{ name: "b" }] } },
      { apiVersion: "v1", kind: "Pod" },
    );
    expect(result).toEqual({ metadata: { name: "p" }, spec: { containers: [{ name: "b" }, { name: "a" }] } });
  });

  const errors: Array<[string, unknown, number, RegExp]> = [
    ["a patch that is not an object", [{ op: "add" }], 400, /must be a JSON object/],
    ["an unknown $patch in a map", podPatch({ nodeSelector: { $patch: "explode" } }), 400, /unknown patch type/],
    [
      "an unknown $patch in a list",
      podPatch({ containers: [{ name: "a", $patch: "explode" }] }),
      400,
      /unknown patch type/,
    ],
    ["$patch: merge as a list element", podPatch({ containers: [{ $patch: "merge" }] }), 400, /merging lists cannot/],
    ["$patch: delete without the merge key", podPatch({ containers: [{ $patch: "delete" }] }), 400, /merge key: name/],
    ["a list item without its merge key", podPatch({ containers: [{ image: "x" }] }), 400, /merge key: name/],
    [
      "a field outside $retainKeys",
      { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: {} } } },
      400,
      /retainKeys/,
    ],
    ["$retainKeys that is not a list", { spec: { strategy: { $retainKeys: "type" } } }, 400, /retainKeys/],
    [
      "a patch list out of $setElementOrder order",
      podPatch({
        "$setElementOrder/containers": [{ name: "a" }, { name: "b" }],
        containers: [{ name: "b" }, { name: "a" }],
      }),
      400,
      /doesn't match \$setElementOrder/,
    ],
    [
      "$deleteFromPrimitiveList that is not a list",
      { metadata: { "$deleteFromPrimitiveList/finalizers": "a" } },
      400,
      /primitive list/,
    ],
    ["mixed element types in a merged list", { metadata: { finalizers: [1] } }, 422, /not identical/],
    ["a list of lists", { metadata: { finalizers: [["a"]] } }, 422, /lists of lists/],
  ];

  it.each(errors)("rejects %s", (_, patch, code, message) => {
    const original = deployment({ containers: [{ name: "a" }, { name: "b" }] });
    (original.metadata as Obj).finalizers = ["x"];
    const err = thrown(() => applyStrategicMergePatch(original, patch));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });
});

describe("strategic merge metadata", () => {
  it("names only types that exist", () => {
    for (const [name, fields] of Object.entries(SMP_TYPES))
      for (const [field, meta] of Object.entries(fields))
        if (meta.type !== undefined) expect(SMP_TYPES, `${name}.${field} → ${meta.type}`).toHaveProperty([meta.type]);
    for (const [apiVersion, kinds] of Object.entries(SMP_KINDS))
      for (const [kind, type] of Object.entries(kinds))
        expect(SMP_TYPES, `${apiVersion} ${kind}`).toHaveProperty([type]);
  });

  it("gives merge lists of objects a merge key", () => {
    for (const fields of Object.values(SMP_TYPES))
      for (const meta of Object.values(fields)) if (meta.mergeKey !== undefined) expect(meta.strategy).toBe("merge");
  });

  it("reuses PodSpec across workloads", () => {
    const pod = (apiVersion: string, kind: string, ...path: string[]) => {
      let schema = schemaForKind(apiVersion, kind);
      for (const key of path) schema = fieldOf(schema, key).schema;
      return fieldOf(schema, "containers").meta;
    };
    const containers = { strategy: "merge", mergeKey: "name", type: "Container" };
    expect(pod("v1", "Pod", "spec")).toEqual(containers);
    for (const kind of ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"])
      expect(pod("apps/v1", kind, "spec", "template", "spec")).toEqual(containers);
    expect(pod("batch/v1", "Job", "spec", "template", "spec")).toEqual(containers);
    expect(pod("batch/v1", "CronJob", "spec", "jobTemplate", "spec", "template", "spec")).toEqual(containers);
    expect(pod("v1", "PodTemplate", "template", "spec")).toEqual(containers);
  });

  it("has no schema for custom resources", () => {
    expect(schemaForKind("example.com/v1", "Widget")).toBeUndefined();
    expect(schemaForKind("v1", "Widget")).toBeUndefined();
  });
});
