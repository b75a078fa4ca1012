// The benchmark's per-isolate CPU accounting: a sample's gap (time the thread spent in another
// isolate) must not count as this isolate's CPU.
import { describe, expect, it } from "vitest";
import { busyMicros, topSelfTime } from "../../bench/lib/profiler.ts";

const frame = (functionName: string) => ({ functionName, url: "index.js", lineNumber: 0 });

const profile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 3] },
    { id: 2, callFrame: frame("(idle)") },
    { id: 3, callFrame: frame("ingest") },
  ],
  samples: [3, 3, 2, 3, 3],
  // Sampled every ~1 ms; the last sample comes after 50 ms spent in another isolate.
  timeDeltas: [1000, 1100, 1000, 900, 50_000],
};

describe("busyMicros", () => {
  it("counts non-idle samples, each for at most twice the median interval", () => {
    expect(busyMicros(profile)).toBe(1000 + 1100 + 900 + 2000);
  });

  it("is zero for an isolate that only idled", () => {
    expect(busyMicros({ ...profile, samples: [2, 2, 2, 2, 2] })).toBe(0);
  });
});

describe("topSelfTime", () => {
  it("charges a gap to nobody beyond the cap", () => {
    const [first] = topSelfTime(profile, 1);
    expect(first).toMatch(/ingest/);
    expect(first).toMatch(/\s5 ms/);
  });
});
