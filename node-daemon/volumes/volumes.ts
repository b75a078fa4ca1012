// A pod's volumes on the node: emptyDir (on disk or tmpfs), configMap, secret, downwardAPI,
// projected, hostPath and persistentVolumeClaim (claims.ts resolves the claim's volume to a
// directory of this node). Directories follow kubelet's layout under the pod's directory,
// pods/<uid>/volumes/<plugin>/<name>; ConfigMap/Secret/downward contents are rewritten
// atomically whenever they change.
import type { Container, Pod, Volume, VolumeProjection } from "kubernetes-types/core/v1";
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tryParseQuantity } from "../../api/validation/quantity.ts";
import type { Logger } from "../log.ts";
import { fieldValue, type PodAddresses } from "../pods/downward.ts";
import { expand } from "../pods/env.ts";
import { configMapBytes, secretBytes, type ReferenceCache } from "../pods/references.ts";
import { resourceFieldValue, type NodeAllocatable } from "../pods/resources.ts";
import type { Mount } from "../runtime/types.ts";
import { run, tryRun } from "../util/exec-file.ts";
import { validatePayloadPath, writeAtomically, type FileEntry } from "./atomic-writer.ts";
import { ClaimError, type ClaimResolver } from "./claims.ts";

/** A volume could not be set up (kubelet's FailedMount). */
export class MountError extends Error {
  readonly volume: string;
  constructor(volume: string, message: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
    this.name = "MountError";
    this.volume = volume;
  }
}

const PLUGIN: Record<string, string> = {
  emptyDir: "kubernetes.io~empty-dir",
  configMap: "kubernetes.io~configmap",
  secret: "kubernetes.io~secret",
  downwardAPI: "kubernetes.io~downward-api",
  projected: "kubernetes.io~projected",
};

/** Each volume's host path, and which volumes are mounted read-only whatever the volumeMount says. */
export class VolumePaths extends Map<string, string> {
  readonly readOnly = new Set<string>();
}

export interface VolumeContext {
  pod: Pod;
  podDir: string;
  addresses: PodAddresses;
  node: NodeAllocatable;
}

export class VolumeManager {
  private readonly refs: ReferenceCache;
  private readonly logger: Logger;
  private readonly canMount: boolean;
  private readonly claims: ClaimResolver | undefined;
  /** `podDir \0 volume` → the claim's directory: resolved once per pod (a bound claim keeps its volume). */
  private readonly claimPaths = new Map<string, string>();

  constructor(options: { refs: ReferenceCache; logger: Logger; canMount: boolean; claims?: ClaimResolver }) {
    this.refs = options.refs;
    this.logger = options.logger;
    this.canMount = options.canMount;
    this.claims = options.claims;
  }

  /** Directories of claims that pods on this node use (the local-path sweep leaves them alone). */
  claimDirectoriesInUse(): Set<string> {
    return new Set(this.claimPaths.values());
  }

  private pathOf(podDir: string, volume: Volume): string | undefined {
    if (volume.hostPath) return volume.hostPath.path;
    const plugin = Object.keys(PLUGIN).find((key) => (volume as unknown as Record<string, unknown>)[key] !== undefined);
    return plugin ? join(podDir, "volumes", PLUGIN[plugin], volume.name) : undefined;
  }

  /** Sets up (or refreshes) every volume; answers each volume's host path. */
  async setUp(context: VolumeContext): Promise<VolumePaths> {
    const paths = new VolumePaths();
    for (const volume of context.pod.spec?.volumes ?? []) {
      paths.set(volume.name, await this.setUpVolume(volume, context));
      if (volume.persistentVolumeClaim?.readOnly) paths.readOnly.add(volume.name);
    }
    return paths;
  }

  private async claimPath(volume: Volume, context: VolumeContext): Promise<string> {
    const key = `${context.podDir}\0${volume.name}`;
    const known = this.claimPaths.get(key);
    if (known !== undefined) return known;
    if (!this.claims) throw new MountError(volume.name, "persistentVolumeClaim volumes are not supported by this node");
    try {
      const path = await this.claims.hostPath(
        context.pod.metadata?.namespace ?? "",
        volume.persistentVolumeClaim?.claimName ?? "",
      );
      this.claimPaths.set(key, path);
      return path;
    } catch (err) {
      if (err instanceof ClaimError) throw new MountError(volume.name, err.message);
      throw err;
    }
  }

  private async setUpVolume(volume: Volume, context: VolumeContext): Promise<string> {
    if (volume.persistentVolumeClaim) return this.claimPath(volume, context);
    const path = this.pathOf(context.podDir, volume);
    if (path === undefined) {
      const kind = Object.keys(volume).find((key) => key !== "name") ?? "unknown";
      throw new MountError(volume.name, `${kind} volumes are not supported by this node`);
    }
    if (volume.emptyDir) {
      if (!existsSync(path)) {
        mkdirSync(path, { recursive: true, mode: 0o777 });
        if (volume.emptyDir.medium === "Memory") await this.mountTmpfs(path, volume);
      }
      return path;
    }
    if (volume.hostPath) {
      checkHostPath(volume.name, path, volume.hostPath.type ?? "");
      return path;
    }
    const payload = await this.payload(volume, context);
    writeAtomically(path, payload);
    return path;
  }

  private async mountTmpfs(path: string, volume: Volume): Promise<void> {
    if (!this.canMount) {
      this.logger.debug(`emptyDir ${volume.name} (medium Memory) is a plain directory without root`);
      return;
    }
    const limit = tryParseQuantity(volume.emptyDir?.sizeLimit);
    const size = limit ? `,size=${Math.ceil(limit)}` : "";
    try {
      await run("mount", ["-t", "tmpfs", "-o", `mode=0777${size}`, "tmpfs", path]);
    } catch (err) {
      throw new MountError(volume.name, (err as Error).message);
    }
  }

  private async payload(volume: Volume, context: VolumeContext): Promise<Map<string, FileEntry>> {
    const payload = new Map<string, FileEntry>();
    if (volume.configMap || volume.secret || volume.downwardAPI) {
      const source = volume.configMap ?? volume.secret ?? volume.downwardAPI!;
      await this.project(volume.name, volume as VolumeProjection, source.defaultMode ?? 0o644, context, payload);
      return payload;
    }
    const projected = volume.projected!;
    for (const source of projected.sources ?? []) {
      await this.project(volume.name, source, projected.defaultMode ?? 0o644, context, payload);
    }
    return payload;
  }

  /** One source's files into `payload` (a volume of its own, or one of a projected volume's sources). */
  private async project(
    volumeName: string,
    source: VolumeProjection,
    defaultMode: number,
    context: VolumeContext,
    payload: Map<string, FileEntry>,
  ): Promise<void> {
    const namespace = context.pod.metadata?.namespace ?? "";
    const put = (path: string, data: Buffer, mode?: number) => {
      const problem = validatePayloadPath(path);
      if (problem) throw new MountError(volumeName, problem);
      payload.set(path, { data, mode: mode ?? defaultMode });
    };
    if (source.configMap || source.secret) {
      const isSecret = source.secret !== undefined;
      const ref = (source.secret ?? source.configMap)!;
      const name = isSecret ? ((ref as { secretName?: string; name?: string }).secretName ?? ref.name) : ref.name;
      const secret = isSecret ? await this.refs.secret(namespace, name ?? "") : null;
      const configMap = isSecret ? null : await this.refs.configMap(namespace, name ?? "");
      if (!secret && !configMap) {
        if (ref.optional) return;
        throw new MountError(volumeName, `${isSecret ? "secret" : "configmap"} "${name}" not found`);
      }
      const bytes = secret ? secretBytes(secret) : configMapBytes(configMap!);
      if (ref.items && ref.items.length > 0) {
        for (const item of ref.items) {
          const data = bytes.get(item.key);
          if (!data) {
            if (ref.optional) continue;
            throw new MountError(
              volumeName,
              `${isSecret ? "secret" : "configmap"} references non-existent config key: ${item.key}`,
            );
          }
          put(item.path, data, item.mode);
        }
      } else for (const [key, data] of bytes) put(key, data);
      return;
    }
    if (source.downwardAPI) {
      for (const item of source.downwardAPI.items ?? []) {
        let value: string | undefined;
        if (item.fieldRef) value = fieldValue(context.pod, item.fieldRef.fieldPath, context.addresses);
        else if (item.resourceFieldRef) {
          const container = [...(context.pod.spec?.containers ?? []), ...(context.pod.spec?.initContainers ?? [])].find(
            (c) => c.name === item.resourceFieldRef?.containerName,
          );
          if (container)
            value = resourceFieldValue(
              container,
              item.resourceFieldRef.resource,
              item.resourceFieldRef.divisor,
              context.node,
            );
        }
        if (value === undefined) throw new MountError(volumeName, `unsupported downward API field in ${item.path}`);
        put(item.path, Buffer.from(value, "utf8"), item.mode);
      }
      return;
    }
    if (source.serviceAccountToken) {
      this.logger.debug(
        `${namespace}/${context.pod.metadata?.name}: serviceAccountToken projections are not issued yet`,
      );
      return;
    }
    if (source.clusterTrustBundle) throw new MountError(volumeName, "clusterTrustBundle projections are not supported");
  }

  /** Host mounts for a container's volumeMounts (subPath and subPathExpr resolved). */
  mountsFor(
    container: Container,
    volumePaths: Map<string, string>,
    env: Array<{ name: string; value: string }>,
  ): Mount[] {
    const vars = new Map(env.map((e) => [e.name, e.value]));
    return (container.volumeMounts ?? []).map((mount) => {
      const base = volumePaths.get(mount.name);
      if (base === undefined) throw new MountError(mount.name, `volume "${mount.name}" is not defined`);
      const sub = mount.subPathExpr ? expand(mount.subPathExpr, vars) : (mount.subPath ?? "");
      let hostPath = base;
      if (sub !== "") {
        if (sub.startsWith("/") || sub.split("/").includes(".."))
          throw new MountError(mount.name, `invalid subPath "${sub}"`);
        hostPath = join(base, sub);
        if (!existsSync(hostPath)) mkdirSync(hostPath, { recursive: true, mode: 0o777 });
        // A subPath of a ConfigMap/Secret volume is the file itself (it does not follow updates).
        hostPath = realpathSync(hostPath);
      }
      const readOnly =
        mount.readOnly === true || (volumePaths instanceof VolumePaths && volumePaths.readOnly.has(mount.name));
      return { hostPath, containerPath: mount.mountPath, readOnly };
    });
  }

  /** Removes the pod's volumes (unmounting tmpfs first). */
  async tearDown(podDir: string): Promise<void> {
    for (const key of [...this.claimPaths.keys()]) if (key.startsWith(`${podDir}\0`)) this.claimPaths.delete(key);
    const emptyDirs = join(podDir, "volumes", PLUGIN.emptyDir);
    if (existsSync(emptyDirs)) {
      for (const name of readdirSync(emptyDirs)) await tryRun("umount", [join(emptyDirs, name)]);
    }
    rmSync(join(podDir, "volumes"), { recursive: true, force: true });
  }
}

function checkHostPath(volume: string, path: string, type: string): void {
  const stat = existsSync(path) ? statSync(path) : undefined;
  const fail = (what: string) => {
    throw new MountError(volume, `hostPath type check failed: ${path} is not ${what}`);
  };
  switch (type) {
    case "DirectoryOrCreate":
      if (!stat) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (!stat.isDirectory()) fail("a directory");
      return;
    case "FileOrCreate":
      if (!stat) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, "", { mode: 0o644 });
      } else if (!stat.isFile()) fail("a file");
      return;
    case "Directory":
      if (!stat?.isDirectory()) fail("a directory");
      return;
    case "File":
      if (!stat?.isFile()) fail("a file");
      return;
    case "Socket":
      if (!stat?.isSocket()) fail("a socket file");
      return;
    case "CharDevice":
      if (!stat?.isCharacterDevice()) fail("a character device");
      return;
    case "BlockDevice":
      if (!stat?.isBlockDevice()) fail("a block device");
      return;
    default:
      return;
  }
}
