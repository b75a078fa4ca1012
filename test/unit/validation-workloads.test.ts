import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import {
  validateDaemonSet,
  validateDeployment,
  validateSelectorUpdate,
  validateStatefulSetUpdate,
} from "../../api/validation/apps.ts";
import { validateCronJob, validateJob, validateJobUpdate } from "../../api/validation/batch.ts";
import { validateConfigMap, validateConfigMapUpdate, validateSecret } from "../../api/validation/config.ts";
import { validateHorizontalPodAutoscaler } from "../../api/validation/autoscaling.ts";
import { validatePodDisruptionBudget } from "../../api/validation/policy.ts";
import { validateClusterRoleBinding, validateRole, validateBindingUpdate } from "../../api/validation/rbac.ts";
import { validatePriorityClass } from "../../api/validation/scheduling.ts";
import { validateService, validateServiceUpdate } from "../../api/validation/service.ts";
import { validatePersistentVolumeClaim, validateStorageClassUpdate } from "../../api/validation/storage.ts";
import { validateNode } from "../../api/validation/node.ts";
import type { FieldError } from "../../api/errors.ts";

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);
const obj = (fields: Record<string, unknown>, name = "x"): KubeObject => ({
  metadata: { name, namespace: "default", uid: "uid-1" },
  ...fields,
});

const podSpec = (restartPolicy = "Always") => ({
  restartPolicy,
  dnsPolicy: "ClusterFirst",
  containers: [{ name: "app", image: "nginx", imagePullPolicy: "Always", terminationMessagePolicy: "File" }],
});

const deployment = (spec: Record<string, unknown> = {}) =>
  obj({
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: podSpec() },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...spec,
    },
  });

describe("deployments", () => {
  it("accepts a defaulted deployment", () => {
    expect(render(validateDeployment(deployment()))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["missing selector", { selector: undefined }, ["spec.selector: Required value"]],
    [
      "empty selector",
      { selector: {} },
      ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
    ],
    [
      "selector not matching",
      { selector: { matchLabels: { app: "api" } } },
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      ],
    ],
    ["negative replicas", { replicas: -1 }, ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]],
    [
      "restart policy",
      { template: { metadata: { labels: { app: "web" } }, spec: podSpec("Never") } },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      "strategy type",
      { strategy: { type: "BlueGreen" } },
      ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
    ],
    [
      "recreate with rollingUpdate",
      { strategy: { type: "Recreate", rollingUpdate: {} } },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      "both zero",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "0%" } } },
      ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
    ],
    [
      "bad percent",
      { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "120%", maxSurge: "x" } } },
      [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
        `spec.strategy.rollingUpdate.maxSurge: Invalid value: "x": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      ],
    ],
    [
      "deadline not above minReadySeconds",
      { minReadySeconds: 700 },
      ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
    ],
  ])("%s", (_, spec, expected) => {
    expect(render(validateDeployment(deployment(spec)))).toEqual(expected);
  });

  it("keeps the selector immutable", () => {
    const changed = deployment({ selector: { matchLabels: { app: "web", v: "2" } } });
    expect(render(validateSelectorUpdate(changed, deployment()))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable',
    ]);
    expect(validateSelectorUpdate(deployment({ replicas: 5 }), deployment())).toEqual([]);
  });
});

describe("statefulsets and daemonsets", () => {
  it("forbids changing identity fields of a statefulset", () => {
    const base = obj({ spec: { replicas: 1, serviceName: "a", template: {} } });
    expect(
      validateStatefulSetUpdate(obj({ spec: { replicas: 3, serviceName: "a", template: { x: 1 } } }), base),
    ).toEqual([]);
    expect(
      render(validateStatefulSetUpdate(obj({ spec: { replicas: 1, serviceName: "b", template: {} } }), base))[0],
    ).toMatch(/^spec: Forbidden: updates to statefulset spec for fields other than 'replicas'/);
  });

  it("rejects a daemonset rolling update that can never progress", () => {
    const ds = obj({
      spec: {
        selector: { matchLabels: { app: "d" } },
        template: { metadata: { labels: { app: "d" } }, spec: podSpec() },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
      },
    });
    expect(render(validateDaemonSet(ds))).toEqual([
      "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0 when maxSurge is 0",
    ]);
  });
});

describe("jobs and cronjobs", () => {
  const job = (spec: Record<string, unknown> = {}) =>
    obj({
      spec: {
        completions: 1,
        parallelism: 1,
        backoffLimit: 6,
        completionMode: "NonIndexed",
        selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "uid-1" } },
        template: { metadata: { labels: { "batch.kubernetes.io/controller-uid": "uid-1" } }, spec: podSpec("Never") },
        ...spec,
      },
    });

  it("accepts a generated job", () => {
    expect(render(validateJob(job()))).toEqual([]);
  });

  it("requires OnFailure or Never", () => {
    const bad = job({
      template: { metadata: { labels: { "batch.kubernetes.io/controller-uid": "uid-1" } }, spec: podSpec() },
    });
    expect(render(validateJob(bad))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it("rejects a hand-written selector without manualSelector", () => {
    const bad = job({
      selector: { matchLabels: { app: "x" } },
      template: { metadata: { labels: { app: "x" } }, spec: podSpec("Never") },
    });
    expect(render(validateJob(bad))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: `selector` not auto-generated',
    ]);
  });

  it("validates counts and modes", () => {
    expect(render(validateJob(job({ parallelism: -1, completionMode: "Indexed", completions: undefined })))).toEqual([
      "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
      "spec.completions: Required value: when completion mode is Indexed",
    ]);
  });

  it("keeps the template immutable", () => {
    const changed = job();
    (
      changed.spec as { template: { spec: { containers: Array<{ image: string }> } } }
    ).template.spec.containers[0]!.image = "x";
    expect(render(validateJobUpdate(changed, job()))).toEqual(['spec.template: Invalid value: "": field is immutable']);
    expect(validateJobUpdate(job({ parallelism: 3 }), job())).toEqual([]);
  });

  const cronJob = (spec: Record<string, unknown>, name = "nightly") =>
    obj(
      {
        spec: {
          schedule: "0 3 * * *",
          concurrencyPolicy: "Allow",
          jobTemplate: { spec: { template: { spec: podSpec("OnFailure") } } },
          ...spec,
        },
      },
      name,
    );

  it.each<[string, Record<string, unknown>, string[]]>([
    ["valid", {}, []],
    ["shorthand", { schedule: "@hourly" }, []],
    ["missing schedule", { schedule: "" }, ["spec.schedule: Required value"]],
    [
      "bad schedule",
      { schedule: "61 * * * *" },
      ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ],
    [
      "TZ in schedule",
      { schedule: "CRON_TZ=UTC 0 * * * *" },
      [
        'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ],
    ],
    ["time zone", { timeZone: "Europe/Berlin" }, []],
    [
      "bad time zone",
      { timeZone: "Mars/Olympus" },
      ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
    ],
    [
      "concurrency",
      { concurrencyPolicy: "Sometimes" },
      ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    ],
    ["missing job template", { jobTemplate: undefined }, ["spec.jobTemplate: Required value"]],
  ])("cronjob: %s", (_, spec, expected) => {
    expect(render(validateCronJob(cronJob(spec)))).toEqual(expected);
  });

  it("limits cronjob names to 52 characters", () => {
    expect(render(validateCronJob(cronJob({}, "c".repeat(53))))).toEqual([
      `metadata.name: Invalid value: "${"c".repeat(53)}": must be no more than 52 characters`,
    ]);
  });
});

describe("services", () => {
  const svc = (spec: Record<string, unknown>) =>
    obj({ spec: { type: "ClusterIP", sessionAffinity: "None", selector: { app: "web" }, ...spec } });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["valid", { ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] }, []],
    ["no ports", {}, ["spec.ports: Required value"]],
    ["headless without ports", { clusterIP: "None" }, []],
    ["unnamed ports", { ports: [{ port: 80 }, { name: "b", port: 81 }] }, ["spec.ports[0].name: Required value"]],
    [
      "duplicate names",
      {
        ports: [
          { name: "a", port: 80 },
          { name: "a", port: 81 },
        ],
      },
      ['spec.ports[1].name: Duplicate value: "a"'],
    ],
    [
      "port range",
      { ports: [{ port: 0 }] },
      ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    ],
    [
      "type",
      { type: "Ingress", ports: [{ port: 80 }] },
      [
        'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
    [
      "nodePort on ClusterIP",
      { ports: [{ port: 80, nodePort: 30080 }] },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    ["external name required", { type: "ExternalName" }, ["spec.externalName: Required value"]],
    [
      "bad selector",
      { selector: { "a b": "c" }, ports: [{ port: 80 }] },
      [expect.stringMatching(/^spec.selector: Invalid value: "a b": name part/)],
    ],
  ])("%s", (_, spec, expected) => {
    expect(render(validateService(svc(spec)))).toEqual(expected);
  });

  it("keeps the cluster IP", () => {
    expect(render(validateServiceUpdate(svc({ clusterIP: "10.0.0.2" }), svc({ clusterIP: "10.0.0.1" })))).toEqual([
      'spec.clusterIP: Invalid value: "10.0.0.2": field is immutable',
    ]);
    expect(validateServiceUpdate(svc({ clusterIP: "10.0.0.1" }), svc({ clusterIP: "10.0.0.1" }))).toEqual([]);
  });
});

describe("configmaps and secrets", () => {
  it("validates keys", () => {
    expect(render(validateConfigMap(obj({ data: { "ok.key": "v", "bad/key": "v" } })))[0]).toMatch(
      /^data\[bad\/key\]: Invalid value: "bad\/key": a valid config key must consist of alphanumeric characters/,
    );
    expect(render(validateConfigMap(obj({ data: { a: "1" }, binaryData: { a: "MQ==" } })))).toEqual([
      'data[a]: Invalid value: "a": duplicate of key present in binaryData',
    ]);
  });

  it("freezes immutable configmaps", () => {
    const old = obj({ immutable: true, data: { a: "1" } });
    expect(render(validateConfigMapUpdate(obj({ immutable: true, data: { a: "2" } }), old))).toEqual([
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
    expect(render(validateConfigMapUpdate(obj({ data: { a: "1" } }), old))).toEqual([
      "immutable: Forbidden: field is immutable when `immutable` is set",
    ]);
  });

  it("requires the keys a secret type needs", () => {
    expect(render(validateSecret(obj({ type: "kubernetes.io/tls", data: { "tls.crt": "eA==" } })))).toEqual([
      "data[tls.key]: Required value",
    ]);
    expect(render(validateSecret(obj({ type: "Opaque", data: { a: "not base64!" } })))).toEqual([
      'data[a]: Invalid value: "<secret contents redacted>": must be base64 encoded',
    ]);
  });
});

describe("other kinds", () => {
  it("RBAC rules need verbs and groups", () => {
    expect(
      render(
        validateRole(obj({ rules: [{ resources: ["pods"] }, { verbs: ["get"], nonResourceURLs: ["/healthz"] }] })),
      ),
    ).toEqual([
      "rules[0].verbs: Required value: verbs must contain at least one value",
      "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
      'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    ]);
  });

  it("cluster role bindings need namespaced service accounts and a ClusterRole", () => {
    const binding = obj({
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
      subjects: [{ kind: "ServiceAccount", name: "sa" }],
    });
    expect(render(validateClusterRoleBinding(binding))).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      "subjects[0].namespace: Required value",
    ]);
    const other = obj({ roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "s" } });
    expect(validateBindingUpdate(other, binding)[0]!.message).toContain("cannot change roleRef");
  });

  it("PDBs take minAvailable or maxUnavailable", () => {
    expect(render(validatePodDisruptionBudget(obj({ spec: { minAvailable: 1, maxUnavailable: "50%" } })))[0]).toMatch(
      /minAvailable and maxUnavailable cannot be both set$/,
    );
  });

  it("HPAs need a target and sane replica bounds", () => {
    expect(render(validateHorizontalPodAutoscaler(obj({ spec: { minReplicas: 3, maxReplicas: 2 } })))).toEqual([
      "spec.scaleTargetRef.kind: Required value",
      "spec.scaleTargetRef.name: Required value",
      "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`",
    ]);
  });

  it("priority classes reserve system- and cap user values", () => {
    expect(render(validatePriorityClass(obj({ value: 2000000000 }, "system-mine")))).toEqual([
      `metadata.name: Invalid value: "system-mine": priority class names with 'system-' prefix are reserved`,
      "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
    ]);
    expect(render(validatePriorityClass(obj({ value: 2000000000 }, "high")))).toEqual([
      "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
    ]);
  });

  it("storage classes keep their parameters", () => {
    const old = obj({ provisioner: "p", parameters: { a: "1" } });
    expect(render(validateStorageClassUpdate(obj({ provisioner: "p", parameters: { a: "2" } }), old))).toEqual([
      "parameters: Forbidden: updates to parameters are forbidden.",
    ]);
  });

  it("claims need access modes and storage", () => {
    expect(render(validatePersistentVolumeClaim(obj({ spec: {} })))).toEqual([
      "spec.accessModes: Required value: at least 1 access mode is required",
      "spec.resources[storage]: Required value",
    ]);
  });

  it("node pod CIDRs must be CIDRs", () => {
    expect(render(validateNode(obj({ spec: { podCIDR: "10.0.0.0/33", podCIDRs: ["10.0.0.0/24"] } })))).toEqual([
      'spec.podCIDR: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
  });
});
