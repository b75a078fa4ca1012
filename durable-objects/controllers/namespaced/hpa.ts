// The horizontal pod autoscaler in a NamespaceStore: every 15 s each HPA reads its target's
// scale and pods here, the pods' usage from the nodes they run on (their tunnels answer what
// metrics.k8s.io serves), and sets the target's spec.replicas. Recommendations and recent scale
// events are kept in memory and, when the store provides it, in its meta table: a Durable Object
// may be evicted between two syncs, and a history lost at every sync would never let it scale down.
import { matchesLabels } from "../../../api/selectors/labels.ts";
import { podMetricsFrom } from "../../../api/controllers/hpa/pod-metrics.ts";
import { rescaleFailed, syncAutoscaler } from "../../../api/controllers/hpa/sync.ts";
import { scaleTargetOf, type ScaleTarget } from "../../../api/controllers/hpa/target.ts";
import type { AutoscalerHistory } from "../../../api/controllers/hpa/normalize.ts";
import type { Pod } from "../../../api/controllers/common/types.ts";
import type { CrossVersionObjectReference } from "kubernetes-types/autoscaling/v2";
import type { NodeMetricsReport } from "../../../api/tunnel/protocol.ts";
import type { KubeObject } from "../../../api/types.ts";
import { nodeTunnel, type Env } from "../../env.ts";
import type { ChangeNotice, ClusterReader, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const HPAS = "horizontalpodautoscalers.autoscaling";
const PODS = "pods";
/** Kubernetes' --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_MS = 15_000;
/** HPAs syncing close together share a node's report. */
const REPORT_TTL_MS = 5_000;
/** A node that does not answer by then counts as reporting nothing (the tunnel itself gives up after 5 s). */
const REPORT_TIMEOUT_MS = 6_000;

const refOf = (hpa: KubeObject) =>
  ((hpa.spec as { scaleTargetRef?: CrossVersionObjectReference } | undefined)?.scaleTargetRef ?? {
    kind: "",
    name: "",
  }) as CrossVersionObjectReference;

/** A node's current usage report through its tunnel; undefined when it does not answer. */
export async function fetchNodeMetrics(
  env: Env,
  cluster: string,
  node: string,
): Promise<NodeMetricsReport | undefined> {
  try {
    const response = await nodeTunnel(env, cluster, node).fetch(
      new Request("https://tunnel.flotilla.internal/metrics"),
    );
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return (await response.json()) as NodeMetricsReport;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** Where the store keeps small controller state across evictions (its meta key-value table). */
export interface HistoryMemory {
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  deleteMeta(key: string): void;
}

const memoryKey = (name: string) => `hpa-history:${name}`;

/** Gives the store's HPA controllers a place to keep their history across evictions. */
export function withHistoryMemory(controllers: Controller[], memory: HistoryMemory): Controller[] {
  for (const controller of controllers) {
    if (controller instanceof HorizontalPodAutoscalerController) controller.useMemory(memory);
  }
  return controllers;
}

function podsOf(objects: ObjectWriter, target: ScaleTarget | { error: string }): Pod[] {
  if ("error" in target) return [];
  return (objects.list(PODS) as Pod[]).filter((pod) => matchesLabels(target.selector, pod.metadata.labels));
}

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = "horizontal-pod-autoscaler";
  private readonly histories = new Map<string, AutoscalerHistory>();
  private memory: HistoryMemory | undefined;
  /** Last seen spec of each HPA: only spec changes (not our own status writes) wake a sync early. */
  private readonly specs = new Map<string, string>();
  private readonly reports = new Map<string, { at: number; report: Promise<NodeMetricsReport | undefined> }>();

  /** The nodes' usage reports, fetched at most once per REPORT_TTL_MS per node. */
  private async reportsOf(reader: ClusterReader, nodes: string[], now: number): Promise<NodeMetricsReport[]> {
    if (!reader.nodeMetrics || nodes.length === 0) return [];
    const ask = (node: string) => reader.nodeMetrics!(node);
    for (const [node, cached] of this.reports) if (now - cached.at > REPORT_TTL_MS) this.reports.delete(node);
    const answers = await Promise.all(
      nodes.map((node) => {
        let cached = this.reports.get(node);
        if (!cached) this.reports.set(node, (cached = { at: now, report: withTimeout(ask(node), REPORT_TIMEOUT_MS) }));
        return cached.report;
      }),
    );
    return answers.filter((report): report is NodeMetricsReport => report !== undefined);
  }

  useMemory(memory: HistoryMemory): void {
    this.memory = memory;
  }

  private history(name: string): AutoscalerHistory | undefined {
    const known = this.histories.get(name);
    if (known || !this.memory) return known;
    const saved = this.memory.getMeta(memoryKey(name));
    if (saved === undefined) return undefined;
    try {
      return JSON.parse(saved) as AutoscalerHistory;
    } catch {
      return undefined;
    }
  }

  private remember(name: string, history: AutoscalerHistory | undefined): void {
    if (history) this.histories.set(name, history);
    else this.histories.delete(name);
    if (!this.memory) return;
    if (history) this.memory.setMeta(memoryKey(name), JSON.stringify(history));
    else this.memory.deleteMeta(memoryKey(name));
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource !== HPAS) return [];
    if (change.type === "DELETED") {
      this.specs.delete(change.name);
      this.remember(change.name, undefined);
      return [];
    }
    const spec = JSON.stringify(change.object.spec ?? null);
    if (this.specs.get(change.name) === spec) return [];
    this.specs.set(change.name, spec);
    return [change.name];
  }

  initialKeys(objects: ObjectWriter): string[] {
    return objects.list(HPAS).map((hpa) => {
      this.specs.set(hpa.metadata.name ?? "", JSON.stringify(hpa.spec ?? null));
      return hpa.metadata.name ?? "";
    });
  }

  async reconcile(name: string, ctx: ControllerContext): Promise<void> {
    const objects = ctx.objects;
    const first = objects.get(HPAS, name);
    if (!first) {
      this.remember(name, undefined);
      return;
    }
    ctx.requeueAfter(HPA_SYNC_MS);
    // Ask the nodes of the target's pods for their usage, then decide on fresh state.
    const before = scaleTargetOf(refOf(first), (resource, n) => objects.get(resource, n));
    const nodes = new Set<string>();
    for (const pod of podsOf(objects, before)) {
      if (pod.spec?.nodeName) nodes.add(pod.spec.nodeName);
    }
    const reports = await this.reportsOf(ctx.clusterReader, [...nodes].sort(), ctx.now().getTime());

    const hpa = objects.get(HPAS, name);
    if (!hpa || hpa.metadata.uid !== first.metadata.uid) return;
    const target = scaleTargetOf(refOf(hpa), (resource, n) => objects.get(resource, n));
    const pods = podsOf(objects, target);
    const now = ctx.now();
    let output = syncAutoscaler({
      hpa,
      target,
      pods,
      metrics: podMetricsFrom(reports, ctx.namespace, new Set(pods.map((pod) => pod.metadata.name ?? ""))),
      history: this.history(name),
      now,
    });
    this.remember(name, output.history);
    if (output.scaleTo !== undefined && !("error" in target)) {
      try {
        const spec = (target.object.spec ?? {}) as Record<string, unknown>;
        objects.update(target.resource, { ...target.object, spec: { ...spec, replicas: output.scaleTo } });
      } catch (err) {
        output = rescaleFailed(output, hpa, err instanceof Error ? err.message : String(err), now);
      }
    }
    objects.updateStatus(HPAS, { ...hpa, status: output.status });
    for (const event of output.events) ctx.recordEvent(hpa, event.type, event.reason, event.message);
  }
}
