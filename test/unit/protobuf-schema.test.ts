// The descriptor tables are data: check they hang together.
import { describe, expect, it } from "vitest";
import { builtinResources } from "../../api/registry/index.ts";
import { messageFields, messageNames, rootMessage } from "../../api/protobuf/schema.ts";

describe("protobuf message descriptors", () => {
  it("resolve every message type they refer to", () => {
    const missing: string[] = [];
    for (const name of messageNames()) {
      for (const field of messageFields(name) ?? []) {
        if (field.value.kind === "message" && messageFields(field.value.name) === undefined) {
          missing.push(`${name}.${field.json} → ${field.value.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("have unique field numbers and JSON names per message", () => {
    for (const name of messageNames()) {
      const fields = messageFields(name) ?? [];
      expect(new Set(fields.map((f) => f.number)).size, name).toBe(fields.length);
      expect(new Set(fields.map((f) => f.json)).size, name).toBe(fields.length);
      for (const field of fields) {
        if (field.inline) expect(field.value.kind, `${name}.${field.json}`).toBe("message");
      }
    }
  });

  it("cover every built-in kind Flotilla serves, and what kubectl create makes", () => {
    // CRDs arrive as JSON/YAML (`kubectl apply -f`); no kubectl command sends them as protobuf.
    // Nor Karmada's kinds, which Karmada itself serves as CRDs.
    const served = builtinResources
      .filter((def) => def.group !== "apiextensions.k8s.io" && !def.group.endsWith(".karmada.io"))
      .map((def) => [def.group ? `${def.group}/${def.version}` : def.version, def.kind]);
    const kubectlCreate = [
      ["networking.k8s.io/v1", "Ingress"],
      ["authentication.k8s.io/v1", "TokenRequest"],
      ["policy/v1", "Eviction"],
      ["autoscaling/v1", "Scale"],
    ];
    for (const [apiVersion, kind] of [...served, ...kubectlCreate]) {
      const root = rootMessage(apiVersion, kind);
      expect(root, `${apiVersion}/${kind}`).toBeDefined();
      expect(messageFields(root ?? ""), `${apiVersion}/${kind}`).toBeDefined();
    }
  });

  it("know only top-level kinds as roots", () => {
    expect(rootMessage("v1", "Container")).toBeUndefined();
    expect(rootMessage("toString", "Pod")).toBeUndefined();
    expect(rootMessage("v1", "DeleteOptions")).toBe("meta.v1.DeleteOptions");
  });
});
