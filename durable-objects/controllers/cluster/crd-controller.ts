// CustomResourceDefinitions: a new CRD is marked NamesAccepted and Established (its resource
// is served from then on); a deleted one first loses every object of its resource (the
// cleanup finalizer), then goes.
import { formatTimestamp } from "../../../api/lifecycle/object-meta.ts";
import { CRD_KEY, crdSpecOf } from "../../../api/crd/resource-defs.ts";
import { CRD_CLEANUP_FINALIZER } from "../../../api/registry/kinds/apiextensions.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";

const RETRY_MS = 1000;

/** Deletes the objects of `resource` in every namespace that has some; answers how many remain. */
export type DeleteCustomObjects = (resource: string) => Promise<number>;

export class CrdController implements Controller {
  readonly name = "crd-controller";
  private readonly deleteObjects: DeleteCustomObjects;

  constructor(deleteObjects: DeleteCustomObjects) {
    this.deleteObjects = deleteObjects;
  }

  keysFor(change: ChangeNotice): string[] {
    return change.resource === CRD_KEY && change.type !== "DELETED" ? [change.name] : [];
  }

  initialKeys(objects: ControllerContext["objects"]): string[] {
    return objects.list(CRD_KEY).map((crd) => crd.metadata.name ?? "");
  }

  async reconcile(name: string, ctx: ControllerContext): Promise<void> {
    const crd = ctx.objects.get(CRD_KEY, name);
    if (!crd) return;
    if (crd.metadata.deletionTimestamp) return this.cleanUp(crd, ctx);
    const status = establishedStatus(crd, ctx.now());
    if (JSON.stringify(conditionTypes(crd)) !== JSON.stringify(conditionTypes({ ...crd, status }))) {
      ctx.objects.updateStatus(CRD_KEY, { ...crd, status });
    }
  }

  private async cleanUp(crd: KubeObject, ctx: ControllerContext): Promise<void> {
    const spec = crdSpecOf(crd);
    const remaining = await this.deleteObjects(`${spec.names.plural}.${spec.group}`);
    const current = ctx.objects.get(CRD_KEY, crd.metadata.name ?? "");
    if (!current || current.metadata.uid !== crd.metadata.uid) return;
    if (remaining > 0) {
      ctx.requeueAfter(RETRY_MS);
      return;
    }
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    ctx.objects.update(CRD_KEY, { ...current, metadata: { ...current.metadata, finalizers } });
  }
}

const conditionTypes = (crd: KubeObject) =>
  ((crd.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).map(
    (c) => `${c.type}=${c.status}`,
  );

function establishedStatus(crd: KubeObject, now: Date) {
  const spec = crdSpecOf(crd);
  const time = formatTimestamp(now);
  return {
    conditions: [
      {
        type: "NamesAccepted",
        status: "True",
        reason: "NoConflicts",
        message: "no conflicts found",
        lastTransitionTime: time,
      },
      {
        type: "Established",
        status: "True",
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
        lastTransitionTime: time,
      },
    ],
    acceptedNames: {
      ...spec.names,
      listKind: spec.names.listKind ?? `${spec.names.kind}List`,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    },
    storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
  };
}
