// CPU and memory usage of the node and its containers, for `kubectl top` (metrics.k8s.io).
// CPU is a rate: cumulative CPU time sampled twice, divided by the wall time between.
import { readFileSync } from "node:fs";
import type { NodeMetricsReport } from "../../api/tunnel/protocol.ts";
import type { ContainerRuntime } from "../runtime/types.ts";

/** The first sample has nothing to compare with: measure over this short window. */
const FIRST_WINDOW_MS = 250;
const TICK_NS = 1e9 / 100; // USER_HZ is 100 on Linux

interface CpuSample {
  cpuNs: number;
  at: number;
}

function hostCpu(): CpuSample {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return { cpuNs: (user + nice + system + irq + softirq + steal) * TICK_NS, at: performance.now() };
}

function hostMemoryBytes(): number {
  const text = readFileSync("/proc/meminfo", "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0) * 1024;
  return field("MemTotal") - field("MemAvailable");
}

const rate = (before: CpuSample | undefined, now: CpuSample) =>
  before && now.at > before.at ? ((now.cpuNs - before.cpuNs) / ((now.at - before.at) * 1e6)) * 1e9 : 0;

export class UsageSampler {
  private readonly runtime: ContainerRuntime;
  private lastHost: CpuSample | undefined;
  private readonly lastContainers = new Map<string, CpuSample>();

  constructor(runtime: ContainerRuntime) {
    this.runtime = runtime;
  }

  async sample(): Promise<NodeMetricsReport> {
    if (!this.lastHost) {
      this.lastHost = hostCpu();
      await this.containerCpu(); // prime the containers' first samples too
      await new Promise((resolve) => setTimeout(resolve, FIRST_WINDOW_MS));
    }
    const host = hostCpu();
    const nodeCpu = rate(this.lastHost, host);
    const windowSeconds = Math.max(1, Math.round((host.at - this.lastHost.at) / 1000));
    this.lastHost = host;
    const containers = await this.containerCpu();
    const pods = new Map<string, NodeMetricsReport["pods"][number]>();
    for (const c of containers) {
      const key = `${c.namespace}/${c.pod}`;
      let pod = pods.get(key);
      if (!pod) pods.set(key, (pod = { namespace: c.namespace, name: c.pod, containers: [] }));
      pod.containers.push({ name: c.name, cpuNanoCores: c.cpuNanoCores, memoryBytes: c.memoryBytes });
    }
    return {
      timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      windowSeconds,
      node: { cpuNanoCores: nodeCpu, memoryBytes: hostMemoryBytes() },
      pods: [...pods.values()],
    };
  }

  private async containerCpu() {
    const running = (await this.runtime.listContainers()).filter((c) => c.state === "running" && !c.init);
    const out: Array<{ namespace: string; pod: string; name: string; cpuNanoCores: number; memoryBytes: number }> = [];
    // In parallel: one Docker stats call can take about a second.
    const usages = await Promise.all(running.map((c) => this.runtime.containerUsage(c.id).catch(() => undefined)));
    for (const [i, container] of running.entries()) {
      const usage = usages[i];
      if (!usage) continue;
      const now = { cpuNs: usage.cpuNs, at: performance.now() };
      const cpuNanoCores = rate(this.lastContainers.get(container.id), now);
      this.lastContainers.set(container.id, now);
      out.push({
        namespace: container.pod.namespace,
        pod: container.pod.name,
        name: container.name,
        cpuNanoCores,
        memoryBytes: usage.memoryBytes,
      });
    }
    for (const id of this.lastContainers.keys()) if (!running.some((c) => c.id === id)) this.lastContainers.delete(id);
    return out;
  }
}
