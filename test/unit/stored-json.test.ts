import { describe, expect, it } from "vitest";
import { serializeObject, spliceResourceVersion } from "../../durable-objects/storage/object-store.ts";

describe("stored object JSON", () => {
  it("puts type and object metadata first, so a splice finds the object's own metadata", () => {
    const text = serializeObject({
      spec: { template: { metadata: { labels: { a: "b" } } } },
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "web" },
    });
    const parsed = JSON.parse(spliceResourceVersion(text, 42));
    expect(parsed.metadata).toEqual({ resourceVersion: "42", name: "web" });
    expect(parsed.spec.template.metadata).toEqual({ labels: { a: "b" } });
  });

  it("handles empty metadata and strings that mention metadata", () => {
    const text = serializeObject({ apiVersion: "v1", kind: "ConfigMap", metadata: {}, data: { x: '"metadata":{' } });
    const parsed = JSON.parse(spliceResourceVersion(text, 7));
    expect(parsed.metadata).toEqual({ resourceVersion: "7" });
    expect(parsed.data.x).toBe('"metadata":{');
  });
});
