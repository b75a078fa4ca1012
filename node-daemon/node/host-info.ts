// What the host offers and is: CPUs, memory, disk, addresses, OS and kernel, machine identity.
import { existsSync, readFileSync, readdirSync, statfsSync } from "node:fs";
import os from "node:os";

export interface HostInfo {
  hostname: string;
  cpus: number;
  memoryBytes: number;
  /** Filesystem holding the daemon's state (pod volumes and logs). */
  ephemeralStorageBytes: number;
  internalIP: string;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
}

export interface HostPressure {
  memoryAvailableBytes: number;
  diskAvailableBytes: number;
  diskTotalBytes: number;
  pids: number;
  pidMax: number;
}

const readTrimmed = (path: string) => {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
};

/** Go's GOARCH names, as Kubernetes labels use them. */
export function goArch(nodeArch: string = process.arch): string {
  const names: Record<string, string> = { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm", ppc64: "ppc64le" };
  return names[nodeArch] ?? nodeArch;
}

/** Bridges and veths of container runtimes (ours, Docker's, CNI's) are not the host's address. */
const VIRTUAL_INTERFACE = /^(docker|br-|veth|vf|flt|cni|flannel|cali|virbr|lo)/;

/** The first non-internal IPv4 address (the one other hosts would reach us at). */
export function defaultAddress(): string {
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    if (VIRTUAL_INTERFACE.test(name)) continue;
    for (const address of addresses ?? []) {
      if (address.family === "IPv4" && !address.internal) return address.address;
    }
  }
  return "127.0.0.1";
}

function osImage(): string {
  const release = readTrimmed("/etc/os-release");
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release);
  return match ? match[1] : `${os.type()} ${os.release()}`;
}

export function hostInfo(stateDir: string, address?: string): HostInfo {
  const disk = diskOf(stateDir);
  const machineID = readTrimmed("/etc/machine-id") || readTrimmed("/var/lib/dbus/machine-id");
  return {
    hostname: os.hostname(),
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    memoryBytes: os.totalmem(),
    ephemeralStorageBytes: disk.total,
    internalIP: address ?? defaultAddress(),
    kernelVersion: os.release(),
    osImage: osImage(),
    operatingSystem: os.platform(),
    architecture: goArch(),
    machineID,
    systemUUID: readTrimmed("/sys/class/dmi/id/product_uuid") || machineID,
    bootID: readTrimmed("/proc/sys/kernel/random/boot_id"),
  };
}

function diskOf(path: string): { total: number; available: number } {
  let dir = path;
  while (!existsSync(dir) && dir !== "/") dir = dir.replace(/\/[^/]*\/?$/, "") || "/";
  try {
    const stats = statfsSync(dir);
    return { total: stats.blocks * stats.bsize, available: stats.bavail * stats.bsize };
  } catch {
    return { total: 0, available: 0 };
  }
}

function memoryAvailable(): number {
  const match = /^MemAvailable:\s+(\d+) kB$/m.exec(readTrimmed("/proc/meminfo"));
  return match ? Number(match[1]) * 1024 : os.freemem();
}

export function hostPressure(stateDir: string): HostPressure {
  const disk = diskOf(stateDir);
  let pids = 0;
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).length;
  } catch {
    // Not Linux: no pid accounting.
  }
  return {
    memoryAvailableBytes: memoryAvailable(),
    diskAvailableBytes: disk.available,
    diskTotalBytes: disk.total,
    pids,
    pidMax: Number(readTrimmed("/proc/sys/kernel/pid_max")) || 32768,
  };
}
