// The namespace controller: a Terminating namespace is emptied (its NamespaceStore deletes
// everything, honouring finalizers), its conditions say what remains, and once empty it goes.
import type { KubeObject } from "../../../api/types.ts";
import { deepEqual } from "../../../api/lifecycle/object-meta.ts";
import { phaseOf, remainingCount, terminatingConditions, type RemainingContent } from "../../namespaces/lifecycle.ts";
import type { Controller, ControllerContext } from "../framework.ts";

const NAMESPACES = "namespaces";
const RETRY_MS = 2000;

/** Empties a namespace's store; answers what remains (held by finalizers, or pods still terminating). */
export type TerminateNamespace = (namespace: string) => Promise<RemainingContent>;

export class NamespaceController implements Controller {
  readonly name = "namespace-controller";
  private readonly terminate: TerminateNamespace;
  private readonly wipe: (namespace: string) => Promise<void>;

  constructor(terminate: TerminateNamespace, wipe: (namespace: string) => Promise<void>) {
    this.terminate = terminate;
    this.wipe = wipe;
  }

  keysFor(change: { resource: string; name: string; object: KubeObject }): string[] {
    return change.resource === NAMESPACES && phaseOf(change.object) === "Terminating" ? [change.name] : [];
  }

  initialKeys(objects: ControllerContext["objects"]): string[] {
    return objects
      .list(NAMESPACES)
      .filter((ns) => phaseOf(ns) === "Terminating")
      .map((ns) => ns.metadata.name ?? "");
  }

  async reconcile(name: string, ctx: ControllerContext): Promise<void> {
    const before = ctx.objects.get(NAMESPACES, name);
    if (!before || phaseOf(before) !== "Terminating") return;
    const content = await this.terminate(name);
    const remaining = remainingCount(content);
    // Re-read after the await: the namespace may have changed meanwhile.
    const current = ctx.objects.get(NAMESPACES, name);
    if (!current || current.metadata.uid !== before.metadata.uid) return;
    if (remaining === 0) {
      // The emptied store forgets everything (its history too): a namespace re-created later starts fresh.
      await this.wipe(name);
      const latest = ctx.objects.get(NAMESPACES, name);
      if (latest && latest.metadata.uid === before.metadata.uid) ctx.objects.delete(NAMESPACES, name);
      return;
    }
    const conditions = terminatingConditions(content, ctx.now());
    // Written only when what they say changes (not for a new transition time alone).
    const previous = (current.status as { conditions?: Array<Record<string, unknown>> } | undefined)?.conditions ?? [];
    const said = (list: Array<Record<string, unknown>>) => list.map(({ lastTransitionTime: _, ...rest }) => rest);
    if (!deepEqual(said(previous), said(conditions))) {
      ctx.objects.updateStatus(NAMESPACES, { ...current, status: { phase: "Terminating", conditions } });
    }
    ctx.requeueAfter(RETRY_MS);
  }
}
