// CPU accounting over a phase, from /proc: how much CPU the server process used per operation
// (robust against a busy machine, unlike rates), and how much the rest of the machine used
// (other processes compete for the same cores and depress every figure measured meanwhile).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;
const CORES = availableParallelism();

/** utime + stime of a process, in ms (NaN if it is gone). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Busy CPU of the whole machine (all cores, steal included), in ms. */
function machineBusyMs(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = values[3] + values[4]; // idle + iowait
  const total = values.reduce((sum, value) => sum + value, 0);
  return ((total - idle) * 1000) / TICKS_PER_SECOND;
}

export interface CpuUsage {
  wallMs: number;
  /** CPU used by the server process(es) measured. */
  serverMs: number;
  /** CPU used by this process (the load generator). */
  benchMs: number;
  /** CPU used by everything else, as a share of the machine's capacity (0–1). */
  othersShare: number;
}

export function startCpuMeter(serverPids: number[]): () => CpuUsage {
  const wall = performance.now();
  const server = serverPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const bench = process.cpuUsage();
  const machine = machineBusyMs();
  return () => {
    const wallMs = performance.now() - wall;
    const serverMs = serverPids.reduce((sum, pid) => sum + processCpuMs(pid), 0) - server;
    const used = process.cpuUsage(bench);
    const benchMs = (used.user + used.system) / 1000;
    const othersMs = Math.max(0, machineBusyMs() - machine - serverMs - benchMs);
    return { wallMs, serverMs, benchMs, othersShare: othersMs / (wallMs * CORES) };
  };
}
