// Whether a member cluster falls within a ClusterAffinity (an OverrideRule's targetCluster),
// with Karmada's rules: `exclude` always wins, then every given part must hold — the label
// selector, the field selector (provider / region / zone), and the name list.
import { labelSelectorFromObject, matchesLabels } from "../selectors/labels.ts";
import type { ClusterAffinity, FieldSelectorRequirement, MemberCluster } from "./types.ts";

/** The cluster's zones: Karmada moved from `zone` to `zones`; either may be set. */
function clusterZones(cluster: MemberCluster): string[] {
  const spec = cluster.spec ?? {};
  if (spec.zones && spec.zones.length > 0) return spec.zones;
  return spec.zone ? [spec.zone] : [];
}

/** provider / region are single values; an empty string means the field is not set. */
function matchesScalarField(value: string | undefined, req: FieldSelectorRequirement): boolean {
  const present = value !== undefined && value !== "";
  switch (req.operator) {
    case "In":
      return present && (req.values ?? []).includes(value);
    case "NotIn":
      return !present || !(req.values ?? []).includes(value);
    case "Exists":
      return present;
    case "DoesNotExist":
      return !present;
    default:
      return false;
  }
}

/** A cluster may span several zones: `In` needs all of them listed, `NotIn` none of them. */
function matchesZones(zones: string[], req: FieldSelectorRequirement): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return zones.length > 0 && zones.every((zone) => values.includes(zone));
    case "NotIn":
      return zones.every((zone) => !values.includes(zone));
    case "Exists":
      return zones.length > 0;
    case "DoesNotExist":
      return zones.length === 0;
    default:
      return false;
  }
}

function matchesFieldRequirement(cluster: MemberCluster, req: FieldSelectorRequirement): boolean {
  switch (req.key) {
    case "provider":
      return matchesScalarField(cluster.spec?.provider, req);
    case "region":
      return matchesScalarField(cluster.spec?.region, req);
    case "zone":
      return matchesZones(clusterZones(cluster), req);
    default:
      // Karmada's webhook rejects other keys; a stored one can never be satisfied.
      return false;
  }
}

function matchesClusterLabels(cluster: MemberCluster, affinity: ClusterAffinity): boolean {
  try {
    return matchesLabels(labelSelectorFromObject(affinity.labelSelector), cluster.metadata.labels);
  } catch {
    // An invalid selector selects nothing, as Karmada treats a selector it cannot parse.
    return false;
  }
}

/** True when `cluster` is one of the clusters `affinity` selects. */
export function matchesAffinity(cluster: MemberCluster, affinity: ClusterAffinity): boolean {
  const name = cluster.metadata.name ?? "";
  if (affinity.exclude?.includes(name)) return false;
  if (affinity.labelSelector && !matchesClusterLabels(cluster, affinity)) return false;
  const requirements = affinity.fieldSelector?.matchExpressions ?? [];
  if (!requirements.every((req) => matchesFieldRequirement(cluster, req))) return false;
  const names = affinity.clusterNames ?? [];
  return names.length === 0 || names.includes(name);
}
