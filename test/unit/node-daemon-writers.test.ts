import type { Pod } from "kubernetes-types/core/v1";
import { describe, expect, it } from "vitest";
import type { ApiClient } from "../../node-daemon/api/client.ts";
import { ApiError } from "../../node-daemon/api/errors.ts";
import { ManualClock } from "../../node-daemon/clock.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { EventRecorder } from "../../node-daemon/pods/events.ts";
import { StatusWriter } from "../../node-daemon/pods/status-writer.ts";

interface Call {
  method: string;
  path: string;
  body: any;
}

function fakeApi(fail?: (call: Call) => Error | undefined) {
  const calls: Call[] = [];
  const record = (method: string) => async (path: string, body: unknown) => {
    const call = { method, path, body };
    calls.push(call);
    const error = fail?.(call);
    if (error) throw error;
    return body;
  };
  const api = { post: record("POST"), mergePatch: record("PATCH") } as unknown as ApiClient;
  return { api, calls };
}

const pod: Pod = {
  metadata: { name: "web", namespace: "shop", uid: "u1", resourceVersion: "7" },
  status: { phase: "Pending", podIP: "10.0.0.1" },
};

describe("status writer", () => {
  it("patches pods/status with the uid, skips unchanged statuses, clears fields it owns", async () => {
    const { api, calls } = fakeApi();
    const writer = new StatusWriter({ api, logger: silentLogger });
    await writer.update(pod, { phase: "Pending", podIP: "10.0.0.1" });
    expect(calls).toEqual([]); // what the control plane already shows
    await writer.update(pod, { phase: "Running" });
    expect(calls).toEqual([
      {
        method: "PATCH",
        path: "/api/v1/namespaces/shop/pods/web/status",
        body: { metadata: { uid: "u1" }, status: { phase: "Running", podIP: null } },
      },
    ]);
    await writer.update(pod, { phase: "Running" });
    expect(calls.length).toBe(1);
  });

  it("sends only the newest status when updates pile up, and retries after a failure", async () => {
    let failing = true;
    const { api, calls } = fakeApi(() => (failing ? new ApiError(500, "boom") : undefined));
    const writer = new StatusWriter({ api, logger: silentLogger });
    await writer.update(pod, { phase: "Running" });
    expect(calls.length).toBe(1);
    failing = false;
    const first = writer.update(pod, { phase: "Running", message: "a" });
    const second = writer.update(pod, { phase: "Running", message: "b" });
    await Promise.all([first, second]);
    expect(calls.map((c) => c.body.status.message)).toEqual([undefined, "a", "b"]);
    await writer.update(pod, { phase: "Running", message: "b" });
    expect(calls.length).toBe(3);
  });
});

describe("event recorder", () => {
  it("records kubelet events and counts repeats on the same event", async () => {
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const { api, calls } = fakeApi();
    const events = new EventRecorder({ api, clock, logger: silentLogger, nodeName: "n1" });
    events.record(pod, "Warning", "BackOff", "Back-off restarting failed container", { name: "app", init: false });
    await events.flush();
    const created = calls[0];
    expect(created.method).toBe("POST");
    expect(created.path).toBe("/api/v1/namespaces/shop/events");
    expect(created.body).toMatchObject({
      metadata: { namespace: "shop" },
      involvedObject: { kind: "Pod", name: "web", uid: "u1", fieldPath: "spec.containers{app}", resourceVersion: "7" },
      reason: "BackOff",
      type: "Warning",
      source: { component: "kubelet", host: "n1" },
      count: 1,
      firstTimestamp: "2026-01-01T00:00:00Z",
      reportingComponent: "kubelet",
      reportingInstance: "n1",
    });
    expect(created.body.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
    await clock.advance(30_000);
    events.record(pod, "Warning", "BackOff", "Back-off restarting failed container", { name: "app", init: false });
    await events.flush();
    expect(calls[1]).toEqual({
      method: "PATCH",
      path: `/api/v1/namespaces/shop/events/${created.body.metadata.name}`,
      body: { count: 2, lastTimestamp: "2026-01-01T00:00:30Z" },
    });
  });

  it("keeps quiet when the node may not write events", async () => {
    const { api, calls } = fakeApi(() => new ApiError(403, "forbidden"));
    const events = new EventRecorder({ api, clock: new ManualClock(), logger: silentLogger, nodeName: "n1" });
    events.record(pod, "Normal", "Pulled", "x");
    events.record(pod, "Normal", "Created", "y");
    await events.flush();
    expect(calls.length).toBe(2);
  });
});
