// The agent's heartbeat, Karmada's cluster status controller run from inside the member's
// network: every 10 s probe the member, write the federation's Cluster status from it, and stamp
// the Cluster with the time — the federation takes a Pull member whose stamp is older than 40 s
// for unreachable. The Cluster is registered on first contact when it does not exist yet, as
// `karmadactl register` does.
import { clusterHealth, PROBE_INTERVAL_MS, type Probe } from "../api/federation/cluster-health.ts";
import { AGENT_HEARTBEAT_ANNOTATION, type MemberCluster } from "../api/federation/types.ts";
import type { ApiClient } from "../node-daemon/api/client.ts";
import { isConflict, isNotFound } from "../node-daemon/api/errors.ts";
import { formatTime, sleep, type Clock } from "../node-daemon/clock.ts";
import { jitteredBackoff, jitteredPeriod } from "../node-daemon/informer/backoff.ts";
import { errorMessage, type Logger } from "../node-daemon/log.ts";
import type { Registration } from "./config.ts";
import type { MemberClient } from "./member-client.ts";

export { AGENT_HEARTBEAT_ANNOTATION };

const CLUSTERS_PATH = "/apis/cluster.karmada.io/v1alpha1/clusters";
const CONFLICT_RETRIES = 5;

/** The Cluster object the agent registers: a Pull member, where the flags say it is. */
export function registrationManifest(name: string, registration: Registration = {}): MemberCluster {
  const { region, zone, provider, labels } = registration;
  return {
    apiVersion: "cluster.karmada.io/v1alpha1",
    kind: "Cluster",
    metadata: { name, ...(labels && Object.keys(labels).length > 0 ? { labels } : {}) },
    spec: {
      syncMode: "Pull",
      ...(provider ? { provider } : {}),
      ...(region ? { region } : {}),
      ...(zone ? { zone } : {}),
    },
  };
}

export interface HeartbeatOptions {
  federation: ApiClient;
  member: MemberClient;
  clusterName: string;
  registration?: Registration;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  random?: () => number;
  periodMs?: number;
}

export class Heartbeat {
  private readonly options: HeartbeatOptions;
  private readonly path: string;
  /** When the member's probes started failing (undefined: the last one succeeded). */
  private failingSince: number | undefined;
  private failures = 0;
  private warnedPush = false;
  private running: Promise<void> | undefined;

  constructor(options: HeartbeatOptions) {
    this.options = options;
    this.path = `${CLUSTERS_PATH}/${encodeURIComponent(options.clusterName)}`;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Resolves once the loop has ended (the caller aborts the signal first). */
  stopped(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    const { clock, logger, signal } = this.options;
    const period = this.options.periodMs ?? PROBE_INTERVAL_MS;
    while (!signal.aborted) {
      let delay = jitteredPeriod(period, 0.1, this.options.random);
      try {
        await this.beat();
        if (this.failures > 0) logger.info("reporting to the federation again");
        this.failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        this.failures++;
        // The federation is down or unreachable: try sooner at first, never more often than backoff allows.
        delay = Math.min(
          delay,
          jitteredBackoff(this.failures, { initialMs: 1000, maxMs: period, random: this.options.random }),
        );
        logger.warn(`heartbeat failed (${errorMessage(err)}); retrying in ${(delay / 1000).toFixed(1)}s`);
      }
      await sleep(clock, delay, signal);
    }
  }

  /** One report: probe, then the Cluster's heartbeat stamp (and taints, when they change), then its status. */
  async beat(): Promise<void> {
    const { federation, member, clock, signal } = this.options;
    const probe: Probe = await member.probe();
    const now = clock.now();
    if (probe.outcome === "ready") this.failingSince = undefined;
    else this.failingSince ??= now;

    let cluster: MemberCluster | undefined = await this.registered();
    if (cluster.spec?.syncMode !== "Pull") {
      if (!this.warnedPush)
        this.options.logger.warn(
          `Cluster ${this.options.clusterName} is registered in Push mode; not reporting for it`,
        );
      this.warnedPush = true;
      return;
    }
    this.warnedPush = false;
    for (let attempt = 0; cluster && attempt < CONFLICT_RETRIES; attempt++) {
      const result = clusterHealth({
        status: cluster.status,
        taints: cluster.spec?.taints,
        probe,
        failingSince: this.failingSince,
        now,
      });
      try {
        // The stamp first, then the status: whoever sees this report's Ready sees a fresh stamp.
        const taintsChanged = JSON.stringify(result.taints) !== JSON.stringify(cluster.spec?.taints ?? []);
        const stamped: MemberCluster = await federation.mergePatch(
          this.path,
          {
            metadata: {
              annotations: { [AGENT_HEARTBEAT_ANNOTATION]: formatTime(now) },
              // Conditional on what the taints were computed from: a concurrent change wins, and the next beat redoes it.
              ...(taintsChanged ? { resourceVersion: cluster.metadata.resourceVersion } : {}),
            },
            ...(taintsChanged ? { spec: { taints: result.taints } } : {}),
          },
          { signal },
        );
        await federation.put(`${this.path}/status`, { ...stamped, status: result.status }, { signal });
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      cluster = await this.read();
    }
  }

  private async read(): Promise<MemberCluster | undefined> {
    try {
      return await this.options.federation.get<MemberCluster>(this.path, { signal: this.options.signal });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The member's Cluster, registered first when missing. */
  private async registered(): Promise<MemberCluster> {
    const existing = await this.read();
    if (existing) return existing;
    const { federation, clusterName, registration, signal, logger } = this.options;
    try {
      const created: MemberCluster = await federation.post(
        CLUSTERS_PATH,
        registrationManifest(clusterName, registration),
        { signal },
      );
      logger.info(`registered Cluster ${clusterName} (syncMode Pull) in the federation`);
      return created;
    } catch (err) {
      if (!isConflict(err)) throw err;
      // Someone registered it meanwhile.
      const raced = await this.read();
      if (!raced) throw err;
      return raced;
    }
  }
}
