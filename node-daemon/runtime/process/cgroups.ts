// Resource limits for host processes (best effort, root only): a cgroup per container with
// memory and CPU limits, on cgroup v2 or the v1 memory/cpu hierarchies. The cgroup also finds
// every process a container started, so stopping it leaves nothing behind.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CgroupLimits {
  memoryLimitBytes?: number;
  cpuLimitMillis?: number;
  cpuRequestMillis?: number;
}

const ROOT = "/sys/fs/cgroup";
const CPU_PERIOD_US = 100_000;

const tryWrite = (path: string, value: string) => {
  try {
    writeFileSync(path, value);
    return true;
  } catch {
    return false;
  }
};

const tryRead = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};

export class Cgroups {
  readonly version: 1 | 2;
  private readonly group: string;

  private constructor(version: 1 | 2, group: string) {
    this.version = version;
    this.group = group;
  }

  /** Undefined when cgroups cannot be managed here (not root, or no usable hierarchy). */
  static detect(group = "flotilla"): Cgroups | undefined {
    if (process.getuid?.() !== 0) return undefined;
    if (existsSync(join(ROOT, "cgroup.controllers"))) {
      const base = join(ROOT, group);
      try {
        mkdirSync(base, { recursive: true });
      } catch {
        return undefined;
      }
      tryWrite(join(ROOT, "cgroup.subtree_control"), "+memory +cpu +pids");
      tryWrite(join(base, "cgroup.subtree_control"), "+memory +cpu +pids");
      return new Cgroups(2, group);
    }
    if (existsSync(join(ROOT, "memory", "memory.limit_in_bytes"))) return new Cgroups(1, group);
    return undefined;
  }

  /** Directories of the container's cgroup (one per v1 hierarchy). */
  pathsFor(key: string): string[] {
    if (this.version === 2) return [join(ROOT, this.group, key)];
    return ["memory", "cpu", "pids"]
      .map((controller) => join(ROOT, controller))
      .filter((dir) => existsSync(dir))
      .map((dir) => join(dir, this.group, key));
  }

  /** Creates the cgroup with its limits; answers the cgroup.procs files the shim joins. */
  create(key: string, limits: CgroupLimits): { paths: string[]; procs: string[] } {
    const paths = this.pathsFor(key);
    for (const path of paths) mkdirSync(path, { recursive: true });
    if (this.version === 2) {
      const [path] = paths;
      if (limits.memoryLimitBytes) tryWrite(join(path, "memory.max"), String(limits.memoryLimitBytes));
      if (limits.cpuLimitMillis)
        tryWrite(
          join(path, "cpu.max"),
          `${Math.round((limits.cpuLimitMillis * CPU_PERIOD_US) / 1000)} ${CPU_PERIOD_US}`,
        );
      if (limits.cpuRequestMillis)
        tryWrite(
          join(path, "cpu.weight"),
          String(Math.max(1, Math.min(10_000, Math.round(limits.cpuRequestMillis / 10)))),
        );
    } else {
      for (const path of paths) {
        if (path.includes("/memory/") && limits.memoryLimitBytes)
          tryWrite(join(path, "memory.limit_in_bytes"), String(limits.memoryLimitBytes));
        if (path.includes("/cpu/")) {
          if (limits.cpuLimitMillis) {
            tryWrite(join(path, "cpu.cfs_period_us"), String(CPU_PERIOD_US));
            tryWrite(
              join(path, "cpu.cfs_quota_us"),
              String(Math.round((limits.cpuLimitMillis * CPU_PERIOD_US) / 1000)),
            );
          }
          if (limits.cpuRequestMillis)
            tryWrite(
              join(path, "cpu.shares"),
              String(Math.max(2, Math.floor((limits.cpuRequestMillis * 1024) / 1000))),
            );
        }
      }
    }
    return { paths, procs: paths.map((path) => join(path, "cgroup.procs")) };
  }

  /** Every process still in the cgroup. */
  pids(paths: string[]): number[] {
    const pids = new Set<number>();
    for (const path of paths) {
      for (const line of tryRead(join(path, "cgroup.procs")).split("\n")) if (line.trim()) pids.add(Number(line));
    }
    return [...pids];
  }

  /** Whether the kernel's OOM killer struck inside the cgroup. */
  oomKilled(paths: string[]): boolean {
    for (const path of paths) {
      const text =
        this.version === 2 ? tryRead(join(path, "memory.events")) : tryRead(join(path, "memory.oom_control"));
      const match = /^oom_kill (\d+)$/m.exec(text);
      if (match && Number(match[1]) > 0) return true;
    }
    return false;
  }

  remove(paths: string[]): void {
    for (const path of paths) {
      try {
        rmdirSync(path);
      } catch {
        // Still populated or already gone.
      }
    }
  }
}
