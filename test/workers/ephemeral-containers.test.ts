// pods/ephemeralcontainers, as `kubectl debug -it POD --image=…` uses it: a strategic merge patch
// that adds a debug container to a running pod; nothing else about the pod changes through it.
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster, expectStatus, type Client, type Status } from "./helpers.ts";
import { nodeToken, podObject, podsPath, type Pod } from "./scheduler-fixtures.ts";

const NS = "default";
const ephemeralPath = (name: string) => `${podsPath(NS, name)}/ephemeralcontainers`;

interface DebugPod extends Pod {
  spec: Pod["spec"] & { ephemeralContainers?: Array<Record<string, unknown>> };
}

/** What kubectl debug sends: a two-way strategic merge patch from the pod to the pod plus the debugger. */
const debugPatch = (name: string, image = "local/busybox:1") => ({
  spec: {
    ephemeralContainers: [
      {
        name,
        image,
        resources: {},
        terminationMessagePolicy: "File",
        imagePullPolicy: "IfNotPresent",
        stdin: true,
        tty: true,
        targetContainerName: "app",
      },
    ],
  },
});

/** The object without its resourceVersion: the scheduler writes the pending pods' status meanwhile. */
const unconditional = <T extends { metadata: object }>(obj: T): T => ({
  ...obj,
  metadata: { ...obj.metadata, resourceVersion: undefined },
});

const causes = (body: unknown) => (body as Status).details?.causes?.map((c) => `${c.field}: ${c.message}`) ?? [];

let c: Client;
beforeAll(async () => {
  c = await createCluster("ephemeral");
});

describe("pods/ephemeralcontainers", { timeout: 60_000 }, () => {
  it("adds a debug container with a strategic merge patch; it may not change afterwards", async () => {
    await c.mustCreate(podsPath(NS), podObject("web", { labels: { app: "web" } }));
    const read = await c.mustGet<DebugPod>(ephemeralPath("web"));
    expect(read).toMatchObject({ kind: "Pod", metadata: { name: "web" } });

    const added = await c.patch<DebugPod>(ephemeralPath("web"), "strategic", {
      metadata: { labels: { app: "changed" } },
      ...debugPatch("debugger-abc"),
    });
    const pod = expectStatus(added, 200, "SMP on ephemeralcontainers") as DebugPod;
    expect(pod.metadata.labels).toEqual({ app: "web" }); // only ephemeral containers change here
    expect(pod.spec.ephemeralContainers).toEqual([
      {
        name: "debugger-abc",
        image: "local/busybox:1",
        resources: {},
        terminationMessagePolicy: "File",
        terminationMessagePath: "/dev/termination-log",
        imagePullPolicy: "IfNotPresent",
        stdin: true,
        tty: true,
        targetContainerName: "app",
      },
    ]);
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(Number(read.metadata.resourceVersion));
    const managers = (pod.metadata.managedFields ?? []) as Array<{ subresource?: string }>;
    expect(managers.some((m) => m.subresource === "ephemeralcontainers")).toBe(true);

    const got = await c.mustGet<DebugPod>(podsPath(NS, "web"));
    expect(got.spec.ephemeralContainers?.map((e) => e.name)).toEqual(["debugger-abc"]);

    const changed = await c.patch(ephemeralPath("web"), "strategic", debugPatch("debugger-abc", "local/busybox:2"));
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({ kind: "Status", reason: "Invalid", code: 422 });
    expect(causes(changed.body)[0]).toContain(
      'spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger-abc" may not be changed',
    );

    // A merge patch replaces the list: leaving the first one out removes it, which is refused too.
    const removed = await c.patch(ephemeralPath("web"), "merge", debugPatch("debugger-two"));
    expect(removed.status).toBe(422);
    expect(causes(removed.body)[0]).toContain('existing ephemeral containers "debugger-abc" may not be removed');

    const second = await c.patch<DebugPod>(ephemeralPath("web"), "json", [
      { op: "add", path: "/spec/ephemeralContainers/-", value: { name: "debugger-two", image: "local/busybox:1" } },
    ]);
    const both = expectStatus(second, 200, "JSON patch adding a second") as DebugPod;
    expect(both.spec.ephemeralContainers?.map((e) => e.name)).toEqual(["debugger-abc", "debugger-two"]);
  });

  it("validates new ones as kube does", async () => {
    await c.mustCreate(podsPath(NS), podObject("checked"));
    const bad = await c.patch(ephemeralPath("checked"), "strategic", {
      spec: {
        ephemeralContainers: [
          { name: "app", image: "local/busybox:1", ports: [{ containerPort: 80 }], targetContainerName: "nope" },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(causes(bad.body)).toEqual([
      'spec.ephemeralContainers[0].name: Duplicate value: "app"',
      'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
      "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
    ]);
  });

  it("PUT takes the whole pod, honours resourceVersion and ignores everything but ephemeral containers", async () => {
    const created = await c.mustCreate<DebugPod>(podsPath(NS), podObject("put"));
    const body = {
      ...created,
      metadata: { ...created.metadata, labels: { sneaky: "yes" } },
      spec: { ...created.spec, ephemeralContainers: [{ name: "dbg", image: "local/busybox:1" }] },
      status: { phase: "Failed" },
    };
    const stale = await c.update(ephemeralPath("put"), {
      ...body,
      metadata: { ...body.metadata, resourceVersion: String(Number(created.metadata.resourceVersion) - 1) },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ reason: "Conflict" });

    const updated = await c.mustUpdate<DebugPod>(ephemeralPath("put"), unconditional(body));
    expect(updated.metadata.labels).toBeUndefined();
    expect(updated.status?.phase).toBe("Pending");
    expect(updated.spec.ephemeralContainers?.map((e) => e.name)).toEqual(["dbg"]);
  });

  it("answers 404 for a missing pod and 405 for other methods", async () => {
    const missing = await c.patch(ephemeralPath("absent"), "strategic", debugPatch("d"));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ reason: "NotFound", details: { name: "absent", kind: "pods" } });
    expect((await c.get(ephemeralPath("absent"))).status).toBe(404);
    await c.mustCreate(podsPath(NS), podObject("methods"));
    expect((await c.delete(ephemeralPath("methods"))).status).toBe(405);
    const applied = await c.json(ephemeralPath("methods") + "?fieldManager=t", {
      method: "PATCH",
      body: debugPatch("d"),
      contentType: "application/apply-patch+yaml",
    });
    expect(applied.status).toBe(415);
  });

  it("is not open to a node's credential", async () => {
    await c.mustCreate(podsPath(NS), podObject("node-denied"));
    const node = c.withToken(await nodeToken(c, "n1"));
    const denied = await node.patch(ephemeralPath("node-denied"), "strategic", debugPatch("d"));
    expect(denied.status).toBe(403);
    expect((denied.body as Status).message).toContain('cannot patch resource "pods/ephemeralcontainers"');
  });

  it("the pod itself cannot add or change them, and a new pod cannot have any", async () => {
    const created = await c.mustCreate<DebugPod>(podsPath(NS), podObject("main"));
    const put = await c.update(podsPath(NS, "main"), {
      ...unconditional(created),
      spec: { ...created.spec, ephemeralContainers: [{ name: "dbg", image: "local/busybox:1" }] },
    });
    expect(put.status).toBe(422);
    expect(causes(put.body)[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than .*spec.ephemeralContainers/s,
    );
    const patched = await c.patch(podsPath(NS, "main"), "strategic", debugPatch("dbg"));
    expect(patched.status).toBe(422);

    const withDebugger = podObject("born-debugged");
    (withDebugger.spec as Record<string, unknown>).ephemeralContainers = [{ name: "dbg", image: "local/busybox:1" }];
    const refused = await c.create(podsPath(NS), withDebugger);
    expect(refused.status).toBe(422);
    expect(causes(refused.body)).toEqual(["spec.ephemeralContainers: Forbidden: cannot be set on create"]);
  });

  it("keeps ephemeralContainerStatuses written through /status, and tables still render", async () => {
    await c.mustCreate(podsPath(NS), podObject("status"));
    const pod = expectStatus(
      await c.patch<DebugPod>(ephemeralPath("status"), "strategic", debugPatch("dbg")),
      200,
      "add",
    ) as DebugPod;
    const ephemeralContainerStatuses = [
      {
        name: "dbg",
        image: "local/busybox:1",
        imageID: "",
        ready: false,
        restartCount: 0,
        state: { running: { startedAt: "2026-01-01T00:00:00Z" } },
      },
    ];
    const written = await c.mustUpdate<DebugPod>(`${podsPath(NS, "status")}/status`, {
      ...unconditional(pod),
      status: { ...pod.status, phase: "Running", ephemeralContainerStatuses },
    });
    expect((written.status as Record<string, unknown>).ephemeralContainerStatuses).toEqual(ephemeralContainerStatuses);
    const table = await c.json<{ kind: string; rows: Array<{ cells: unknown[] }> }>(podsPath(NS, "status"), {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    expect(table.status).toBe(200);
    expect(table.body.kind).toBe("Table");
    expect(table.body.rows[0]?.cells.slice(0, 3)).toEqual(["status", "0/1", "Running"]);
  });

  it("is listed in discovery", async () => {
    const list = await c.mustGet<{
      resources: Array<{ name: string; kind: string; verbs: string[]; namespaced: boolean }>;
    }>("/api/v1");
    expect(list.resources.find((r) => r.name === "pods/ephemeralcontainers")).toMatchObject({
      kind: "Pod",
      namespaced: true,
      verbs: ["get", "patch", "update"],
    });
  });
});
