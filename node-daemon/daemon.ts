// The node daemon: turns this host into a node of a cluster. It picks a container runtime,
// registers the Node, renews its Lease every 10 s, watches the pods bound to it and runs them,
// re-adopting what a previous run left running. Stopping it leaves the pods running.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Pod } from "kubernetes-types/core/v1";
import { ApiClient, isLoopbackServer } from "./api/client.ts";
import { realClock } from "./clock.ts";
import type { NodeDaemonOptions } from "./config.ts";
import { Informer } from "./informer/informer.ts";
import { NodePodSource } from "./informer/pod-source.ts";
import { jitteredBackoff } from "./informer/backoff.ts";
import { consoleLogger, errorMessage } from "./log.ts";
import { hostInfo, hostPressure } from "./node/host-info.ts";
import { LEASE_NAMESPACE, LEASE_RENEW_MS, LeaseRenewer } from "./node/lease.ts";
import { nodeLabels } from "./node/node-object.ts";
import { NodeRegistrar } from "./node/registrar.ts";
import { Backoff } from "./pods/crash-backoff.ts";
import type { WorkerDeps } from "./pods/deps.ts";
import { EventRecorder } from "./pods/events.ts";
import { PodManager } from "./pods/manager.ts";
import { ReferenceCache } from "./pods/references.ts";
import { StatusWriter } from "./pods/status-writer.ts";
import { selectRuntime } from "./runtime/select.ts";
import type { ContainerRuntime } from "./runtime/types.ts";
import { VolumeManager } from "./volumes/volumes.ts";
import { ClaimResolver } from "./volumes/claims.ts";
import { LocalPathRoot } from "./volumes/local-path.ts";
import { sleep } from "./clock.ts";
import { shortHash } from "./util/hash.ts";
import { TunnelClient } from "./tunnel/client.ts";
import { RuntimeTunnelHost } from "./tunnel/host.ts";

/** The node's tunnel endpoint on its cluster's API server (https → wss). */
const tunnelUrl = (server: string, node: string) =>
  `${server.replace(/\/$/, "").replace(/^http/, "ws")}/apis/tunnel.flotilla.dev/v1alpha1/nodes/${encodeURIComponent(node)}/connect`;

export interface NodeDaemon {
  readonly nodeName: string;
  readonly runtime: ContainerRuntime;
  readonly statusWriter: StatusWriter;
  /** Stops watching and heart-beating; pods keep running. */
  stop(): Promise<void>;
}

const GiB = 1024 ** 3;

export async function startNodeDaemon(options: NodeDaemonOptions): Promise<NodeDaemon> {
  const clock = options.clock ?? realClock;
  const logger = options.logger ?? consoleLogger(`node ${options.nodeName}`);
  const stopping = new AbortController();
  mkdirSync(options.stateDir, { recursive: true });
  let host = hostInfo(options.stateDir, options.address);

  const runtime = await selectRuntime({
    runtime: options.runtime,
    nodeName: options.nodeName,
    clusterKey: shortHash(options.server.replace(/\/$/, ""), 12),
    hostIP: host.internalIP,
    stateDir: options.stateDir,
    podCIDR: options.podCIDR,
    dockerHost: options.dockerHost,
    clock,
    logger,
  });
  await runtime.init();
  logger.info(`runtime ${runtime.describe()}`);

  const api = new ApiClient({
    server: options.server,
    token: options.token,
    userAgent: `flotilla-node/${options.nodeName}`,
  });
  let notReadyReason: string | undefined;
  const registrar = new NodeRegistrar({
    api,
    clock,
    logger,
    identity: {
      name: options.nodeName,
      labels: nodeLabels(options.nodeName, host, options.labels ?? {}),
      taints: options.taints ?? [],
      podCIDR: (runtime as { podCIDR?: string }).podCIDR,
      runtimeVersion: runtime.version,
    },
    host: () => host,
    pressure: () => hostPressure(options.stateDir),
    notReadyReason: () => notReadyReason,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await registrar.register();
      break;
    } catch (err) {
      if (stopping.signal.aborted) throw err;
      const delay = jitteredBackoff(attempt, { initialMs: 1000, maxMs: 30_000 });
      logger.warn(`registering with ${options.server}: ${errorMessage(err)}; retrying in ${Math.round(delay / 1000)}s`);
      await sleep(clock, delay);
    }
  }
  logger.info(
    `registered with ${options.server} (${host.cpus} CPU, ${(host.memoryBytes / GiB).toFixed(1)} GiB memory, ` +
      `110 pods, InternalIP ${host.internalIP})`,
  );

  const lease = new LeaseRenewer({ api, clock, nodeName: options.nodeName, nodeUid: () => registrar.uid });
  let heartbeatFailing = false;
  const heartbeat = async () => {
    try {
      notReadyReason = await runtime.health();
      await lease.renew();
      host = hostInfo(options.stateDir, options.address);
      await registrar.heartbeat();
      if (heartbeatFailing) logger.info("heartbeat restored");
      heartbeatFailing = false;
    } catch (err) {
      if (!heartbeatFailing) logger.warn(`heartbeat failed: ${errorMessage(err)}`);
      heartbeatFailing = true;
    }
  };
  await heartbeat();
  let cancelHeartbeat: (() => void) | undefined;
  const scheduleHeartbeat = () => {
    if (stopping.signal.aborted) return;
    cancelHeartbeat = clock.setTimer(LEASE_RENEW_MS, () => void heartbeat().finally(scheduleHeartbeat));
  };
  scheduleHeartbeat();
  logger.info(`lease ${LEASE_NAMESPACE}/${options.nodeName} renewed every ${LEASE_RENEW_MS / 1000}s`);

  const refs = new ReferenceCache(api, clock);
  const events = new EventRecorder({ api, clock, logger, nodeName: options.nodeName });
  const statusWriter = new StatusWriter({ api, logger });
  const localPaths = new LocalPathRoot(join(options.stateDir, "local-path"));
  const volumes = new VolumeManager({
    refs,
    logger,
    canMount: process.getuid?.() === 0,
    claims: new ClaimResolver(api, localPaths),
  });
  const deps: WorkerDeps = {
    nodeName: options.nodeName,
    hostIP: host.internalIP,
    api,
    runtime,
    clock,
    logger,
    events,
    statusWriter,
    volumes,
    refs,
    restartBackoff: new Backoff(),
    imageBackoff: new Backoff(),
    allocatable: {
      cpuCores: host.cpus,
      memoryBytes: host.memoryBytes,
      ephemeralStorageBytes: host.ephemeralStorageBytes,
    },
    podsDir: join(options.stateDir, "pods"),
    resyncMs: options.resyncMs ?? 10_000,
  };
  const manager = new PodManager(deps);
  await manager.loadRuntimeState();
  const informer = new Informer<Pod>(
    new NodePodSource(api, options.nodeName, { transport: options.watchTransport, clock, logger }),
    {
      onAdd: (pod) => manager.onAdd(pod),
      onUpdate: (previous, pod) => manager.onUpdate(previous, pod),
      onDelete: (pod) => manager.onDelete(pod),
      onResync: (pods) => {
        manager.onResync(pods);
        // Directories of deleted local-path volumes go on the same period as orphaned pods.
        void localPaths
          .sweep(api, volumes.claimDirectoriesInUse(), logger)
          .catch((err) => logger.warn(`sweeping local-path volumes: ${errorMessage(err)}`));
      },
    },
    { clock, logger, relistMs: options.relistMs },
  );
  informer.start();
  await informer.synced;
  const { adoption } = manager;
  if (adoption.pods > 0)
    logger.info(`re-adopted ${adoption.containers} running containers of ${adoption.pods} pods (not restarted)`);
  logger.info(`watching pods bound to ${options.nodeName} (${manager.size} now)`);

  // logs, exec and metrics reach this node through one outbound WebSocket (no inbound port).
  const tunnel = new TunnelClient({
    url: tunnelUrl(options.server, options.nodeName),
    token: options.token,
    node: options.nodeName,
    host: new RuntimeTunnelHost(runtime, clock),
    insecure: isLoopbackServer(options.server),
    log: (message) => logger.info(message),
  });
  tunnel.start();
  logger.info("ready");

  return {
    nodeName: options.nodeName,
    runtime,
    statusWriter,
    async stop() {
      stopping.abort();
      tunnel.stop();
      cancelHeartbeat?.();
      manager.stop();
      await informer.stop();
      await events.flush();
      await runtime.close();
      await api.close();
    },
  };
}
