import { describe, expect, it } from "vitest";
import { customColumnsTable } from "../../api/printers/index.ts";
import { evaluate, parse } from "../../api/printers/jsonpath.ts";
import type { KubeObject } from "../../api/types.ts";

const now = new Date("2024-06-01T12:00:00Z");

const widget: KubeObject = {
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: {
    name: "w1",
    creationTimestamp: "2024-06-01T11:00:00Z",
    annotations: { "example.com/owner.name": "team-a" },
  },
  spec: { replicas: 3, ratio: 0.5, enabled: true, tags: ["a", "b"], size: { cpu: "1" } },
  status: {
    conditions: [
      { type: "Synced", status: "False" },
      { type: "Ready", status: "True", lastTransitionTime: "2024-06-01T11:55:00Z" },
    ],
  },
};

describe("jsonpath subset", () => {
  const get = (path: string) => evaluate(parse(path), widget);
  it("walks fields, indexes, wildcards and filters", () => {
    expect(get(".spec.replicas")).toEqual([3]);
    expect(get("{.spec.tags[1]}")).toEqual(["b"]);
    expect(get(".spec.tags[-1]")).toEqual(["b"]);
    expect(get(".spec.tags[*]")).toEqual(["a", "b"]);
    expect(get(".status.conditions[0].type")).toEqual(["Synced"]);
    expect(get('.status.conditions[?(@.type=="Ready")].status')).toEqual(["True"]);
    expect(get(".status.conditions[?(@.type=='Ready')].status")).toEqual(["True"]);
    expect(get('.status.conditions[?(@.type!="Ready")].type')).toEqual(["Synced"]);
    expect(get(".status.conditions[?(@.lastTransitionTime)].type")).toEqual(["Ready"]);
    expect(get(".metadata.annotations.example\\.com/owner\\.name")).toEqual(["team-a"]);
    expect(get(".metadata.annotations['example.com/owner.name']")).toEqual(["team-a"]);
    expect(get(".spec.missing.deeper")).toEqual([]);
  });
});

describe("customColumnsTable", () => {
  it("adds NAME and AGE when a CRD declares no columns", () => {
    const table = customColumnsTable([]);
    expect(table.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ["Name", "string", "name"],
      ["Age", "date", ""],
    ]);
    expect(table.cells(widget, now)).toEqual(["w1", "60m"]);
  });

  it("renders typed cells for declared columns", () => {
    const table = customColumnsTable([
      { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
      { name: "Ratio", type: "number", jsonPath: ".spec.ratio", priority: 1 },
      { name: "Enabled", type: "boolean", jsonPath: ".spec.enabled" },
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: "Since", type: "date", jsonPath: '.status.conditions[?(@.type=="Ready")].lastTransitionTime' },
      { name: "Size", type: "string", jsonPath: ".spec.size" },
      { name: "Missing", type: "string", jsonPath: ".spec.nothing" },
      { name: "Wrong", type: "integer", jsonPath: ".spec.enabled" },
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    ]);
    expect(table.columns.map((c) => c.name)).toEqual([
      "Name",
      "Replicas",
      "Ratio",
      "Enabled",
      "Ready",
      "Since",
      "Size",
      "Missing",
      "Wrong",
      "Age",
    ]);
    expect(table.columns[2]!.priority).toBe(1);
    expect(table.cells(widget, now)).toEqual(["w1", 3, 0.5, true, "True", "5m", '{"cpu":"1"}', null, null, "60m"]);
  });

  it("does not add a second Name column", () => {
    const table = customColumnsTable([{ name: "NAME", type: "string", jsonPath: ".metadata.name" }]);
    expect(table.columns).toHaveLength(1);
    expect(table.cells(widget, now)).toEqual(["w1"]);
  });
});
