// Karmada manifests with the real kubectl 1.30 and 1.33: a member Cluster, a PropagationPolicy and
// an OverridePolicy applied client-side (then re-applied changed) and server-side, `get clusters` /
// `get pp` tables, `explain pp.spec.placement`, `api-resources --api-group=policy.karmada.io`, and
// the server's Invalid error for a policy Karmada refuses.
import { describe, expect, it } from "vitest";
import { createNamespace, kubectl, kubectlFails, kubectlOk, type KubectlOptions } from "./kubectl.ts";

/** The rows of a kubectl table, each split into its columns (empty cells vanish). */
const table = (out: string) =>
  out
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(/\s{2,}/));

/** A member Cluster, a PropagationPolicy and an OverridePolicy, as a Karmada user writes them. */
const manifest = (prefix: string, ns: string, priority: number) => `
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: ${prefix}member
spec:
  syncMode: Push
  apiEndpoint: https://127.0.0.1:6443
  secretRef:
    namespace: karmada-cluster
    name: ${prefix}member
  region: eu
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: ${prefix}nginx
  namespace: ${ns}
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  priority: ${priority}
  placement:
    clusterAffinity:
      clusterNames:
        - ${prefix}member
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
          - targetCluster:
              clusterNames:
                - ${prefix}member
            weight: 1
---
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata:
  name: ${prefix}nginx
  namespace: ${ns}
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  overrideRules:
    - targetCluster:
        clusterNames:
          - ${prefix}member
      overriders:
        imageOverrider:
          - component: Registry
            operator: replace
            value: registry.eu.example
`;

describe.each(["1.30", "1.33"])("kubectl %s with Karmada's API", (version) => {
  const tag = version.replace(".", "");
  const ok = (args: string[], options: KubectlOptions = {}) => kubectlOk(args, { version, ...options });

  it("apply (client-side, then changed), get clusters, get pp, delete", async () => {
    const ns = `karmada-${tag}-csa`;
    const prefix = `csa-${tag}-`;
    await createNamespace(ns, { version });
    const created = await ok(["apply", "-f", "-"], { input: manifest(prefix, ns, 0) });
    expect(created.trim().split("\n")).toEqual([
      `cluster.cluster.karmada.io/${prefix}member created`,
      `propagationpolicy.policy.karmada.io/${prefix}nginx created`,
      `overridepolicy.policy.karmada.io/${prefix}nginx created`,
    ]);
    // kubectl merge-patches Karmada's kinds (it has no strategic-merge schema for them). The
    // OverridePolicy reads "configured" although nothing changed, as against Karmada: the selector's
    // namespace is filled in on the server, so the (atomic) list differs from the manifest's.
    const changed = await ok(["apply", "-f", "-"], { input: manifest(prefix, ns, 5) });
    expect(changed.trim().split("\n")).toEqual([
      `cluster.cluster.karmada.io/${prefix}member unchanged`,
      `propagationpolicy.policy.karmada.io/${prefix}nginx configured`,
      `overridepolicy.policy.karmada.io/${prefix}nginx configured`,
    ]);
    const override = JSON.parse(await ok(["get", "op", `${prefix}nginx`, "-n", ns, "-o", "json"]));
    expect(override.metadata.generation).toBe(1);

    const clusters = table(await ok(["get", "clusters", `${prefix}member`]));
    expect(clusters[0]).toEqual(["NAME", "VERSION", "MODE", "READY", "AGE"]);
    // No member has been probed: VERSION is empty (its cell vanishes) and READY Unknown.
    expect(clusters[1]?.slice(0, 3)).toEqual([`${prefix}member`, "Push", "Unknown"]);
    const wide = table(await ok(["get", "clusters", `${prefix}member`, "-o", "wide"]));
    expect(wide[0]).toEqual([
      "NAME",
      "VERSION",
      "MODE",
      "READY",
      "AGE",
      "ZONES",
      "REGION",
      "PROVIDER",
      "API-ENDPOINT",
      "PROXY-URL",
    ]);

    const policies = table(await ok(["get", "pp", "-n", ns]));
    expect(policies[0]).toEqual(["NAME", "CONFLICT-RESOLUTION", "PRIORITY", "AGE"]);
    expect(policies.slice(1).map((row) => row.slice(0, 3))).toEqual([[`${prefix}nginx`, "Abort", "5"]]);
    const live = JSON.parse(await ok(["get", "propagationpolicy", `${prefix}nginx`, "-n", ns, "-o", "json"]));
    expect(live.metadata.generation).toBe(2);
    expect(live.spec.resourceSelectors).toEqual([
      { apiVersion: "apps/v1", kind: "Deployment", name: "nginx", namespace: ns },
    ]);
    expect(table(await ok(["get", "op", "-n", ns]))[0]).toEqual(["NAME", "AGE"]);
    // Karmada's category names every policy and binding kind.
    const byCategory = await ok(["get", "karmada-io", "-n", ns, "-o", "name"]);
    expect(byCategory.trim().split("\n").sort()).toEqual([
      `overridepolicy.policy.karmada.io/${prefix}nginx`,
      `propagationpolicy.policy.karmada.io/${prefix}nginx`,
    ]);

    const deleted = await ok(["delete", "-f", "-"], { input: manifest(prefix, ns, 5) });
    expect(deleted).toContain(`cluster.cluster.karmada.io "${prefix}member" deleted`);
    const after = await kubectl(["get", "pp", "-n", ns], { version });
    expect(after.stderr).toContain(`No resources found in ${ns} namespace.`);
  });

  it("apply --server-side creates and then leaves unchanged", async () => {
    const ns = `karmada-${tag}-ssa`;
    const prefix = `ssa-${tag}-`;
    await createNamespace(ns, { version });
    const input = manifest(prefix, ns, 1);
    const applied = await ok(["apply", "--server-side", "-f", "-"], { input });
    expect(applied.trim().split("\n")).toEqual([
      `cluster.cluster.karmada.io/${prefix}member serverside-applied`,
      `propagationpolicy.policy.karmada.io/${prefix}nginx serverside-applied`,
      `overridepolicy.policy.karmada.io/${prefix}nginx serverside-applied`,
    ]);
    await ok(["apply", "--server-side", "-f", "-"], { input });
    const live = JSON.parse(await ok(["get", "pp", `${prefix}nginx`, "-n", ns, "-o", "json", "--show-managed-fields"]));
    expect(live.metadata.generation).toBe(1);
    expect(live.metadata.managedFields.map((entry: { manager: string }) => entry.manager)).toEqual(["kubectl"]);
    expect(live.spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight).toBe(1);
    await ok(["delete", "-f", "-"], { input });
  });

  it("reports Karmada's validation errors as Invalid", async () => {
    const ns = `karmada-${tag}-bad`;
    await createNamespace(ns, { version });
    const bad = [
      "apiVersion: policy.karmada.io/v1alpha1",
      "kind: PropagationPolicy",
      "metadata:",
      "  name: bad",
      "spec:",
      "  resourceSelectors:",
      "    - apiVersion: v1",
      "      kind: ConfigMap",
      "  placement:",
      "    spreadConstraints:",
      "      - spreadByField: zone",
      "",
    ].join("\n");
    const stderr = await kubectlFails(["apply", "-n", ns, "-f", "-"], { version, input: bad });
    expect(stderr).toContain('The PropagationPolicy "bad" is invalid:');
    expect(stderr).toContain(
      "the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled",
    );
  });

  it("explain pp.spec.placement and api-resources --api-group=policy.karmada.io", async () => {
    const explained = await ok(["explain", "pp.spec.placement"]);
    expect(explained).toMatch(/^KIND:\s+PropagationPolicy$/m);
    expect(explained).toMatch(/^VERSION:\s+v1alpha1$/m);
    const fields = explained.split(/^FIELDS:$/m)[1] ?? "";
    expect(fields).toMatch(/^\s+clusterAffinity\s+<ClusterAffinity>$/m);
    expect(fields).toMatch(/^\s+replicaScheduling\s+<ReplicaSchedulingStrategy>$/m);
    expect(fields).toMatch(/^\s+spreadConstraints\s+<\[\]SpreadConstraint>$/m);

    const resources = table(await ok(["api-resources", "--api-group=policy.karmada.io"]));
    expect(resources[0]).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    expect(resources.slice(1)).toEqual([
      ["clusteroverridepolicies", "cop", "policy.karmada.io/v1alpha1", "false", "ClusterOverridePolicy"],
      ["clusterpropagationpolicies", "cpp", "policy.karmada.io/v1alpha1", "false", "ClusterPropagationPolicy"],
      ["overridepolicies", "op", "policy.karmada.io/v1alpha1", "true", "OverridePolicy"],
      ["propagationpolicies", "pp", "policy.karmada.io/v1alpha1", "true", "PropagationPolicy"],
    ]);
  });
});
