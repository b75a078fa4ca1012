// `flotilla agent`: a Pull-mode member's agent. It runs next to the member, dials out to the
// federation (which cannot reach the member), applies the Works the federation writes for this
// member, reports their status, and keeps the member's Cluster alive with a heartbeat. Either
// side may come and go: every loop retries forever with jittered backoff.
import { ApiClient } from "../node-daemon/api/client.ts";
import { realClock, type Clock } from "../node-daemon/clock.ts";
import { Informer } from "../node-daemon/informer/informer.ts";
import { consoleLogger, type Logger } from "../node-daemon/log.ts";
import type { Work } from "../api/federation/types.ts";
import type { Connection, Registration } from "./config.ts";
import { Heartbeat } from "./heartbeat.ts";
import { MemberClient } from "./member-client.ts";
import { WorkSource } from "./work-source.ts";
import { WorkSync } from "./work-sync.ts";

export interface FederationAgentOptions {
  /** The federation's URL (https://host/clusters/<federation>) and a token of its admin. */
  federation: Connection;
  /** The member's API server, as its kubeconfig says. */
  member: Connection;
  /** The member's name in the federation. */
  clusterName: string;
  /** Where the member is, for the Cluster the agent registers when there is none. */
  registration?: Registration;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  /** Overrides of the periods (tests). */
  timing?: {
    heartbeatMs?: number;
    relistMs?: number;
    settlingMs?: number;
    steadyMs?: number;
  };
}

export interface FederationAgent {
  /** Stops every loop and timer and closes both connections. */
  stop(): Promise<void>;
  /** Timers still scheduled by the Work controller (a stopped agent has none). */
  readonly scheduledTimers: number;
}

/** Karmada's agent re-lists its Works this often, repairing anything a watch missed. */
const RELIST_MS = 30_000;

export function startFederationAgent(options: FederationAgentOptions): FederationAgent {
  const clock = options.clock ?? realClock;
  const logger = options.logger ?? consoleLogger(`agent ${options.clusterName}`);
  const stopping = new AbortController();
  const signal = stopping.signal;
  const random = options.random;
  const timing = options.timing ?? {};

  const federation = new ApiClient({ ...options.federation, connections: 8, userAgent: "flotilla-agent" });
  const member = new MemberClient(options.member, { clock, signal });

  const heartbeat = new Heartbeat({
    federation,
    member,
    clusterName: options.clusterName,
    registration: options.registration,
    clock,
    logger,
    signal,
    random,
    periodMs: timing.heartbeatMs,
  });
  const sync = new WorkSync({
    federation,
    member,
    clock,
    logger,
    signal,
    random,
    settlingMs: timing.settlingMs,
    steadyMs: timing.steadyMs,
  });
  const informer = new Informer<Work>(new WorkSource(federation, options.clusterName), sync, {
    clock,
    logger,
    what: "Work",
    relistMs: timing.relistMs ?? RELIST_MS,
    random,
  });

  logger.info(`pulling Works for cluster ${options.clusterName} from ${federation.server} into ${member.server}`);
  heartbeat.start();
  sync.start();
  informer.start();

  let stopped: Promise<void> | undefined;
  return {
    get scheduledTimers() {
      return sync.scheduled;
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await Promise.all([informer.stop(), sync.stop(), heartbeat.stopped()]);
        await Promise.all([federation.close(), member.close()]);
      })();
      return stopped;
    },
  };
}
