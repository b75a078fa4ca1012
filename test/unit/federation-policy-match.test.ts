import { describe, expect, it } from "vitest";
import {
  ImplicitPriority,
  matchingOverridePolicies,
  pickPropagationPolicy,
  selectorMatches,
  selectorPriority,
} from "../../api/federation/policy-match.ts";
import type { OverridePolicy, PropagationPolicy, ResourceSelector } from "../../api/federation/types.ts";
import type { KubeObject } from "../../api/types.ts";

const deployment = (name: string, namespace = "default", labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace, labels },
});

const kindOnly: ResourceSelector = { apiVersion: "apps/v1", kind: "Deployment" };

function propagation(
  name: string,
  selectors: ResourceSelector[],
  extra: { namespace?: string; priority?: number; deleting?: boolean } = {},
): PropagationPolicy {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: extra.namespace ? "PropagationPolicy" : "ClusterPropagationPolicy",
    metadata: {
      name,
      namespace: extra.namespace,
      ...(extra.deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}),
    },
    spec: { resourceSelectors: selectors, priority: extra.priority },
  };
}

function override(name: string, selectors: ResourceSelector[] | undefined, namespace?: string): OverridePolicy {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: namespace ? "OverridePolicy" : "ClusterOverridePolicy",
    metadata: { name, namespace },
    spec: { resourceSelectors: selectors, overrideRules: [] },
  };
}

const names = (policies: OverridePolicy[]) => policies.map((p) => `${p.metadata.namespace ?? ""}/${p.metadata.name}`);

describe("selectorMatches", () => {
  const web = deployment("web", "default", { app: "web" });

  it("needs apiVersion and kind to match exactly", () => {
    expect(selectorMatches(kindOnly, web)).toBe(true);
    expect(selectorMatches({ apiVersion: "apps/v1beta1", kind: "Deployment" }, web)).toBe(false);
    expect(selectorMatches({ apiVersion: "apps/v1", kind: "StatefulSet" }, web)).toBe(false);
  });

  it("defaults the namespace to the policy's own for namespaced policies", () => {
    expect(selectorMatches(kindOnly, web, "default")).toBe(true);
    expect(selectorMatches(kindOnly, web, "other")).toBe(false);
    expect(selectorMatches({ ...kindOnly, namespace: "other" }, web)).toBe(false);
    expect(selectorMatches({ ...kindOnly, namespace: "default" }, web)).toBe(true);
  });

  it("a namespaced policy never selects a cluster-scoped object", () => {
    const ns: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } };
    expect(selectorMatches({ apiVersion: "v1", kind: "Namespace" }, ns, "default")).toBe(false);
    expect(selectorMatches({ apiVersion: "v1", kind: "Namespace" }, ns)).toBe(true);
  });

  it("matches by name, ignoring the label selector when both are given (Karmada)", () => {
    expect(selectorMatches({ ...kindOnly, name: "web" }, web)).toBe(true);
    expect(selectorMatches({ ...kindOnly, name: "api" }, web)).toBe(false);
    expect(selectorMatches({ ...kindOnly, name: "web", labelSelector: { matchLabels: { app: "x" } } }, web)).toBe(true);
  });

  it("matches label selectors, and an invalid one matches nothing", () => {
    expect(selectorMatches({ ...kindOnly, labelSelector: { matchLabels: { app: "web" } } }, web)).toBe(true);
    expect(
      selectorMatches(
        { ...kindOnly, labelSelector: { matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }] } },
        web,
      ),
    ).toBe(false);
    expect(
      selectorMatches({ ...kindOnly, labelSelector: { matchExpressions: [{ key: "app", operator: "Bogus" }] } }, web),
    ).toBe(false);
  });

  it("ranks name over labels over kind-only", () => {
    expect(selectorPriority({ ...kindOnly, name: "web" }, web)).toBe(ImplicitPriority.MatchName);
    expect(selectorPriority({ ...kindOnly, labelSelector: { matchLabels: { app: "web" } } }, web)).toBe(
      ImplicitPriority.MatchLabelSelector,
    );
    expect(selectorPriority(kindOnly, web)).toBe(ImplicitPriority.MatchAll);
  });
});

describe("pickPropagationPolicy", () => {
  const web = deployment("web", "default", { app: "web" });

  it("returns undefined when nothing selects the object", () => {
    const other = propagation("other", [{ ...kindOnly, name: "api" }], { namespace: "default" });
    expect(pickPropagationPolicy(web, [other], [])).toBeUndefined();
  });

  it("prefers a namespaced PropagationPolicy over any ClusterPropagationPolicy", () => {
    const pp = propagation("pp", [kindOnly], { namespace: "default", priority: 0 });
    const cpp = propagation("cpp", [{ ...kindOnly, name: "web" }], { priority: 100 });
    expect(pickPropagationPolicy(web, [pp], [cpp])).toEqual({ policy: pp, clusterScoped: false });
    expect(pickPropagationPolicy(web, [], [cpp])).toEqual({ policy: cpp, clusterScoped: true });
  });

  it("ignores namespaced policies of other namespaces", () => {
    const elsewhere = propagation("pp", [{ ...kindOnly, namespace: "default" }], { namespace: "other" });
    const cpp = propagation("cpp", [kindOnly]);
    expect(pickPropagationPolicy(web, [elsewhere], [cpp])?.policy).toBe(cpp);
  });

  it("higher explicit priority beats a more specific selector", () => {
    const byName = propagation("a-name", [{ ...kindOnly, name: "web" }], { namespace: "default", priority: 1 });
    const broad = propagation("z-broad", [kindOnly], { namespace: "default", priority: 5 });
    expect(pickPropagationPolicy(web, [byName, broad], [])?.policy).toBe(broad);
  });

  it("at equal priority the more specific selector wins, then the alphabetically first name", () => {
    const kind = propagation("a", [kindOnly], { namespace: "default" });
    const labels = propagation("b", [{ ...kindOnly, labelSelector: { matchLabels: { app: "web" } } }], {
      namespace: "default",
    });
    const name = propagation("c", [{ ...kindOnly, name: "web" }], { namespace: "default" });
    expect(pickPropagationPolicy(web, [kind, labels, name], [])?.policy).toBe(name);
    expect(pickPropagationPolicy(web, [kind, labels], [])?.policy).toBe(labels);
    const alsoKind = propagation("0-first", [kindOnly], { namespace: "default" });
    expect(pickPropagationPolicy(web, [kind, alsoKind], [])?.policy).toBe(alsoKind);
  });

  it("uses a policy's best-matching selector for its rank", () => {
    const mixed = propagation("m", [{ ...kindOnly, name: "nope" }, kindOnly, { ...kindOnly, name: "web" }], {
      namespace: "default",
    });
    const labels = propagation("a", [{ ...kindOnly, labelSelector: { matchLabels: { app: "web" } } }], {
      namespace: "default",
    });
    expect(pickPropagationPolicy(web, [labels, mixed], [])?.policy).toBe(mixed);
  });

  it("skips policies that are being deleted", () => {
    const going = propagation("going", [{ ...kindOnly, name: "web" }], { namespace: "default", deleting: true });
    const cpp = propagation("cpp", [kindOnly]);
    expect(pickPropagationPolicy(web, [going], [cpp])).toEqual({ policy: cpp, clusterScoped: true });
    const cppGoing = propagation("cpp", [kindOnly], { deleting: true });
    expect(pickPropagationPolicy(web, [going], [cppGoing])).toBeUndefined();
  });
});

describe("matchingOverridePolicies", () => {
  const web = deployment("web", "default", { app: "web" });

  it("puts ClusterOverridePolicies first, then least specific to most specific, then by name", () => {
    const namespaced = [
      override("n-name", [{ ...kindOnly, name: "web" }], "default"),
      override("n-labels", [{ ...kindOnly, labelSelector: { matchLabels: { app: "web" } } }], "default"),
      override("n-kind-b", [kindOnly], "default"),
      override("n-kind-a", [kindOnly], "default"),
      override("n-all", undefined, "default"),
    ];
    const cluster = [override("c-name", [{ ...kindOnly, name: "web" }]), override("c-all", [])];
    expect(names(matchingOverridePolicies(web, namespaced, cluster))).toEqual([
      "/c-all",
      "/c-name",
      "default/n-all",
      "default/n-kind-a",
      "default/n-kind-b",
      "default/n-labels",
      "default/n-name",
    ]);
  });

  it("leaves out policies whose selectors do not match and namespaced ones from other namespaces", () => {
    const namespaced = [
      override("miss", [{ ...kindOnly, name: "api" }], "default"),
      override("elsewhere", undefined, "other"),
      override("hit", [kindOnly], "default"),
    ];
    const cluster = [override("c-miss", [{ apiVersion: "v1", kind: "Service" }])];
    expect(names(matchingOverridePolicies(web, namespaced, cluster))).toEqual(["default/hit"]);
  });

  it("does not mutate or reorder its inputs", () => {
    const namespaced = [override("b", [kindOnly], "default"), override("a", [kindOnly], "default")];
    const before = structuredClone(namespaced);
    matchingOverridePolicies(web, namespaced, []);
    expect(namespaced).toEqual(before);
  });
});
