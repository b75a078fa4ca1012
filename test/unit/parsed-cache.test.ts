import { describe, expect, it } from "vitest";
import { ParsedObjectCache, type CachedRow } from "../../durable-objects/storage/parsed-cache.ts";

const value = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name }, ...extra });

describe("ParsedObjectCache", () => {
  it("loads a scope once, then follows writes without reading rows again", () => {
    const cache = new ParsedObjectCache();
    let loads = 0;
    const load = (): CachedRow[] => {
      loads++;
      return [
        { name: "b", seq: 2, value: value("b") },
        { name: "a", seq: 1, value: value("a") },
      ];
    };
    expect(cache.list("pods", "ns", load).map((o) => o.metadata.name)).toEqual(["a", "b"]);
    cache.noteWrite("pods", "ns", "c", 3, value("c"));
    cache.noteWrite("pods", "ns", "a", 4, null);
    expect(cache.list("pods", "ns", load).map((o) => o.metadata.name)).toEqual(["b", "c"]);
    expect(loads).toBe(1);
  });

  it("ignores writes to scopes nobody listed, and keeps scopes apart", () => {
    const cache = new ParsedObjectCache();
    cache.noteWrite("pods", "ns", "x", 1, value("x"));
    expect(cache.list("pods", "ns", () => [])).toEqual([]);
    expect(cache.list("pods", "other", () => [{ name: "y", seq: 1, value: value("y") }])).toHaveLength(1);
  });

  it("stamps the cluster revision only on the version that got it", () => {
    const cache = new ParsedObjectCache();
    cache.list("pods", "ns", () => [{ name: "a", seq: 1, value: value("a") }]);
    cache.noteRevision("pods", "ns", "a", 1, 17, value("a"));
    expect(cache.list("pods", "ns", () => [])[0].metadata.resourceVersion).toBe("17");
    cache.noteWrite("pods", "ns", "a", 2, value("a", { spec: { nodeName: "n1" } }));
    cache.noteRevision("pods", "ns", "a", 1, 18, value("a")); // a stale acknowledgement
    const [pod] = cache.list("pods", "ns", () => []);
    expect(pod.metadata.resourceVersion).toBeUndefined();
    expect(pod.spec).toEqual({ nodeName: "n1" });
  });

  it("hands out frozen objects and fresh arrays", () => {
    const cache = new ParsedObjectCache();
    const load = () => [{ name: "a", seq: 1, value: value("a", { spec: { containers: [{ name: "c" }] } }) }];
    const first = cache.list("pods", "ns", load);
    expect(() => {
      (first[0].spec as { containers: Array<{ name: string }> }).containers[0].name = "changed";
    }).toThrow(TypeError);
    first.pop();
    expect(cache.list("pods", "ns", load)).toHaveLength(1);
  });
});
