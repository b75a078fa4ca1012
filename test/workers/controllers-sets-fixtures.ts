// Shared by the StatefulSet and DaemonSet workerd suites: driving a NamespaceStore's alarm, a
// stand-in kubelet (PUT pods/status Running + Ready, and finishing graceful deletions), and
// the clock (Vitest's fake Date moves the stores' clocks too: they share the isolate).
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Pod } from "../../api/controllers/common/types.ts";
import { vi } from "vitest";
import { expectStatus, type Client } from "./helpers.ts";

export const NS = "default";
export const PODS = `/api/v1/namespaces/${NS}/pods`;
export const REVISIONS = `/apis/apps/v1/namespaces/${NS}/controllerrevisions`;

export const storeOf = (c: Client, ns = NS) =>
  env.NAMESPACE_STORE.get(env.NAMESPACE_STORE.idFromName(`${c.cluster}/${ns}`));

export const isReady = (pod: Pod) =>
  (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
export const isActive = (pod: Pod) =>
  !pod.metadata.deletionTimestamp && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";

export async function pods(c: Client, query = ""): Promise<Pod[]> {
  return (await c.mustList<Pod>(PODS, query)).items;
}

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The kubelet's part: terminating pods are deleted for good, and up to `max` active pods that are
 * not ready become Running and Ready (those matching `only`, if given). Answers how many it marked.
 */
export async function kubelet(
  c: Client,
  options: { max?: number; only?: (pod: Pod) => boolean } = {},
): Promise<number> {
  let marked = 0;
  for (const pod of await pods(c)) {
    const name = pod.metadata.name ?? "";
    if (pod.metadata.deletionTimestamp) {
      const result = await c.delete(`${PODS}/${name}`, "?gracePeriodSeconds=0");
      if (result.status !== 200 && result.status !== 404) expectStatus(result, 200, `kubelet: finish deleting ${name}`);
      continue;
    }
    if (marked >= (options.max ?? Infinity) || !isActive(pod) || isReady(pod)) continue;
    if (options.only && !options.only(pod)) continue;
    const now = stamp();
    pod.status = {
      ...pod.status,
      phase: "Running",
      conditions: [
        { type: "Initialized", status: "True", lastTransitionTime: now },
        { type: "Ready", status: "True", lastTransitionTime: now },
        { type: "ContainersReady", status: "True", lastTransitionTime: now },
        { type: "PodScheduled", status: "True", lastTransitionTime: now },
      ],
    };
    const result = await c.update(`${PODS}/${name}/status`, pod);
    if (result.status === 409 || result.status === 404) continue; // changed or gone meanwhile
    expectStatus(result, 200, `kubelet: status of ${name}`);
    marked += 1;
  }
  return marked;
}

/** Runs the store's alarm until `done()` holds (alarms may also fire on their own). */
export async function driveUntil(c: Client, done: () => Promise<boolean>, what: string, attempts = 60): Promise<void> {
  const stub = storeOf(c);
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(stub);
  }
  if (await done()) return;
  throw new Error(`controllers did not reach: ${what}`);
}

/** Alarm, kubelet, alarm … until `done()` holds. */
export async function driveWithKubelet(
  c: Client,
  done: () => Promise<boolean>,
  what: string,
  options: { max?: number; steps?: number } = {},
): Promise<void> {
  const stub = storeOf(c);
  for (let i = 0; i < (options.steps ?? 80); i++) {
    await runDurableObjectAlarm(stub);
    if (await done()) return;
    await kubelet(c, { max: options.max ?? 1 });
  }
  throw new Error(`controllers did not reach: ${what}`);
}

/** Freezes the clock at `ms`, a whole second (ahead of real time, so alarms wait for the test). */
export function setClock(ms: number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Math.ceil(ms / 1000) * 1000);
}

export const advanceClock = (ms: number) => vi.setSystemTime(Date.now() + ms);
