// Admission inside a NamespaceStore: LimitRange defaults and limits for new Pods and claims, and
// ResourceQuota enforcement for every create (and the updates that change a charge). It runs
// synchronously right before the commit, so the quota decision holds at commit time. Current
// usage comes from a ledger of what each object charges, loaded from the store on first need
// and kept current from every commit (no re-parsing of the namespace's pods per request).
import { forbidden, invalid } from "../../api/errors.ts";
import {
  aggregateMessage,
  applyContainerDefaults,
  claimLimitViolations,
  podLimitViolations,
} from "../../api/admission/limit-range.ts";
import { quotaViolation } from "../../api/admission/quota-check.ts";
import { quotaItemOf, type QuotaItem } from "../../api/admission/quota-usage.ts";
import { podQOSClass } from "../../api/registry/defaults/qos.ts";
import { resourceKey } from "../../api/registry/index.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";
import { isRecord } from "../../api/validation/shape.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";
import type { Change } from "../storage/object-store.ts";

const PODS = "pods";
const CLAIMS = "persistentvolumeclaims";
/** Controllers record events as they go; a quota on them must not fail their reconciles. */
const UNCHARGED = (key: string) => key === "events" || key.startsWith("events.");

export class NamespaceAdmission {
  private readonly rt: StoreRuntime;
  private readonly namespace: string;
  /** storage key → object name → charge; undefined until a quota first needs it. */
  private ledger: Map<string, Map<string, QuotaItem>> | undefined;

  constructor(rt: StoreRuntime, namespace: string) {
    this.rt = rt;
    this.namespace = namespace;
  }

  /** Keeps the ledger current; told of every commit. */
  notice(change: Pick<Change, "type" | "resource" | "name" | "object">): void {
    if (!this.ledger) return;
    let items = this.ledger.get(change.resource);
    if (change.type === "DELETED") {
      items?.delete(change.name);
      return;
    }
    if (!items) this.ledger.set(change.resource, (items = new Map()));
    items.set(change.name, quotaItemOf(change.resource, change.object));
  }

  /** Mutates (LimitRange defaults) and validates `object`; throws 403 Forbidden or 422 Invalid. */
  admit(def: ResourceDef, object: KubeObject, old?: KubeObject): void {
    if (!def.namespaced) return;
    const key = resourceKey(def);
    // Updates change a charge only for Services (type, ports) and claims (size).
    if (old && key !== "services" && key !== CLAIMS) return;
    const name = object.metadata.name ?? "";
    if (key === PODS && !old) this.limitPod(def, object, name);
    if (key === CLAIMS) {
      const violations = claimLimitViolations(object, this.list("limitranges"));
      if (violations.length > 0) throw this.forbidden(def, name, aggregateMessage(violations));
    }
    if (UNCHARGED(key)) return;
    const quotas = this.list("resourcequotas");
    if (quotas.length === 0) return;
    const ledger = this.load();
    const message = quotaViolation({
      resource: key,
      object,
      old,
      quotas,
      itemsOf: (resource) => ledger.get(resource)?.values() ?? [],
      now: this.rt.now().getTime(),
    });
    if (message !== undefined) throw this.forbidden(def, name, message);
  }

  private limitPod(def: ResourceDef, pod: KubeObject, name: string): void {
    const ranges = this.list("limitranges");
    if (ranges.length === 0) return;
    if (applyContainerDefaults(pod, ranges) !== undefined) {
      if (isRecord(pod.status)) pod.status.qosClass = podQOSClass(pod.spec);
      // Defaults may contradict what the pod states (a default limit below its request).
      const errors = def.strategy.validate?.(pod) ?? [];
      if (errors.length > 0) throw invalid(def.kind, def.group, name, errors);
    }
    const violations = podLimitViolations(pod, ranges);
    if (violations.length > 0) throw this.forbidden(def, name, aggregateMessage(violations));
  }

  private forbidden(def: ResourceDef, name: string, message: string) {
    const resource = def.group ? `${def.resource}.${def.group}` : def.resource;
    return forbidden(`${resource} "${name}" is forbidden: ${message}`, {
      group: def.group,
      resource: def.resource,
      name,
    });
  }

  /** Quotas and limit ranges, from the store's parsed cache (read on every create: no SQL). */
  private list(key: string): KubeObject[] {
    return this.rt.objects.listParsed(key, this.namespace);
  }

  private load(): Map<string, Map<string, QuotaItem>> {
    if (this.ledger) return this.ledger;
    const ledger = new Map<string, Map<string, QuotaItem>>();
    const anonymous: KubeObject = { metadata: {} };
    for (const row of this.rt.objects.listAll()) {
      if (row.namespace !== this.namespace) continue;
      const evaluated = row.resource === PODS || row.resource === CLAIMS || row.resource === "services";
      const object = evaluated ? (JSON.parse(row.value) as KubeObject) : anonymous;
      let items = ledger.get(row.resource);
      if (!items) ledger.set(row.resource, (items = new Map()));
      items.set(row.name, quotaItemOf(row.resource, object));
    }
    this.ledger = ledger;
    return ledger;
  }
}

/** Interface of the runtime admission needs: the hook the verbs call, and the commit feed. */
interface AdmittingRuntime extends StoreRuntime {
  onCommit: (change: Omit<Change, "rv">) => void;
}

/** Installs admission on a NamespaceStore's runtime (after its controllers took the commit feed). */
export function installAdmission(runtime: AdmittingRuntime, namespace: string): NamespaceAdmission {
  const admission = new NamespaceAdmission(runtime, namespace);
  runtime.admit = (def, object, old) => admission.admit(def, object, old);
  const next = runtime.onCommit;
  runtime.onCommit = (change) => {
    admission.notice(change);
    next(change);
  };
  return admission;
}
