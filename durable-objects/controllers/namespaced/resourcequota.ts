// The resource quota controller in a NamespaceStore: keeps each ResourceQuota's status.hard
// (from spec.hard) and status.used (what the namespace's objects charge now) current. Admission
// does not rely on this status (it counts from the store at commit time); this is what
// `kubectl describe quota` shows. A pod wakes the quotas only when its charge changes.
import { quotaItemOf, usageSignature, type QuotaItem } from "../../../api/admission/quota-usage.ts";
import { deepEqual } from "../../../api/lifecycle/object-meta.ts";
import { computeQuotaStatus, quotaSources } from "../../../api/controllers/quota/status.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const QUOTAS = "resourcequotas";
const PODS = "pods";
/** Kubernetes' --resource-quota-sync-period: a full recount now and then, whatever happened. */
const RESYNC_MS = 5 * 60_000;

export class ResourceQuotaController implements Controller {
  readonly name = "resourcequota-controller";
  /** Quota name → its spec.hard as text (a status write by us changes nothing here). */
  private readonly quotas = new Map<string, string>();
  private readonly podCharges = new Map<string, string>();

  private all(): string[] {
    return [...this.quotas.keys()];
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === QUOTAS) {
      if (change.type === "DELETED") {
        this.quotas.delete(change.name);
        return this.all(); // a quota may count quotas
      }
      const spec = JSON.stringify(change.object.spec ?? null);
      const known = this.quotas.has(change.name);
      if (known && this.quotas.get(change.name) === spec) return [];
      this.quotas.set(change.name, spec);
      return known ? [change.name] : this.all();
    }
    if (change.resource === PODS) {
      const charge = change.type === "DELETED" ? undefined : usageSignature(quotaItemOf(PODS, change.object));
      if (this.podCharges.get(change.name) === charge) return [];
      if (charge === undefined) this.podCharges.delete(change.name);
      else this.podCharges.set(change.name, charge);
      return this.all();
    }
    // Other objects: only their existence counts, except Services and claims whose charge can change.
    if (change.type === "MODIFIED" && change.resource !== "services" && change.resource !== "persistentvolumeclaims")
      return [];
    if (change.resource === "events" || change.resource.startsWith("events.")) return [];
    return this.all();
  }

  initialKeys(objects: ObjectWriter): string[] {
    for (const quota of objects.list(QUOTAS))
      this.quotas.set(quota.metadata.name ?? "", JSON.stringify(quota.spec ?? null));
    return this.all();
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const objects = ctx.objects;
    const quota = objects.get(QUOTAS, name);
    if (!quota) return;
    const items = new Map<string, QuotaItem[]>();
    for (const source of quotaSources(quota)) {
      let listed: QuotaItem[] = [];
      try {
        listed = objects.list(source).map((object) => quotaItemOf(source, object));
      } catch {
        listed = []; // a kind this store does not know (yet): nothing of it to count
      }
      items.set(source, listed);
    }
    const now = ctx.now().getTime();
    const result = computeQuotaStatus(quota, (source) => items.get(source) ?? [], now);
    if (!deepEqual(result.status, quota.status ?? {}))
      objects.updateStatus(QUOTAS, { ...quota, status: result.status });
    ctx.requeueAfter(result.recheckAt !== undefined ? Math.min(RESYNC_MS, result.recheckAt - now) : RESYNC_MS);
  }
}
