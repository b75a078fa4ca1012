// Picks and builds the container runtime: docker when asked or when a Docker engine answers,
// the process runtime otherwise (isolated per pod when running as root).
import { join } from "node:path";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { DockerClient } from "./docker/client.ts";
import { DockerRuntime } from "./docker/runtime.ts";
import { Cgroups } from "./process/cgroups.ts";
import { BridgeNetwork, defaultPodCIDR } from "./process/network.ts";
import { ProcessRuntime } from "./process/runtime.ts";
import type { ContainerRuntime, RuntimeName } from "./types.ts";
import { shortHash } from "../util/hash.ts";

export interface RuntimeChoice {
  runtime?: RuntimeName;
  nodeName: string;
  /** Identifies the cluster (a hash of its URL): nodes of two clusters may share a host and a name. */
  clusterKey: string;
  hostIP: string;
  stateDir: string;
  podCIDR?: string;
  dockerHost?: string;
  clock: Clock;
  logger: Logger;
}

async function dockerAnswers(docker: DockerClient): Promise<boolean> {
  if (!docker.plausible) return false;
  try {
    await docker.negotiate();
    return true;
  } catch {
    return false;
  }
}

export async function selectRuntime(choice: RuntimeChoice): Promise<ContainerRuntime> {
  const { clock, logger } = choice;
  if (choice.runtime !== "process") {
    const docker = new DockerClient(choice.dockerHost);
    if (choice.runtime === "docker" || (await dockerAnswers(docker)))
      return new DockerRuntime({
        nodeName: choice.nodeName,
        clusterKey: choice.clusterKey,
        hostIP: choice.hostIP,
        clock,
        logger,
        docker,
      });
    await docker.close();
  }
  const root = process.getuid?.() === 0;
  if (!root)
    logger.warn(
      "not running as root: the process runtime runs pods in the host's network (they share its ports) and does not mount volumes",
    );
  const dir = join(choice.stateDir, "runtime", "process");
  const nodeKey = shortHash(`${choice.clusterKey}/${choice.nodeName}`, 6);
  return new ProcessRuntime({
    nodeKey,
    hostIP: choice.hostIP,
    dir,
    clock,
    logger,
    network: root
      ? new BridgeNetwork({
          nodeKey,
          cidr: choice.podCIDR ?? defaultPodCIDR(nodeKey),
          stateDir: dir,
          logger,
        })
      : undefined,
    cgroups: root ? Cgroups.detect(`flotilla`) : undefined,
    isolateMounts: root,
  });
}
