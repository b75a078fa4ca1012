// Tells a federation's namespaces when what their placements depend on changes: a member's
// readiness, taints, labels or location, or a cluster-scoped policy. Their propagation
// controllers then reschedule at once (failover, a new member, a ClusterPropagationPolicy)
// instead of at their next status poll. Status churn (summaries every 10 s) notifies nobody.
import {
  CLUSTER_OVERRIDE_POLICIES,
  CLUSTER_PROPAGATION_POLICIES,
  MEMBER_CLUSTERS,
  type MemberCluster,
} from "../../../api/federation/types.ts";
import { CRD_KEY } from "../../../api/crd/resource-defs.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import type { ChangeNotice, Controller } from "../framework.ts";

export const FEDERATION_NOTIFIER = "federation-notifier";
const KEY = "members";

export function memberFingerprint(cluster: MemberCluster): string {
  const ready = cluster.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown";
  const { taints, region, zone, zones, provider, apiEndpoint, secretRef } = cluster.spec ?? {};
  return JSON.stringify([
    cluster.metadata.labels ?? {},
    taints ?? [],
    region,
    zone,
    zones,
    provider,
    apiEndpoint,
    secretRef,
    ready,
    cluster.metadata.deletionTimestamp !== undefined,
  ]);
}

export class FederationNotifier implements Controller {
  readonly name = FEDERATION_NOTIFIER;
  private readonly seen = new Map<string, string>();
  private readonly store: ObjectStore;
  /** Tells one namespace ("" for the cluster scope) to re-place its templates. */
  private readonly notify: (namespace: string) => Promise<void>;

  constructor(store: ObjectStore, notify: (namespace: string) => Promise<void>) {
    this.store = store;
    this.notify = notify;
  }

  initialKeys(): string[] {
    this.seen.clear();
    for (const cluster of this.store.listParsed(MEMBER_CLUSTERS, "")) {
      this.seen.set(cluster.metadata.name ?? "", memberFingerprint(cluster as MemberCluster));
    }
    return [];
  }

  keysFor(change: ChangeNotice): string[] {
    // A new CRD makes its custom resources templates too.
    if (
      change.resource === CLUSTER_PROPAGATION_POLICIES ||
      change.resource === CLUSTER_OVERRIDE_POLICIES ||
      change.resource === CRD_KEY
    )
      return [KEY];
    if (change.resource !== MEMBER_CLUSTERS) return [];
    if (change.type === "DELETED") {
      this.seen.delete(change.name);
      return [KEY];
    }
    const fingerprint = memberFingerprint(change.object as MemberCluster);
    if (this.seen.get(change.name) === fingerprint) return [];
    this.seen.set(change.name, fingerprint);
    return [KEY];
  }

  async reconcile(): Promise<void> {
    const namespaces = ["", ...this.store.list("namespaces", "").map((row) => row.name)];
    await Promise.all(namespaces.map((namespace) => this.notify(namespace)));
  }
}
