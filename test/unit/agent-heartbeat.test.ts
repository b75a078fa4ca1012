import { describe, expect, it } from "vitest";
import type { Probe } from "../../api/federation/cluster-health.ts";
import type { MemberCluster } from "../../api/federation/types.ts";
import type { ApiClient } from "../../node-daemon/api/client.ts";
import { ApiError } from "../../node-daemon/api/errors.ts";
import { ManualClock } from "../../node-daemon/clock.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { AGENT_HEARTBEAT_ANNOTATION, Heartbeat } from "../../federation-agent/heartbeat.ts";
import type { MemberClient } from "../../federation-agent/member-client.ts";

const PATH = "/apis/cluster.karmada.io/v1alpha1/clusters/edge";

/** The federation's Cluster endpoint, in memory; `down` makes every call fail as a dead network would. */
class FakeFederation {
  cluster: MemberCluster | undefined;
  down = false;
  calls: string[] = [];
  private rv = 1;

  private check(what: string) {
    this.calls.push(what);
    if (this.down) throw new TypeError("fetch failed: connect ECONNREFUSED");
  }

  async get(path: string) {
    this.check(`GET ${path}`);
    if (!this.cluster) throw new ApiError(404, "not found", "NotFound");
    return structuredClone(this.cluster);
  }

  async post(path: string, body: MemberCluster) {
    this.check(`POST ${path}`);
    this.cluster = { ...structuredClone(body), metadata: { ...body.metadata, resourceVersion: String(this.rv++) } };
    return structuredClone(this.cluster);
  }

  async put(path: string, body: MemberCluster) {
    this.check(`PUT ${path}`);
    if (body.metadata.resourceVersion !== this.cluster?.metadata.resourceVersion)
      throw new ApiError(409, "conflict", "Conflict");
    this.cluster = {
      ...this.cluster!,
      status: body.status,
      metadata: { ...this.cluster!.metadata, resourceVersion: String(this.rv++) },
    };
    return structuredClone(this.cluster);
  }

  async mergePatch(path: string, patch: { metadata: { annotations?: Record<string, string> }; spec?: object }) {
    this.check(`PATCH ${path}`);
    const c = this.cluster!;
    c.metadata = {
      ...c.metadata,
      annotations: { ...c.metadata.annotations, ...patch.metadata.annotations },
      resourceVersion: String(this.rv++),
    };
    if (patch.spec) c.spec = { ...c.spec, ...patch.spec };
    return structuredClone(c);
  }
}

const ready: Probe = { outcome: "ready", kubernetesVersion: "v1.31.0", nodes: [], pods: [] };

function setup() {
  const clock = new ManualClock(Date.parse("2026-03-01T10:00:00Z"));
  const federation = new FakeFederation();
  let probe: Probe = ready;
  const member = { probe: async () => probe } as unknown as MemberClient;
  const stop = new AbortController();
  const heartbeat = new Heartbeat({
    federation: federation as unknown as ApiClient,
    member,
    clusterName: "edge",
    registration: { region: "eu" },
    clock,
    logger: silentLogger,
    signal: stop.signal,
    random: () => 0.5,
  });
  return { clock, federation, heartbeat, stop, setProbe: (p: Probe) => (probe = p) };
}

const readyCondition = (c: MemberCluster | undefined) => c?.status?.conditions?.find((x) => x.type === "Ready");

describe("Heartbeat", () => {
  it("registers the Cluster, reports it Ready and stamps it, every 10 s", async () => {
    const { clock, federation, heartbeat, stop } = setup();
    heartbeat.start();
    await clock.advance(0);
    expect(federation.calls).toEqual([
      `GET ${PATH}`,
      "POST /apis/cluster.karmada.io/v1alpha1/clusters",
      `PATCH ${PATH}`,
      `PUT ${PATH}/status`,
    ]);
    expect(federation.cluster?.spec).toEqual({ syncMode: "Pull", region: "eu" });
    expect(readyCondition(federation.cluster)).toMatchObject({ status: "True", reason: "ClusterReady" });
    expect(federation.cluster?.status?.kubernetesVersion).toBe("v1.31.0");
    expect(federation.cluster?.metadata.annotations?.[AGENT_HEARTBEAT_ANNOTATION]).toBe("2026-03-01T10:00:00Z");

    await clock.advance(10_000);
    expect(federation.cluster?.metadata.annotations?.[AGENT_HEARTBEAT_ANNOTATION]).toBe("2026-03-01T10:00:10Z");
    stop.abort();
    await heartbeat.stopped();
    expect(clock.pending).toBe(0);
  });

  it("keeps a member that stops answering Ready for the grace period, then reports it unreachable and tainted", async () => {
    const { clock, federation, heartbeat, stop, setProbe } = setup();
    heartbeat.start();
    await clock.advance(0);
    setProbe({ outcome: "unreachable", message: "cluster is not reachable: ECONNREFUSED" });
    await clock.advance(30_000);
    expect(readyCondition(federation.cluster)?.status).toBe("True");
    expect(federation.cluster?.spec?.taints ?? []).toEqual([]);
    await clock.advance(20_000);
    expect(readyCondition(federation.cluster)).toMatchObject({ status: "False", reason: "ClusterNotReachable" });
    expect(federation.cluster?.spec?.taints).toEqual([
      { key: "cluster.karmada.io/unreachable", effect: "NoSchedule", timeAdded: expect.any(String) },
    ]);

    setProbe(ready);
    await clock.advance(10_000);
    expect(readyCondition(federation.cluster)?.status).toBe("True");
    expect(federation.cluster?.spec?.taints).toEqual([]);
    stop.abort();
    await heartbeat.stopped();
  });

  it("retries a federation it cannot reach with backoff, and reports again once it is back", async () => {
    const { clock, federation, heartbeat, stop } = setup();
    federation.down = true;
    heartbeat.start();
    const start = clock.now();
    const attempts: number[] = [];
    const original = federation.get.bind(federation);
    federation.get = async (path: string) => {
      attempts.push(clock.now() - start);
      return original(path);
    };
    await clock.advance(20_000);
    // 1 s, 2 s, 4 s, 8 s, then never longer than the heartbeat period.
    expect(attempts).toEqual([0, 1000, 3000, 7000, 15_000]);
    federation.down = false;
    await clock.advance(10_000);
    expect(readyCondition(federation.cluster)?.status).toBe("True");
    stop.abort();
    await heartbeat.stopped();
    expect(clock.pending).toBe(0);
  });

  it("does not report for a Cluster registered in Push mode", async () => {
    const { clock, federation, heartbeat, stop } = setup();
    federation.cluster = {
      apiVersion: "cluster.karmada.io/v1alpha1",
      kind: "Cluster",
      metadata: { name: "edge", resourceVersion: "1" },
      spec: { syncMode: "Push", apiEndpoint: "https://edge.example" },
    };
    heartbeat.start();
    await clock.advance(0);
    expect(federation.calls).toEqual([`GET ${PATH}`]);
    expect(federation.cluster.status).toBeUndefined();
    stop.abort();
    await heartbeat.stopped();
  });
});
