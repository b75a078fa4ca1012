// Tells the namespaces that run DaemonSets when the set of nodes they could use changes (a node
// joins or leaves, its labels, taints, schedulability or readiness change), so a DaemonSet puts
// its pod on a new node at once — as kube's DaemonSet controller, which watches nodes, does.
// The NamespaceStores reconcile their DaemonSets on the notice; their periodic resync stays as
// a safety net. Lease renewals and unrelated status updates notify nobody.
import { DAEMONSETS } from "../../../api/controllers/daemonset/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import type { ChangeNotice, Controller } from "../framework.ts";

export const DAEMONSET_NODES_CONTROLLER = "daemonset-node-notifier";
const KEY = "nodes";

interface NodeShape {
  metadata: KubeObject["metadata"];
  spec?: { unschedulable?: boolean; taints?: unknown[] };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/** What a DaemonSet's placement depends on. */
export function nodeFingerprint(node: KubeObject): string {
  const n = node as NodeShape;
  const ready = n.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown";
  return JSON.stringify([n.metadata.labels ?? {}, n.spec?.taints ?? [], n.spec?.unschedulable === true, ready]);
}

export interface DaemonSetNodeNotifierDeps {
  store: ObjectStore;
  /** Asks one namespace's store to reconcile its DaemonSets. */
  notify: (namespace: string) => Promise<void>;
}

export class DaemonSetNodeNotifier implements Controller {
  readonly name = DAEMONSET_NODES_CONTROLLER;
  private readonly deps: DaemonSetNodeNotifierDeps;
  /** Per node, its fingerprint as last seen (rebuilt when the store wakes). */
  private readonly seen = new Map<string, string>();

  constructor(deps: DaemonSetNodeNotifierDeps) {
    this.deps = deps;
  }

  initialKeys(): string[] {
    this.seen.clear();
    for (const row of this.deps.store.list("nodes", "")) {
      this.seen.set(row.name, nodeFingerprint(JSON.parse(row.value) as KubeObject));
    }
    return [];
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource !== "nodes") return [];
    if (change.type === "DELETED") {
      this.seen.delete(change.name);
      return [KEY];
    }
    const fingerprint = nodeFingerprint(change.object);
    if (this.seen.get(change.name) === fingerprint) return [];
    this.seen.set(change.name, fingerprint);
    return [KEY];
  }

  async reconcile(): Promise<void> {
    const namespaces = new Set(this.deps.store.list(DAEMONSETS, undefined).map((row) => row.namespace));
    await Promise.all([...namespaces].map((namespace) => this.deps.notify(namespace)));
  }
}
