// An in-memory store for the StatefulSet and DaemonSet unit tests: the ObjectWriter's verbs
// under the API's lifecycle rules (defaulting, validation, generation, graceful pod deletion),
// an injected clock, recorded events and requeues, and the kubelet's part.
import { notFound } from "../../api/errors.ts";
import { prepareCreate } from "../../api/lifecycle/create.ts";
import { decideDelete, shouldFinishDeletion, type DeleteOptions } from "../../api/lifecycle/delete.ts";
import { prepareUpdate } from "../../api/lifecycle/update.ts";
import { findByKey } from "../../api/registry/index.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Pod } from "../../api/controllers/common/types.ts";
import type { FailedPodBackoffs } from "../../api/controllers/daemonset/manage.ts";
import type { ObjectAccess, WorkloadWorld } from "../../api/controllers/history/world.ts";

export const T0 = Date.parse("2026-03-01T12:00:00Z");
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export class MemoryStore implements ObjectAccess, WorkloadWorld {
  clock = T0;
  private uids = 0;
  private seed = 1;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  readonly events: string[] = [];
  readonly requeues: number[] = [];
  readonly backoff: FailedPodBackoffs = { remaining: () => undefined, next: () => {} };
  /** Every write, in order ("create pods web-0", "delete pods web-1", …). */
  readonly log: string[] = [];

  get objects(): ObjectAccess {
    return this;
  }

  private table(key: string): Map<string, KubeObject> {
    let t = this.tables.get(key);
    if (!t) this.tables.set(key, (t = new Map()));
    return t;
  }

  private readonly random = () => {
    this.seed = (this.seed * 16807) % 2147483647;
    return this.seed / 2147483647;
  };

  now = () => new Date(this.clock);

  get(key: string, name: string): KubeObject | undefined {
    const obj = this.table(key).get(name);
    return obj ? structuredClone(obj) : undefined;
  }

  list(key: string): KubeObject[] {
    return [...this.table(key).values()].map((o) => structuredClone(o));
  }

  create(key: string, body: KubeObject): KubeObject | undefined {
    this.clock += 1000; // distinct creation timestamps, in order
    const obj = prepareCreate(findByKey(key)!, structuredClone(body), "default", {
      now: new Date(this.clock),
      newUid: () => `uid-${++this.uids}`,
      random: this.random,
    });
    if (this.table(key).has(obj.metadata.name!)) return undefined;
    this.table(key).set(obj.metadata.name!, obj);
    this.log.push(`create ${key} ${obj.metadata.name}`);
    return structuredClone(obj);
  }

  private write(key: string, body: KubeObject, target: "main" | "status"): KubeObject {
    const def = findByKey(key)!;
    const name = body.metadata.name ?? "";
    const old = this.table(key).get(name);
    if (!old) throw notFound({ group: def.group, resource: def.resource, name });
    const { object } = prepareUpdate(def, structuredClone(body), old, target);
    if (shouldFinishDeletion(object)) this.table(key).delete(name);
    else this.table(key).set(name, object);
    return structuredClone(object);
  }

  update(key: string, body: KubeObject): KubeObject {
    this.log.push(`update ${key} ${body.metadata.name}`);
    return this.write(key, body, "main");
  }

  updateStatus(key: string, body: KubeObject): KubeObject {
    return this.write(key, body, "status");
  }

  delete(key: string, name: string, options: DeleteOptions = {}): boolean {
    const current = this.table(key).get(name);
    if (!current) return false;
    this.log.push(`delete ${key} ${name}`);
    const decision = decideDelete(findByKey(key)!, current, options, new Date(this.clock));
    if (decision.action === "delete") this.table(key).delete(name);
    else if (decision.action === "update") this.table(key).set(name, decision.object);
    return true;
  }

  recordEvent = (_: KubeObject, type: string, reason: string, message: string) => {
    this.events.push(`${type} ${reason} ${message}`);
  };

  requeueAfter = (ms: number) => {
    this.requeues.push(ms);
  };

  // ---- the kubelet's part ----

  pods(): Pod[] {
    return (this.list("pods") as Pod[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  podNames(): string[] {
    return this.pods().map((p) => p.metadata.name!);
  }

  /** The pod Running and Ready (or not ready), as its kubelet would report. */
  setReady(name: string, ready = true): void {
    const pod = this.get("pods", name) as Pod;
    pod.status = {
      ...pod.status,
      phase: "Running",
      conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: iso(this.clock) }],
    };
    this.updateStatus("pods", pod);
  }

  setPhase(name: string, phase: string): void {
    const pod = this.get("pods", name) as Pod;
    pod.status = { ...pod.status, phase };
    this.updateStatus("pods", pod);
  }

  /** Every pod not ready becomes Running and Ready. */
  readyAll(): void {
    for (const pod of this.pods()) {
      const ready = (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
      if (!ready && !pod.metadata.deletionTimestamp) this.setReady(pod.metadata.name!);
    }
  }

  /** Finishes graceful deletions (the kubelet's confirmation). */
  finishDeletions(): void {
    for (const pod of this.pods())
      if (pod.metadata.deletionTimestamp) this.delete("pods", pod.metadata.name!, { gracePeriodSeconds: 0 });
  }

  /** Binds a pod to a node (the scheduler's part). */
  bind(name: string, node: string): void {
    const pod = this.table("pods").get(name)!;
    (pod.spec as { nodeName?: string }).nodeName = node;
  }

  /** Stores an object as is (fixtures: nodes, pre-existing pods). */
  put(key: string, obj: KubeObject): KubeObject {
    const created = this.create(key, obj);
    if (!created) throw new Error(`${key} ${obj.metadata.name} exists`);
    return created;
  }
}
