// Zones and the eviction rate limiter: a partition must not empty a cluster. Adding NoExecute
// taints is rate-limited per zone (0.1 nodes/s); a zone where most nodes are down slows to
// 0.01 nodes/s (large zones) or stops (small ones); if every zone is down, nothing is evicted.
export const EVICTION_RATE = 0.1;
export const SECONDARY_EVICTION_RATE = 0.01;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
export const LARGE_CLUSTER_THRESHOLD = 50;

export type ZoneState = "Normal" | "PartialDisruption" | "FullDisruption";

const REGION = "topology.kubernetes.io/region";
const ZONE = "topology.kubernetes.io/zone";
const LEGACY_REGION = "failure-domain.beta.kubernetes.io/region";
const LEGACY_ZONE = "failure-domain.beta.kubernetes.io/zone";

export function zoneOf(labels: Record<string, string> | undefined): string {
  const l = labels ?? {};
  const region = l[REGION] ?? l[LEGACY_REGION] ?? "";
  const zone = l[ZONE] ?? l[LEGACY_ZONE] ?? "";
  return region === "" && zone === "" ? "" : `${region}:\u0000:${zone}`;
}

export function zoneState(ready: number, notReady: number): ZoneState {
  if (ready === 0 && notReady > 0) return "FullDisruption";
  if (notReady > 2 && notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD) return "PartialDisruption";
  return "Normal";
}

/** Nodes per second that may get a NoExecute taint in a zone in this state. */
export function evictionRate(state: ZoneState, zoneSize: number): number {
  if (state === "PartialDisruption") return zoneSize > LARGE_CLUSTER_THRESHOLD ? SECONDARY_EVICTION_RATE : 0;
  return EVICTION_RATE;
}

/** A token bucket (burst 1): `tryAccept` takes a token if one is available at `now` (ms). */
export class RateLimiter {
  private qps: number;
  private tokens = 1;
  private last: number | undefined;

  constructor(qps: number) {
    this.qps = qps;
  }

  get rate(): number {
    return this.qps;
  }

  setRate(qps: number, now: number): void {
    this.refill(now);
    this.qps = qps;
  }

  private refill(now: number): void {
    if (this.last !== undefined && now > this.last)
      this.tokens = Math.min(1, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = Math.max(now, this.last ?? now);
  }

  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** ms until a token is available (Infinity when the rate is 0). */
  waitMs(now: number): number {
    if (this.qps <= 0) return Infinity;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.qps) * 1000);
  }
}
