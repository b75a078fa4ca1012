// Bodies captured from kubectl 1.33 `create …` (protobuf), checked against what the same command prints with
// `--dry-run=client -o json`, i.e. the JSON kubectl ≤1.31 would have sent. See test/fixtures/protobuf/README.md.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeKubernetesProtobuf } from "../../api/protobuf/envelope.ts";

const DIR = new URL("../fixtures/protobuf/", import.meta.url);
const bin = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.bin`, DIR)));

/** Go writes a zero Time and a nil non-omitempty slice as null; protobuf leaves them out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length));

describe("kubectl 1.33 protobuf bodies", () => {
  it("has the fixtures", () => {
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  it.each(names)("%s decodes to kubectl's JSON", (name) => {
    const want = withoutNulls(JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8"))) as Record<
      string,
      unknown
    >;
    const decoded = decodeKubernetesProtobuf(bin(name));
    expect(decoded.object).toEqual(want);
    expect(decoded.apiVersion).toBe(want.apiVersion);
    expect(decoded.kind).toBe(want.kind);
  });

  it("keeps explicitly set zero values (replicas: 0, value: 0)", () => {
    const deployment = decodeKubernetesProtobuf(bin("deployment-zero")).object as { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(0);
    const priorityClass = decodeKubernetesProtobuf(bin("priorityclass-default")).object;
    expect(priorityClass).toMatchObject({ value: 0, globalDefault: true });
  });

  it("writes bytes as base64 (Secret.data, ConfigMap.binaryData)", () => {
    const configMap = decodeKubernetesProtobuf(bin("configmap")).object;
    expect(configMap).toMatchObject({ data: { a: "b", empty: "" }, binaryData: { blob: "/wABYmluYXJ5" } });
    const secret = decodeKubernetesProtobuf(bin("secret-generic")).object as { data: Record<string, string> };
    expect(atob(secret.data.user)).toBe("admin");
  });

  it("decodes IntOrString as a number or a string", () => {
    const pdb = decodeKubernetesProtobuf(bin("pdb-percent")).object as { spec: Record<string, unknown> };
    expect(pdb.spec.maxUnavailable).toBe("50%");
    const service = decodeKubernetesProtobuf(bin("service-clusterip")).object as {
      spec: { ports: { targetPort: unknown }[] };
    };
    expect(service.spec.ports.map((p) => p.targetPort)).toEqual([8080, 8443]);
  });

  it("decodes a TokenRequest (the serviceaccounts/token subresource)", () => {
    expect(decodeKubernetesProtobuf(bin("token")).object).toEqual({
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: {},
      spec: {},
      status: { token: "" },
    });
  });
});
