import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { validatePodSpec } from "../../api/validation/pod.ts";
import { validatePodUpdate } from "../../api/validation/pod-update.ts";

const spec = (overrides: Record<string, unknown> = {}) => ({
  restartPolicy: "Always",
  dnsPolicy: "ClusterFirst",
  containers: [{ name: "app", image: "nginx:1.27", imagePullPolicy: "IfNotPresent", terminationMessagePolicy: "File" }],
  ...overrides,
});

const container = (overrides: Record<string, unknown>) => ({ ...spec().containers[0], ...overrides });

const render = (s: unknown) => validatePodSpec(s, "spec").map((e) => `${e.field}: ${e.message}`);

describe("pod spec validation", () => {
  it("accepts a minimal spec", () => {
    expect(render(spec())).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["no containers", { containers: [] }, ["spec.containers: Required value"]],
    [
      "duplicate container names",
      { containers: [container({}), container({})] },
      ['spec.containers[1].name: Duplicate value: "app"'],
    ],
    ["missing image", { containers: [container({ image: "" })] }, ["spec.containers[0].image: Required value"]],
    [
      "port out of range",
      { containers: [container({ ports: [{ containerPort: 70000, protocol: "TCP" }] })] },
      ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ],
    [
      "port missing",
      { containers: [container({ ports: [{ protocol: "TCP" }] })] },
      ["spec.containers[0].ports[0].containerPort: Required value"],
    ],
    [
      "bad protocol",
      { containers: [container({ ports: [{ containerPort: 80, protocol: "HTTP" }] })] },
      ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      "bad env name",
      { containers: [container({ env: [{ name: "1X", value: "v" }] })] },
      [
        `spec.containers[0].env[0].name: Invalid value: "1X": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
      ],
    ],
    [
      "request above limit",
      { containers: [container({ resources: { requests: { cpu: "2" }, limits: { cpu: "1500m" } } })] },
      [
        'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1500m',
      ],
    ],
    [
      "bad quantity",
      { containers: [container({ resources: { limits: { memory: "lots" } } })] },
      [
        `spec.containers[0].resources.limits[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ],
    ],
    [
      "unknown standard resource",
      { containers: [container({ resources: { limits: { gpu: "1" } } })] },
      ['spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers'],
    ],
    [
      "bad restart policy",
      { restartPolicy: "Sometimes" },
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      "duplicate volumes and dangling mount",
      {
        volumes: [
          { name: "data", emptyDir: {} },
          { name: "data", emptyDir: {} },
        ],
        containers: [container({ volumeMounts: [{ name: "cache", mountPath: "/cache" }] })],
      },
      ['spec.volumes[1].name: Duplicate value: "data"', 'spec.containers[0].volumeMounts[0].name: Not found: "cache"'],
    ],
    [
      "volume with two sources",
      { volumes: [{ name: "v", emptyDir: {}, hostPath: { path: "/x" } }] },
      ["spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type"],
    ],
    [
      "toleration with value and Exists",
      { tolerations: [{ key: "k", operator: "Exists", value: "v" }] },
      [
        `spec.tolerations[0].operator: Invalid value: map[string]string{"key":"k", "operator":"Exists", "value":"v"}: value must be empty when \`operator\` is 'Exists'`,
      ],
    ],
    [
      "toleration seconds without NoExecute",
      { tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 5 }] },
      [
        `spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`,
      ],
    ],
    [
      "bad toleration effect",
      { tolerations: [{ key: "k", operator: "Equal", value: "v", effect: "Evict" }] },
      [
        'spec.tolerations[0].effect: Unsupported value: "Evict": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
    [
      "bad node selector",
      { nodeSelector: { "kubernetes.io/os": "linux!" } },
      [
        "spec.nodeSelector: Invalid value: \"linux!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    [
      "negative grace period",
      { terminationGracePeriodSeconds: -1 },
      ["spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0"],
    ],
  ])("%s", (_, overrides, expected) => {
    expect(render(spec(overrides))).toEqual(expected);
  });

  it("does not crash on nonsense input", () => {
    expect(render({ containers: "x", volumes: 3, tolerations: [1], nodeSelector: "y" }).length).toBeGreaterThan(0);
    expect(render(undefined)).toEqual(["spec: Required value"]);
  });
});

describe("pod update validation", () => {
  const pod = (s: Record<string, unknown>): KubeObject => ({ metadata: { name: "p", namespace: "default" }, spec: s });
  const tolerations = [{ key: "a", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }];
  const base = spec({ terminationGracePeriodSeconds: 30, activeDeadlineSeconds: 100, tolerations });

  it("allows image, deadline and toleration changes", () => {
    const next = {
      ...structuredClone(base),
      containers: [container({ image: "nginx:1.28" })],
      activeDeadlineSeconds: 50,
      tolerations: [...tolerations, { key: "b", operator: "Exists" }],
    };
    expect(validatePodUpdate(pod(next), pod(base))).toEqual([]);
  });

  it("forbids other spec changes", () => {
    const errors = validatePodUpdate(pod({ ...base, restartPolicy: "Never" }), pod(base));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe("spec");
    expect(errors[0]!.type).toBe("FieldValueForbidden");
    expect(errors[0]!.message).toMatch(
      /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)/,
    );
    expect(errors[0]!.message).toContain("spec.restartPolicy");
  });

  it("forbids removing tolerations and raising the deadline", () => {
    const errors = validatePodUpdate(pod({ ...base, tolerations: [], activeDeadlineSeconds: 200 }), pod(base));
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value",
      "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds",
    ]);
  });
});
