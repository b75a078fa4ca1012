import { describe, expect, it } from "vitest";
import { matchesAffinity } from "../../api/federation/affinity-match.ts";
import {
  applyOverrides,
  formatImage,
  overrideImage,
  parseImage,
  type OverrideResult,
} from "../../api/federation/overrides.ts";
import type { MemberCluster, OverridePolicy, OverrideRule } from "../../api/federation/types.ts";
import type { KubeObject } from "../../api/types.ts";

/** Freezes a JSON value all the way down, so any mutation by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function cluster(name: string, spec: MemberCluster["spec"] = {}, labels: Record<string, string> = {}): MemberCluster {
  return { apiVersion: "cluster.karmada.io/v1alpha1", kind: "Cluster", metadata: { name, labels }, spec };
}

const east = cluster("east", { provider: "hetzner", region: "eu", zones: ["eu-1", "eu-2"] }, { tier: "gold" });
const west = cluster("west", { provider: "aws", region: "us", zone: "us-1" });

function policy(name: string, rules: OverrideRule[], namespace?: string): OverridePolicy {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: namespace ? "OverridePolicy" : "ClusterOverridePolicy",
    metadata: { name, namespace },
    spec: { overrideRules: rules },
  };
}

function deployment(): KubeObject {
  return deepFreeze({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", labels: { app: "web" } },
    spec: {
      replicas: 3,
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          initContainers: [{ name: "init", image: "busybox:1.36", command: ["sh"] }],
          containers: [
            { name: "app", image: "docker.io/library/nginx:1.25", args: ["--port", "80", "--verbose"] },
            { name: "sidecar", image: "localhost:5000/proxy@sha256:" + "a".repeat(64) },
          ],
        },
      },
    },
  });
}

function ok(result: OverrideResult) {
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result;
}

const containerOf = (object: KubeObject, name: string) => {
  const spec = (object.spec as any).template.spec; // test-only: reaching into a known fixture
  return [...spec.initContainers, ...spec.containers].find((c: { name: string }) => c.name === name);
};

describe("image references", () => {
  const cases: Array<[string, ReturnType<typeof parseImage>]> = [
    ["nginx", { registry: "", repository: "nginx", tag: "", digest: "" }],
    ["nginx:1.25", { registry: "", repository: "nginx", tag: "1.25", digest: "" }],
    ["library/nginx:1.25", { registry: "", repository: "library/nginx", tag: "1.25", digest: "" }],
    ["docker.io/library/nginx:1.25", { registry: "docker.io", repository: "library/nginx", tag: "1.25", digest: "" }],
    ["localhost/app", { registry: "localhost", repository: "app", tag: "", digest: "" }],
    ["registry:5000/team/app:v2", { registry: "registry:5000", repository: "team/app", tag: "v2", digest: "" }],
    ["ghcr.io/a/b@sha256:abc", { registry: "ghcr.io", repository: "a/b", tag: "", digest: "sha256:abc" }],
    ["ghcr.io/a/b:1@sha256:abc", { registry: "ghcr.io", repository: "a/b", tag: "1", digest: "sha256:abc" }],
  ];
  it.each(cases)("parses %s and formats it back", (image, parsed) => {
    expect(parseImage(image)).toEqual(parsed);
    expect(formatImage(parsed)).toBe(image);
  });

  it("overrides each component", () => {
    const image = "docker.io/library/nginx:1.25";
    expect(overrideImage(image, { component: "Registry", operator: "replace", value: "mirror.local" })).toBe(
      "mirror.local/library/nginx:1.25",
    );
    expect(overrideImage(image, { component: "Registry", operator: "add", value: ".cn" })).toBe(
      "docker.io.cn/library/nginx:1.25",
    );
    expect(overrideImage(image, { component: "Registry", operator: "remove" })).toBe("library/nginx:1.25");
    expect(overrideImage("nginx", { component: "Registry", operator: "replace", value: "r.io" })).toBe("r.io/nginx");
    expect(overrideImage(image, { component: "Repository", operator: "replace", value: "acme/web" })).toBe(
      "docker.io/acme/web:1.25",
    );
    expect(overrideImage(image, { component: "Repository", operator: "add", value: "-fips" })).toBe(
      "docker.io/library/nginx-fips:1.25",
    );
    expect(overrideImage(image, { component: "Tag", operator: "replace", value: "1.26" })).toBe(
      "docker.io/library/nginx:1.26",
    );
    expect(overrideImage(image, { component: "Tag", operator: "remove" })).toBe("docker.io/library/nginx");
    const digest = "sha256:" + "b".repeat(64);
    expect(overrideImage(image, { component: "Tag", operator: "replace", value: digest })).toBe(
      `docker.io/library/nginx@${digest}`,
    );
  });
});

describe("matchesAffinity", () => {
  it("applies exclude first, then names, labels and fields together", () => {
    expect(matchesAffinity(east, {})).toBe(true);
    expect(matchesAffinity(east, { clusterNames: ["east", "west"], exclude: ["east"] })).toBe(false);
    expect(matchesAffinity(east, { clusterNames: ["west"] })).toBe(false);
    expect(matchesAffinity(east, { labelSelector: { matchLabels: { tier: "gold" } } })).toBe(true);
    expect(matchesAffinity(west, { labelSelector: { matchLabels: { tier: "gold" } } })).toBe(false);
    expect(
      matchesAffinity(east, {
        clusterNames: ["east"],
        labelSelector: { matchLabels: { tier: "silver" } },
      }),
    ).toBe(false);
  });

  it("matches provider, region and zones with Karmada's zone rules", () => {
    const field = (key: string, operator: "In" | "NotIn" | "Exists" | "DoesNotExist", values?: string[]) => ({
      fieldSelector: { matchExpressions: [{ key, operator, values }] },
    });
    expect(matchesAffinity(east, field("provider", "In", ["hetzner"]))).toBe(true);
    expect(matchesAffinity(west, field("provider", "In", ["hetzner"]))).toBe(false);
    expect(matchesAffinity(west, field("region", "NotIn", ["eu"]))).toBe(true);
    expect(matchesAffinity(cluster("bare"), field("region", "DoesNotExist"))).toBe(true);
    expect(matchesAffinity(cluster("bare"), field("region", "Exists"))).toBe(false);
    // Every zone of a multi-zone cluster must be listed for In; none for NotIn.
    expect(matchesAffinity(east, field("zone", "In", ["eu-1"]))).toBe(false);
    expect(matchesAffinity(east, field("zone", "In", ["eu-1", "eu-2", "eu-3"]))).toBe(true);
    expect(matchesAffinity(east, field("zone", "NotIn", ["eu-2"]))).toBe(false);
    expect(matchesAffinity(west, field("zone", "In", ["us-1"]))).toBe(true);
    expect(matchesAffinity(west, field("color", "Exists"))).toBe(false);
  });
});

describe("applyOverrides", () => {
  it("returns a new object and leaves the input untouched", () => {
    const template = deployment();
    const result = ok(
      applyOverrides(template, east, [
        policy("p", [{ overriders: { labelsOverrider: [{ operator: "add", value: { env: "prod" } }] } }]),
      ]),
    );
    expect(result.object).not.toBe(template);
    expect(result.object.metadata.labels).toEqual({ app: "web", env: "prod" });
    expect(template.metadata.labels).toEqual({ app: "web" });
  });

  it("applies a rule only to the clusters its targetCluster selects; none means every cluster", () => {
    const policies = [
      policy("everywhere", [{ overriders: { labelsOverrider: [{ operator: "add", value: { all: "yes" } }] } }]),
      policy(
        "east-only",
        [
          {
            targetCluster: { clusterNames: ["east"] },
            overriders: { labelsOverrider: [{ operator: "add", value: { east: "yes" } }] },
          },
        ],
        "default",
      ),
    ];
    const onEast = ok(applyOverrides(deployment(), east, policies));
    expect(onEast.object.metadata.labels).toEqual({ app: "web", all: "yes", east: "yes" });
    expect(onEast.applied).toEqual(["everywhere", "default/east-only"]);
    const onWest = ok(applyOverrides(deployment(), west, policies));
    expect(onWest.object.metadata.labels).toEqual({ app: "web", all: "yes" });
    expect(onWest.applied).toEqual(["everywhere"]);
  });

  it("rewrites every container image of a pod template when there is no predicate", () => {
    const result = ok(
      applyOverrides(deployment(), east, [
        policy("mirror", [
          { overriders: { imageOverrider: [{ component: "Registry", operator: "replace", value: "mirror.eu" }] } },
        ]),
      ]),
    );
    expect(containerOf(result.object, "init").image).toBe("mirror.eu/busybox:1.36");
    expect(containerOf(result.object, "app").image).toBe("mirror.eu/library/nginx:1.25");
    expect(containerOf(result.object, "sidecar").image).toBe("mirror.eu/proxy@sha256:" + "a".repeat(64));
  });

  it("finds pod templates in Pods, Jobs and CronJobs, and leaves other kinds alone", () => {
    const rule = [
      { overriders: { imageOverrider: [{ component: "Tag" as const, operator: "replace" as const, value: "v2" }] } },
    ];
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "app:v1" }] },
    };
    expect(ok(applyOverrides(pod, east, [policy("p", rule)])).object.spec).toEqual({
      containers: [{ name: "c", image: "app:v2" }],
    });
    const cronJob: KubeObject = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "cj" },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "app:v1" }] } } } } },
    };
    const overridden = ok(applyOverrides(cronJob, east, [policy("p", rule)])).object as any; // test-only deep read
    expect(overridden.spec.jobTemplate.spec.template.spec.containers[0].image).toBe("app:v2");
    const configMap: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c" },
      data: { image: "app:v1" },
    };
    expect(ok(applyOverrides(configMap, east, [policy("p", rule)])).object).toEqual(configMap);
  });

  it("with a predicate rewrites only the image at that path", () => {
    const result = ok(
      applyOverrides(deployment(), east, [
        policy("one", [
          {
            overriders: {
              imageOverrider: [
                {
                  predicate: { path: "/spec/template/spec/containers/0/image" },
                  component: "Tag",
                  operator: "replace",
                  value: "1.27",
                },
              ],
            },
          },
        ]),
      ]),
    );
    expect(containerOf(result.object, "app").image).toBe("docker.io/library/nginx:1.27");
    expect(containerOf(result.object, "init").image).toBe("busybox:1.36");
  });

  it("adds and removes command and args of the named container", () => {
    const result = ok(
      applyOverrides(deployment(), east, [
        policy("cmd", [
          {
            overriders: {
              commandOverrider: [
                { containerName: "init", operator: "add", value: ["-c", "echo hi"] },
                { containerName: "app", operator: "add", value: ["nginx"] },
              ],
              argsOverrider: [
                { containerName: "app", operator: "remove", value: ["--verbose"] },
                { containerName: "missing", operator: "add", value: ["x"] },
              ],
            },
          },
        ]),
      ]),
    );
    expect(containerOf(result.object, "init").command).toEqual(["sh", "-c", "echo hi"]);
    expect(containerOf(result.object, "app").command).toEqual(["nginx"]);
    expect(containerOf(result.object, "app").args).toEqual(["--port", "80"]);
    expect(containerOf(result.object, "sidecar").args).toBeUndefined();
  });

  it("labels and annotations: add sets, replace changes only existing keys, remove deletes", () => {
    const template = deepFreeze({ ...deployment(), metadata: { name: "web", labels: { app: "web", tier: "a" } } });
    const result = ok(
      applyOverrides(template, east, [
        policy("maps", [
          {
            overriders: {
              labelsOverrider: [
                { operator: "replace", value: { tier: "b", absent: "x" } },
                { operator: "remove", value: { app: "" } },
              ],
              annotationsOverrider: [{ operator: "add", value: { "example.com/region": "eu" } }],
            },
          },
        ]),
      ]),
    );
    expect(result.object.metadata.labels).toEqual({ tier: "b" });
    expect(result.object.metadata.annotations).toEqual({ "example.com/region": "eu" });
  });

  it("runs plaintext last, as RFC 6902 operations", () => {
    const result = ok(
      applyOverrides(deployment(), east, [
        policy("plain", [
          {
            overriders: {
              plaintext: [
                { path: "/spec/replicas", operator: "replace", value: 5 },
                { path: "/metadata/labels/app", operator: "remove" },
                { path: "/spec/paused", operator: "add", value: true },
              ],
              // Applied before plaintext, so plaintext's removal of "app" wins.
              labelsOverrider: [{ operator: "add", value: { app: "override" } }],
            },
          },
        ]),
      ]),
    );
    expect((result.object.spec as Record<string, unknown>).replicas).toBe(5);
    expect((result.object.spec as Record<string, unknown>).paused).toBe(true);
    expect(result.object.metadata.labels).toEqual({});
  });

  it("later policies win over earlier ones", () => {
    const set = (value: number) => ({
      overriders: { plaintext: [{ path: "/spec/replicas", operator: "replace" as const, value }] },
    });
    const result = ok(applyOverrides(deployment(), east, [policy("first", [set(1)]), policy("second", [set(2)])]));
    expect((result.object.spec as Record<string, unknown>).replicas).toBe(2);
  });

  it("reports an invalid path as an error result instead of throwing", () => {
    const missing = applyOverrides(deployment(), east, [
      policy(
        "bad",
        [{ overriders: { plaintext: [{ path: "/spec/nothing/here", operator: "replace", value: 1 }] } }],
        "default",
      ),
    ]);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.message).toMatch(
      /^OverridePolicy default\/bad: overrideRules\[0\]: plaintext\[0\]: /,
    );

    const malformed = applyOverrides(deployment(), east, [
      policy("bad", [{ overriders: { plaintext: [{ path: "spec/replicas", operator: "replace", value: 1 }] } }]),
    ]);
    expect(malformed.ok).toBe(false);
    expect(!malformed.ok && malformed.message).toMatch(/invalid JSON pointer/);

    const predicate = applyOverrides(deployment(), east, [
      policy("bad", [
        {
          overriders: {
            imageOverrider: [
              { predicate: { path: "/spec/template/spec/containers/9/image" }, component: "Tag", operator: "remove" },
            ],
          },
        },
      ]),
    ]);
    expect(predicate.ok).toBe(false);
    expect(!predicate.ok && predicate.message).toMatch(/imageOverrider\[0\]: predicate path/);

    const noValue = applyOverrides(deployment(), east, [
      policy("bad", [{ overriders: { plaintext: [{ path: "/spec/replicas", operator: "replace" }] } }]),
    ]);
    expect(noValue.ok).toBe(false);
  });

  it("skips rules for other clusters even when they would fail", () => {
    const result = applyOverrides(deployment(), west, [
      policy("bad", [
        {
          targetCluster: { clusterNames: ["east"] },
          overriders: { plaintext: [{ path: "/nope/nope", operator: "replace", value: 1 }] },
        },
      ]),
    ]);
    expect(result).toEqual({ ok: true, object: deployment(), applied: [] });
  });
});
