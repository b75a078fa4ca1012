// Hollow nodes (kubemark's idea): N fake nodes that register, renew their Leases every 10 s,
// watch the pods bound to them through the per-node feed, report them Running and Ready and
// finish their terminations — without running anything. They load the control plane as real
// node daemons would. A library (tests, benchmarks) and a CLI:
//
//   node bench/hollow-nodes.ts --server https://127.0.0.1:8787 --cluster default --token T --count 10
import { parseArgs } from "node:util";
import { Pool } from "undici";
import WebSocket from "ws";

export interface HollowTaint {
  key: string;
  value?: string;
  effect: string;
}

export interface HollowNodesOptions {
  /** The control plane, e.g. https://127.0.0.1:8787 */
  server: string;
  cluster: string;
  /** A cluster admin's token (registration when no node tokens; the shared feed). */
  token: string;
  /** When given, each node acts with its own credential (role "node"), as a real node would. */
  nodeToken?: (name: string) => Promise<string>;
  count: number;
  prefix?: string;
  /** Explicit names instead of prefix + index. */
  names?: string[];
  capacity?: { cpu: string; memory: string; pods: number };
  labels?: (index: number, name: string) => Record<string, string>;
  taints?: (index: number, name: string) => HollowTaint[];
  leaseIntervalMs?: number;
  /** "per-node": each node watches its own feed (WebSocket); "shared": one watch of every pod. */
  feed?: "per-node" | "shared";
  /** Report bound pods Running/Ready (off: only finish terminations). */
  reportStatus?: boolean;
  /** Requests in flight at once. */
  concurrency?: number;
  log?: (message: string) => void;
}

interface PodLike {
  metadata: { name: string; namespace: string; uid: string; resourceVersion?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: Array<{ name: string; image?: string }> };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}

interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: PodLike & { code?: number };
}

interface HollowNode {
  name: string;
  index: number;
  headers: Record<string, string>;
  alive: boolean;
  ip: string;
  /** Pods (by uid) already reported running, and terminations already finished. */
  reported: Set<string>;
  finishing: Set<string>;
  socket?: WebSocket;
  lastRv?: string;
  podCount: number;
}

const RETRY_MS = 1000;

const timestamp = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, "Z");
const microTime = (date = new Date()) => date.toISOString().replace("Z", "000Z");
const jitter = (ms: number) => ms / 2 + Math.random() * ms;

/** A small counting semaphore: at most `limit` requests in flight. */
class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class HollowNodes {
  readonly stats = { registered: 0, renewals: 0, reported: 0, finished: 0, errors: 0, reconnects: 0 };
  readonly nodes: HollowNode[] = [];
  private readonly options: Required<Omit<HollowNodesOptions, "nodeToken" | "names" | "log">> &
    Pick<HollowNodesOptions, "nodeToken" | "names" | "log">;
  private readonly pool: Pool;
  private readonly limiter: Limiter;
  private readonly byName = new Map<string, HollowNode>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly aborts = new Set<AbortController>();
  private stopped = false;

  constructor(options: HollowNodesOptions) {
    this.options = {
      prefix: "hollow-",
      capacity: { cpu: "4", memory: "16Gi", pods: 110 },
      labels: () => ({}),
      taints: () => [],
      leaseIntervalMs: 10_000,
      feed: options.count > 50 ? "shared" : "per-node",
      reportStatus: true,
      concurrency: 16,
      ...options,
    };
    const url = new URL(options.server);
    this.pool = new Pool(url.origin, {
      connections: this.options.concurrency,
      connect: { rejectUnauthorized: false },
      keepAliveTimeout: 120_000,
      bodyTimeout: 0,
      headersTimeout: 120_000,
    });
    this.limiter = new Limiter(this.options.concurrency);
  }

  private get base(): string {
    return `/clusters/${this.options.cluster}`;
  }

  private adminHeaders(): Record<string, string> {
    return {
      authorization: `Bearer ${this.options.token}`,
      accept: "application/json",
      "content-type": "application/json",
    };
  }

  private async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
    contentType = "application/json",
  ): Promise<{ status: number; json: any }> {
    return this.limiter.run(async () => {
      const response = await this.pool.request({
        method: method as "GET",
        path,
        headers: { ...headers, "content-type": contentType },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.body.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = text;
      }
      return { status: response.statusCode, json };
    });
  }

  /** Registers every node, creates its Lease and starts renewals and pod feeds. */
  async start(): Promise<void> {
    const names =
      this.options.names ?? Array.from({ length: this.options.count }, (_, i) => `${this.options.prefix}${i}`);
    await Promise.all(
      names.map(async (name, index) => {
        const token = this.options.nodeToken ? await this.options.nodeToken(name) : this.options.token;
        const node: HollowNode = {
          name,
          index,
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
          alive: true,
          ip: `10.${64 + ((index >> 16) & 63)}.${(index >> 8) & 255}.${index & 255}`,
          reported: new Set(),
          finishing: new Set(),
          podCount: 0,
        };
        this.nodes.push(node);
        this.byName.set(name, node);
        await this.register(node);
        await this.createLease(node);
        this.stats.registered++;
      }),
    );
    this.nodes.sort((a, b) => a.index - b.index);
    this.scheduleRenewals();
    if (this.options.feed === "shared") void this.sharedFeed();
    else for (const node of this.nodes) void this.nodeFeed(node);
    void this.watchNodes();
  }

  /** The node dies: no more renewals, no reaction to its pods (its daemon is gone). */
  silence(name: string): void {
    const node = this.byName.get(name);
    if (!node) return;
    node.alive = false;
    node.socket?.close();
  }

  /** The node comes back: it reports Ready, renews again and resumes its feed. */
  async revive(name: string): Promise<void> {
    const node = this.byName.get(name);
    if (!node || node.alive) return;
    node.alive = true;
    await this.postStatus(node);
    await this.renew(node);
    if (this.options.feed === "per-node") void this.nodeFeed(node);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const abort of this.aborts) abort.abort();
    for (const node of this.nodes) node.socket?.close();
    await this.pool.close().catch(() => {});
  }

  // ---- registration and heartbeats ----

  private nodeStatus(node: HollowNode): Record<string, unknown> {
    const { cpu, memory, pods } = this.options.capacity;
    const capacity = { cpu, memory, pods: String(pods), "ephemeral-storage": "100Gi" };
    const now = timestamp();
    const condition = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    });
    return {
      capacity,
      allocatable: capacity,
      conditions: [
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
      addresses: [
        { type: "InternalIP", address: node.ip },
        { type: "Hostname", address: node.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: "",
        systemUUID: "",
        bootID: "",
        kernelVersion: "hollow",
        osImage: "Flotilla hollow node",
        containerRuntimeVersion: "hollow://0",
        kubeletVersion: "v1.30.0-hollow",
        kubeProxyVersion: "",
        operatingSystem: "linux",
        architecture: "amd64",
      },
    };
  }

  private async register(node: HollowNode): Promise<void> {
    const labels = {
      "kubernetes.io/hostname": node.name,
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "node.flotilla.dev/hollow": "true",
      ...this.options.labels(node.index, node.name),
    };
    const taints = this.options.taints(node.index, node.name);
    const body = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: node.name, labels },
      spec: taints.length > 0 ? { taints } : {},
      status: this.nodeStatus(node),
    };
    const created = await this.request("POST", `${this.base}/api/v1/nodes`, node.headers, body);
    if (created.status !== 201 && created.status !== 409) {
      throw new Error(`registering ${node.name}: ${created.status} ${JSON.stringify(created.json)}`);
    }
    // Status is written through /status (a create may not keep it).
    await this.postStatus(node);
  }

  private async postStatus(node: HollowNode): Promise<void> {
    const result = await this.request(
      "PATCH",
      `${this.base}/api/v1/nodes/${node.name}/status`,
      node.headers,
      { status: this.nodeStatus(node) },
      "application/merge-patch+json",
    );
    if (result.status !== 200) {
      this.stats.errors++;
      this.options.log?.(`node status ${node.name}: ${result.status} ${JSON.stringify(result.json)}`);
    }
  }

  private leasePath(name?: string): string {
    return `${this.base}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases${name ? `/${name}` : ""}`;
  }

  private async createLease(node: HollowNode): Promise<void> {
    const body = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: node.name },
      spec: { holderIdentity: node.name, leaseDurationSeconds: 40, renewTime: microTime() },
    };
    const result = await this.request("POST", this.leasePath(), node.headers, body);
    if (result.status === 409) await this.renew(node);
    else if (result.status !== 201)
      throw new Error(`lease ${node.name}: ${result.status} ${JSON.stringify(result.json)}`);
  }

  private async renew(node: HollowNode): Promise<void> {
    const result = await this.request(
      "PATCH",
      this.leasePath(node.name),
      node.headers,
      { spec: { renewTime: microTime(), holderIdentity: node.name } },
      "application/merge-patch+json",
    );
    if (result.status === 200) this.stats.renewals++;
    else this.stats.errors++;
  }

  /** Renewals spread over the interval: node i renews at offset i/N of it, every interval. */
  private scheduleRenewals(): void {
    const interval = this.options.leaseIntervalMs;
    const slots = Math.max(1, Math.min(this.nodes.length, Math.ceil(interval / 100)));
    for (let slot = 0; slot < slots; slot++) {
      const members = this.nodes.filter((n) => n.index % slots === slot);
      const tick = () => {
        if (this.stopped) return;
        for (const node of members) if (node.alive) void this.renew(node).catch(() => this.stats.errors++);
        this.later(tick, interval);
      };
      this.later(tick, (interval * slot) / slots + interval);
    }
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  // ---- pods ----

  private podIP(node: HollowNode): string {
    node.podCount++;
    return `10.${128 + ((node.index >> 8) & 127)}.${node.index & 255}.${2 + (node.podCount % 250)}`;
  }

  /** What a kubelet would do about this pod, minus running it. */
  private async handle(node: HollowNode, type: WatchEvent["type"], pod: PodLike): Promise<void> {
    if (!node.alive || type === "DELETED" || type === "BOOKMARK" || type === "ERROR") return;
    const uid = pod.metadata.uid;
    const path = `${this.base}/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`;
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (node.finishing.has(uid)) return;
      node.finishing.add(uid);
      const result = await this.request("DELETE", `${path}?gracePeriodSeconds=0`, node.headers, {
        apiVersion: "v1",
        kind: "DeleteOptions",
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
      if (result.status === 200 || result.status === 404 || result.status === 409) this.stats.finished++;
      else {
        node.finishing.delete(uid);
        this.stats.errors++;
      }
      return;
    }
    if (!this.options.reportStatus) return;
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    if (ready && pod.status?.phase === "Running") {
      node.reported.add(uid);
      return;
    }
    if (node.reported.has(uid) && ready) return;
    node.reported.add(uid);
    const now = timestamp();
    const conditions = ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((t) => ({
      type: t,
      status: "True",
      lastProbeTime: null,
      lastTransitionTime: now,
    }));
    const ip = this.podIP(node);
    const status = {
      phase: "Running",
      conditions,
      hostIP: node.ip,
      hostIPs: [{ ip: node.ip }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image ?? "",
        imageID: "",
        containerID: `hollow://${uid}/${c.name}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    };
    const result = await this.request(
      "PATCH",
      `${path}/status`,
      node.headers,
      { status },
      "application/merge-patch+json",
    );
    if (result.status === 200) this.stats.reported++;
    else if (result.status !== 404) {
      node.reported.delete(uid);
      this.stats.errors++;
    }
  }

  private async list(path: string, headers: Record<string, string>): Promise<{ items: PodLike[]; rv: string }> {
    const result = await this.request("GET", path, headers);
    if (result.status !== 200) throw new Error(`list ${path}: ${result.status}`);
    return { items: result.json.items as PodLike[], rv: String(result.json.metadata.resourceVersion) };
  }

  /** One node's feed over a WebSocket: list, then watch from the list; resume or re-list on loss. */
  private async nodeFeed(node: HollowNode): Promise<void> {
    if (this.stopped || !node.alive) return;
    const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${node.name}`)}`;
    try {
      if (node.lastRv === undefined) {
        const { items, rv } = await this.list(`${this.base}/api/v1/pods?${selector}`, node.headers);
        for (const pod of items) void this.handle(node, "ADDED", pod);
        node.lastRv = rv;
      }
      const url = new URL(
        `${this.base}/api/v1/pods?watch=true&${selector}&resourceVersion=${node.lastRv}`,
        this.options.server,
      );
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const socket = new WebSocket(url, { headers: node.headers, rejectUnauthorized: false });
      node.socket = socket;
      socket.on("message", (data) => {
        const event = JSON.parse(String(data)) as WatchEvent;
        if (event.type === "ERROR") {
          // 410 Expired: re-list.
          node.lastRv = undefined;
          socket.close();
          return;
        }
        if (event.object.metadata?.resourceVersion) node.lastRv = event.object.metadata.resourceVersion;
        void this.handle(node, event.type, event.object).catch(() => this.stats.errors++);
      });
      socket.on("close", () => {
        node.socket = undefined;
        if (this.stopped || !node.alive) return;
        this.stats.reconnects++;
        this.later(() => void this.nodeFeed(node), jitter(RETRY_MS));
      });
      socket.on("error", () => socket.close());
    } catch (err) {
      this.stats.errors++;
      this.options.log?.(`feed ${node.name}: ${String(err)}`);
      this.later(() => void this.nodeFeed(node), jitter(RETRY_MS));
    }
  }

  /** Reads a chunked watch, line by line, until it ends. */
  private async streamWatch(path: string, onEvent: (event: WatchEvent) => void): Promise<void> {
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      const response = await this.pool.request({
        method: "GET",
        path,
        headers: this.adminHeaders(),
        signal: abort.signal,
      });
      if (response.statusCode !== 200) throw new Error(`watch ${path}: ${response.statusCode}`);
      let pending = "";
      for await (const chunk of response.body) {
        pending += (chunk as Buffer).toString("utf8");
        let newline: number;
        while ((newline = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line !== "") onEvent(JSON.parse(line) as WatchEvent);
        }
      }
    } finally {
      this.aborts.delete(abort);
    }
  }

  /** Every pod in one watch, handed to the node it is bound to (large simulations). */
  private async sharedFeed(): Promise<void> {
    let rv: string | undefined;
    while (!this.stopped) {
      try {
        if (rv === undefined) {
          const list = await this.list(`${this.base}/api/v1/pods`, this.adminHeaders());
          for (const pod of list.items) this.dispatch("ADDED", pod);
          rv = list.rv;
        }
        await this.streamWatch(`${this.base}/api/v1/pods?watch=true&resourceVersion=${rv}`, (event) => {
          if (event.type === "ERROR") {
            rv = undefined;
            return;
          }
          if (event.object.metadata?.resourceVersion) rv = event.object.metadata.resourceVersion;
          this.dispatch(event.type, event.object);
        });
      } catch (err) {
        if (this.stopped) return;
        this.stats.errors++;
        this.options.log?.(`shared feed: ${String(err)}`);
      }
      this.stats.reconnects++;
      await new Promise((resolve) => setTimeout(resolve, jitter(RETRY_MS)));
    }
  }

  private dispatch(type: WatchEvent["type"], pod: PodLike): void {
    const node = pod.spec?.nodeName ? this.byName.get(pod.spec.nodeName) : undefined;
    if (node) void this.handle(node, type, pod).catch(() => this.stats.errors++);
  }

  /** A kubelet reports Ready again when the controller marked its node otherwise. */
  private async watchNodes(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.streamWatch(`${this.base}/api/v1/nodes?watch=true`, (event) => {
          const object = event.object as unknown as {
            metadata: { name: string };
            status?: { conditions?: Array<{ type: string; status: string }> };
          };
          const node = this.byName.get(object.metadata?.name);
          const ready = object.status?.conditions?.find((c) => c.type === "Ready")?.status;
          if (node?.alive && event.type === "MODIFIED" && ready !== undefined && ready !== "True")
            void this.postStatus(node);
        });
      } catch {
        if (this.stopped) return;
      }
      await new Promise((resolve) => setTimeout(resolve, jitter(RETRY_MS)));
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: "string", default: process.env.FLOTILLA_SERVER ?? "https://127.0.0.1:8787" },
      cluster: { type: "string", default: "default" },
      token: { type: "string" },
      count: { type: "string", default: "10" },
      prefix: { type: "string", default: "hollow-" },
      feed: { type: "string" },
      cpu: { type: "string", default: "4" },
      memory: { type: "string", default: "16Gi" },
      pods: { type: "string", default: "110" },
    },
  });
  if (!values.token) throw new Error("--token (a cluster admin token) is required");
  const hollow = new HollowNodes({
    server: values.server!,
    cluster: values.cluster!,
    token: values.token,
    count: Number(values.count),
    prefix: values.prefix,
    capacity: { cpu: values.cpu!, memory: values.memory!, pods: Number(values.pods) },
    ...(values.feed === "shared" || values.feed === "per-node" ? { feed: values.feed } : {}),
    log: (message) => console.error(message),
  });
  await hollow.start();
  console.log(`${hollow.nodes.length} hollow nodes registered in cluster ${values.cluster}; Ctrl-C to stop`);
  const report = setInterval(() => console.log(JSON.stringify(hollow.stats)), 10_000);
  const stop = async () => {
    clearInterval(report);
    await hollow.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
