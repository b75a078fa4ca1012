// `kubectl get componentstatuses`: computed from the ClusterStore's health, never stored.
import { describe, expect, it } from "vitest";
import type { KubeList, KubeObject } from "../../api/types.ts";
import { createCluster, type Status } from "./helpers.ts";

const CS = "/api/v1/componentstatuses";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io, application/json";

describe("component statuses", () => {
  it("lists the scheduler, controller manager and etcd as Healthy, with kube's deprecation warning", async () => {
    const c = await createCluster("cs");
    const list = await c.json<KubeList>(CS);
    expect(list.status).toBe(200);
    expect(list.headers.get("warning")).toBe('299 - "v1 ComponentStatus is deprecated in v1.19+"');
    expect(list.body.kind).toBe("ComponentStatusList");
    expect(
      list.body.items.map((i) => [i.metadata.name, (i as KubeObject & { conditions: unknown[] }).conditions]),
    ).toEqual(
      ["scheduler", "controller-manager", "etcd-0"].map((name) => [
        name,
        [{ type: "Healthy", status: "True", message: "ok" }],
      ]),
    );
    const table = await c.json<{ columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> }>(CS, {
      headers: { accept: TABLE },
    });
    expect(table.body.columnDefinitions.map((col) => col.name)).toEqual(["Name", "Status", "Message", "Error"]);
    expect(table.body.rows[0]?.cells).toEqual(["scheduler", "Healthy", "ok", ""]);
  });

  it("gets one by name; an unknown one is 404", async () => {
    const c = await createCluster("cs-get");
    expect((await c.mustGet(`${CS}/etcd-0`)).metadata.name).toBe("etcd-0");
    const missing = await c.get(`${CS}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body as Status).toMatchObject({ reason: "NotFound", message: 'componentstatuses "nope" not found' });
  });

  it("discovery lists them, read-only, with the short name cs", async () => {
    const c = await createCluster("cs-disc");
    const core = await c.mustGet<{ resources: Array<{ name: string; verbs: string[]; shortNames?: string[] }> }>(
      "/api/v1",
    );
    expect(core.resources.find((r) => r.name === "componentstatuses")).toMatchObject({
      verbs: ["get", "list"],
      shortNames: ["cs"],
    });
  });
});
