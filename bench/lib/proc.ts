// Process facts from /proc: the workerd child Miniflare spawned, and its resident set size.
import { readdirSync, readFileSync } from "node:fs";

function statusField(pid: number, field: string): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    return new RegExp(`^${field}:\\s*(.*)$`, "m").exec(text)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** Live children of `parent` whose command name is `name`. */
export function childPids(parent: number, name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (statusField(pid, "PPid") === String(parent) && statusField(pid, "Name") === name) pids.push(pid);
  }
  return pids;
}

/** The workerd process serving a runtime started after `before` was taken (childPids(process.pid, "workerd")). */
export function newWorkerdPid(before: number[]): number | undefined {
  return childPids(process.pid, "workerd").find((pid) => !before.includes(pid));
}

/** Resident set size in bytes (VmRSS), or NaN if the process is gone. */
export function rssBytes(pid: number): number {
  const value = statusField(pid, "VmRSS");
  const match = value && /^(\d+)\s*kB$/.exec(value);
  return match ? Number(match[1]) * 1024 : NaN;
}
