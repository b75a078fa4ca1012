// Pod networking for the process runtime when it runs as root, CNI-bridge style: a Linux bridge
// per node with the subnet's first address, and per pod a network namespace joined to it by a
// veth pair, an address from the subnet (host-local allocation on disk) and a default route.
// Several pods can then listen on the same port, and the host reaches each at its pod IP.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../log.ts";
import { run, tryRun } from "../../util/exec-file.ts";
import { shortHash } from "../../util/hash.ts";

export interface Subnet {
  network: number;
  prefix: number;
}

const toInt = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
const toIP = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

export function parseCIDR(cidr: string): Subnet {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!match) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const prefix = Number(match[2]);
  if (prefix < 8 || prefix > 28) throw new Error(`pod CIDR ${cidr}: prefix must be between /8 and /28`);
  const size = 2 ** (32 - prefix);
  return { network: toInt(match[1]) - (toInt(match[1]) % size), prefix };
}

export const formatCIDR = (subnet: Subnet) => `${toIP(subnet.network)}/${subnet.prefix}`;
export const gatewayOf = (subnet: Subnet) => toIP(subnet.network + 1);

/** Addresses pods may take: after the gateway, before the broadcast address. */
export function podAddresses(subnet: Subnet): string[] {
  const size = 2 ** (32 - subnet.prefix);
  const out: string[] = [];
  for (let i = 2; i < size - 1; i++) out.push(toIP(subnet.network + i));
  return out;
}

/** A /24 in 10.88.0.0/16 picked from the node's key, so nodes sharing a host differ. */
export function defaultPodCIDR(nodeKey: string): string {
  return `10.88.${parseInt(shortHash(nodeKey, 4), 16) % 256}.0/24`;
}

export interface PodNetwork {
  netns: string;
  ip: string;
}

export class BridgeNetwork {
  readonly bridge: string;
  readonly subnet: Subnet;
  private readonly key: string;
  private readonly ipamDir: string;
  private readonly logger: Logger;

  /** `nodeKey`: unique to this node of this cluster on the host (names of bridges and namespaces). */
  constructor(options: { nodeKey: string; cidr: string; stateDir: string; logger: Logger }) {
    this.key = options.nodeKey;
    this.bridge = `flt${this.key}`;
    this.subnet = parseCIDR(options.cidr);
    this.ipamDir = join(options.stateDir, "ipam");
    this.logger = options.logger;
  }

  get cidr(): string {
    return formatCIDR(this.subnet);
  }

  /** Namespaces of this node's pods are named flt-<node key>-<pod uid prefix>. */
  netnsFor(podUid: string): string {
    return `flt-${this.key}-${podUid.replace(/-/g, "").slice(0, 16)}`;
  }

  private vethFor(podUid: string): string {
    return `vf${shortHash(this.key + podUid, 11)}`;
  }

  async init(): Promise<void> {
    mkdirSync(this.ipamDir, { recursive: true });
    const gateway = `${gatewayOf(this.subnet)}/${this.subnet.prefix}`;
    if ((await tryRun("ip", ["link", "show", this.bridge])) === undefined)
      await run("ip", ["link", "add", this.bridge, "type", "bridge"]);
    await run("ip", ["addr", "replace", gateway, "dev", this.bridge]);
    await run("ip", ["link", "set", this.bridge, "up"]);
    // Outbound traffic from pods: forwarding and masquerading (best effort; the host reaches pods without it).
    try {
      writeFileSync("/proc/sys/net/ipv4/ip_forward", "1");
    } catch {
      this.logger.debug("could not enable IPv4 forwarding");
    }
    for (const [tableFlag, table, chain, ...rule] of this.rules()) {
      if ((await tryRun("iptables", [tableFlag, table, "-C", chain, ...rule])) !== undefined) continue;
      if ((await tryRun("iptables", [tableFlag, table, "-I", chain, ...rule])) === undefined) {
        this.logger.debug(`iptables ${chain} rule for ${this.bridge} not installed`);
        break;
      }
    }
  }

  private rules(): string[][] {
    return [
      ["-t", "nat", "POSTROUTING", "-s", this.cidr, "!", "-o", this.bridge, "-j", "MASQUERADE"],
      ["-t", "filter", "FORWARD", "-i", this.bridge, "-j", "ACCEPT"],
      ["-t", "filter", "FORWARD", "-o", this.bridge, "-j", "ACCEPT"],
    ];
  }

  /** Removes the bridge and its rules (a node taken out of service, tests). Pods must be gone. */
  async destroy(): Promise<void> {
    for (const [tableFlag, table, chain, ...rule] of this.rules())
      await tryRun("iptables", [tableFlag, table, "-D", chain, ...rule]);
    await tryRun("ip", ["link", "del", this.bridge]);
  }

  private allocate(podUid: string): string {
    const taken = new Map<string, string>();
    for (const file of readdirSync(this.ipamDir))
      taken.set(file, readFileSync(join(this.ipamDir, file), "utf8").trim());
    for (const [ip, owner] of taken) if (owner === podUid) return ip;
    const free = podAddresses(this.subnet).find((ip) => !taken.has(ip));
    if (!free) throw new Error(`no free address left in ${this.cidr}`);
    writeFileSync(join(this.ipamDir, free), podUid);
    return free;
  }

  release(podUid: string): void {
    if (!existsSync(this.ipamDir)) return;
    for (const file of readdirSync(this.ipamDir)) {
      if (readFileSync(join(this.ipamDir, file), "utf8").trim() === podUid)
        rmSync(join(this.ipamDir, file), { force: true });
    }
  }

  /** Pods are set up in parallel: the address is allocated synchronously, the rest is per pod. */
  async setUp(podUid: string): Promise<PodNetwork> {
    const netns = this.netnsFor(podUid);
    const veth = this.vethFor(podUid);
    const ip = this.allocate(podUid);
    try {
      // A half-built namespace (a crash mid-setup) is rebuilt from scratch.
      if (existsSync(`/run/netns/${netns}`)) await this.remove(podUid, false);
      await run(
        "ip",
        ["-batch", "-"],
        [
          `netns add ${netns}`,
          `link add ${veth} type veth peer name eth0 netns ${netns}`,
          `link set ${veth} master ${this.bridge} up`,
        ].join("\n") + "\n",
      );
      await run(
        "ip",
        ["-n", netns, "-batch", "-"],
        [
          `addr add ${ip}/${this.subnet.prefix} dev eth0`,
          "link set eth0 up",
          "link set lo up",
          `route add default via ${gatewayOf(this.subnet)}`,
        ].join("\n") + "\n",
      );
      return { netns, ip };
    } catch (err) {
      await this.remove(podUid);
      throw err;
    }
  }

  tearDown(podUid: string): Promise<void> {
    return this.remove(podUid);
  }

  private async remove(podUid: string, releaseAddress = true): Promise<void> {
    const netns = this.netnsFor(podUid);
    // Stragglers a container left in the namespace would keep it alive.
    const pids = (await tryRun("ip", ["netns", "pids", netns])) ?? "";
    for (const pid of pids.split("\n").filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
    await tryRun("ip", ["link", "del", this.vethFor(podUid)]);
    if (existsSync(`/run/netns/${netns}`)) await tryRun("ip", ["netns", "delete", netns]);
    if (releaseAddress) this.release(podUid);
  }

  exists(podUid: string): boolean {
    return existsSync(`/run/netns/${this.netnsFor(podUid)}`);
  }

  /** This node's pod namespaces present on the host (for cleaning up after a crash). */
  listNetns(): string[] {
    try {
      return readdirSync("/run/netns").filter((name) => name.startsWith(`flt-${this.key}-`));
    } catch {
      return [];
    }
  }

  async deleteNetns(netns: string): Promise<void> {
    await tryRun("ip", ["netns", "delete", netns]);
  }
}
