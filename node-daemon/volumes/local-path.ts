// The node's half of the local-path provisioner. Provisioned PVs name their directory under
// LOCAL_PATH_ROOT (/var/lib/flotilla/local-path); each node keeps those directories under its own
// root (`<stateDir>/local-path` by default), so several nodes on one host never share one.
// Directories are created on first mount and removed by a sweep once their PV is gone.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { LOCAL_PATH_ROOT } from "../../api/volumes/provision.ts";
import type { ApiClient } from "../api/client.ts";
import { isNotFound } from "../api/errors.ts";
import type { Logger } from "../log.ts";

/** `pvc-<uid>_<namespace>_<name>`: the PV's name is the part before the first `_`. */
const PROVISIONED_DIRECTORY = /^(pvc-[0-9a-z-]+)_/;

export class LocalPathRoot {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Where a PV's path lives on this node: paths under LOCAL_PATH_ROOT map into this root, others stay. */
  hostPath(pvPath: string): string | undefined {
    if (pvPath !== LOCAL_PATH_ROOT && !pvPath.startsWith(`${LOCAL_PATH_ROOT}/`)) return pvPath;
    const mapped = resolve(this.dir, `.${pvPath.slice(LOCAL_PATH_ROOT.length)}`);
    const rel = relative(this.dir, mapped);
    // `..` in a PV's path must not lead out of the root.
    return rel === "" || rel.startsWith("..") ? undefined : mapped;
  }

  /**
   * Removes provisioned directories whose PV no longer exists (the PV was deleted with its claim),
   * except those `inUse` by a pod here. Answers the directories removed.
   */
  async sweep(api: ApiClient, inUse: ReadonlySet<string>, logger: Logger): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    const removed: string[] = [];
    for (const entry of readdirSync(this.dir)) {
      const volume = PROVISIONED_DIRECTORY.exec(entry)?.[1];
      const path = join(this.dir, entry);
      if (!volume || inUse.has(path)) continue;
      try {
        await api.get(`/api/v1/persistentvolumes/${encodeURIComponent(volume)}`);
        continue;
      } catch (err) {
        if (!isNotFound(err)) continue; // unknown: keep it and ask again next time
      }
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
      logger.info(`removed local-path directory ${entry} (persistentvolume ${volume} is gone)`);
    }
    return removed;
  }
}
