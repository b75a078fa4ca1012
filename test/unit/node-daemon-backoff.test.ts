import { describe, expect, it } from "vitest";
import { jitteredBackoff, jitteredPeriod } from "../../node-daemon/informer/backoff.ts";
import { Backoff } from "../../node-daemon/pods/crash-backoff.ts";
import { defaultPullPolicy, goDuration } from "../../node-daemon/pods/format.ts";

describe("restart back-off", () => {
  it("restarts at once the first time, then waits 10 s, 20 s, 40 s … up to 5 min", () => {
    const backoff = new Backoff();
    let now = 0;
    const delays: number[] = [];
    for (let crash = 0; crash < 8; crash++) {
      const failedAt = now;
      const check = backoff.check("pod/app", failedAt, now);
      delays.push(check.waiting ? check.delayMs : 0);
      now = check.retryAt;
      backoff.next("pod/app", now);
      now += 1000; // the container runs a second and crashes again
    }
    expect(delays).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it("forgets a container that ran ten minutes without a restart", () => {
    const backoff = new Backoff();
    backoff.next("k", 0);
    backoff.next("k", 1000); // 20 s now
    expect(backoff.check("k", 2000, 2000)).toMatchObject({ waiting: true, delayMs: 20_000 });
    const later = 1000 + 10 * 60_000 + 1;
    expect(backoff.check("k", later, later).waiting).toBe(false);
    backoff.next("k", later);
    expect(backoff.check("k", later + 1, later + 1).delayMs).toBe(10_000);
  });

  it("forgets a pod's entries by prefix", () => {
    const backoff = new Backoff();
    backoff.next("uid1/a", 0);
    backoff.next("uid2/a", 0);
    backoff.forget("uid1/");
    expect(backoff.check("uid1/a", 0, 1).waiting).toBe(false);
    expect(backoff.check("uid2/a", 0, 1).waiting).toBe(true);
  });
});

describe("jitter", () => {
  it("doubles up to the cap and spreads by ±50%", () => {
    const options = { initialMs: 500, maxMs: 30_000 };
    expect(jitteredBackoff(1, { ...options, random: () => 0.5 })).toBe(500);
    expect(jitteredBackoff(3, { ...options, random: () => 0.5 })).toBe(2000);
    expect(jitteredBackoff(20, { ...options, random: () => 0.5 })).toBe(30_000);
    expect(jitteredBackoff(1, { ...options, random: () => 0 })).toBe(250);
    expect(jitteredBackoff(1, { ...options, random: () => 0.999 })).toBeLessThanOrEqual(750);
    expect(jitteredPeriod(1000, 0.1, () => 0)).toBe(900);
    expect(jitteredPeriod(1000, 0.1, () => 1)).toBe(1100);
  });
});

describe("formatting", () => {
  it("prints durations as Go does", () => {
    expect(goDuration(10_000)).toBe("10s");
    expect(goDuration(80_000)).toBe("1m20s");
    expect(goDuration(300_000)).toBe("5m0s");
    expect(goDuration(3_600_000)).toBe("1h0m0s");
    expect(goDuration(1500)).toBe("1.5s");
    expect(goDuration(250)).toBe("250ms");
  });

  it("defaults the pull policy from the tag", () => {
    expect(defaultPullPolicy("busybox")).toBe("Always");
    expect(defaultPullPolicy("busybox:latest")).toBe("Always");
    expect(defaultPullPolicy("local/busybox:1")).toBe("IfNotPresent");
    expect(defaultPullPolicy("registry:5000/app")).toBe("Always");
    expect(defaultPullPolicy("registry:5000/app:2")).toBe("IfNotPresent");
    expect(defaultPullPolicy("app@sha256:abcd")).toBe("IfNotPresent");
  });
});
