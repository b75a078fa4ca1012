// /proc lookups: whether a pid is still the process we started (pids get reused).
import { readFileSync } from "node:fs";

export interface ProcStat {
  state: string;
  startTime: string;
}

export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at field 3, the state.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return undefined;
  }
}

/** Alive and the same process: not exited, not a zombie, same start time. */
export function isAlive(pid: number, startTime: string | undefined): boolean {
  const stat = procStat(pid);
  if (!stat || stat.state === "Z" || stat.state === "X") return false;
  return startTime === undefined || stat.startTime === startTime;
}

export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
}

/** CPU time (user + system, with waited-for children) and resident memory of a process. */
export function procUsage(pid: number): { cpuNs: number; memoryBytes: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14-17 (utime, stime, cutime, cstime), counted from the state at index 0 = field 3.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return { cpuNs: ticks * 1e7, memoryBytes: Number(rss ?? 0) * 1024 };
  } catch {
    return undefined;
  }
}
