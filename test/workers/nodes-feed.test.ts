// The per-node pod feed: list and watch `spec.nodeName=<n>` across namespaces, over HTTP and over
// a WebSocket (one JSON event per message), resuming from a resourceVersion after a disconnect.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { BASE, createCluster, Signal, summarize, type Client, type WatchEvent } from "./helpers.ts";
import {
  createNode,
  createPod,
  finishDeletion,
  nodeToken,
  podsPath,
  waitBound,
  type Pod,
} from "./scheduler-fixtures.ts";

const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default;

/** A WebSocket watch; its messages are watch events. */
class SocketWatch {
  readonly events: WatchEvent[] = [];
  closed = false;
  private readonly signal = new Signal();
  readonly socket: WebSocket;

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.accept();
    socket.addEventListener("message", (message) => {
      this.events.push(JSON.parse(String(message.data)) as WatchEvent);
      this.signal.notify();
    });
    socket.addEventListener("close", () => {
      this.closed = true;
      this.signal.notify();
    });
  }

  async waitFor(n: number, timeoutMs = 10_000): Promise<WatchEvent[]> {
    await this.signal.until(
      () => this.events.length >= n,
      () => `${n} events; got ${JSON.stringify(summarize(this.events))}`,
      timeoutMs,
    );
    return this.events.slice(0, n);
  }

  close(): void {
    this.socket.close(1000, "done");
  }
}

async function openSocket(c: Client, token: string, query: string): Promise<SocketWatch> {
  const response = await worker.fetch(
    new Request(`${BASE}/clusters/${c.cluster}/api/v1/pods?watch=true&${query}`, {
      headers: { authorization: `Bearer ${token}`, upgrade: "websocket" },
    }),
  );
  if (response.status !== 101 || !response.webSocket)
    throw new Error(`no upgrade: ${response.status} ${await response.text()}`);
  return new SocketWatch(response.webSocket);
}

const names = (events: WatchEvent[]) =>
  events.map((e) => `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`);

describe("per-node pod feed", { timeout: 60_000 }, () => {
  it("lists and watches the pods bound to one node, across namespaces (HTTP)", async () => {
    const c = await createCluster("feed-http");
    await c.createNamespace("other");
    await createNode(c, "n1");
    await createNode(c, "n2");
    const on = (node: string) => ({ nodeSelector: { "kubernetes.io/hostname": node } });
    await createPod(c, "default", "a", on("n1"));
    await createPod(c, "other", "b", on("n1"));
    await createPod(c, "default", "c", on("n2"));
    for (const [ns, name] of [
      ["default", "a"],
      ["other", "b"],
      ["default", "c"],
    ])
      await waitBound(c, ns!, name!);

    const list = await c.mustList<Pod>("/api/v1/pods", "?fieldSelector=spec.nodeName%3Dn1");
    expect(list.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(["default/a", "other/b"]);
    const paged = await c.mustList<Pod>("/api/v1/pods", "?fieldSelector=spec.nodeName%3Dn1&limit=1");
    expect(paged.items.map((p) => p.metadata.name)).toEqual(["a"]);
    const rest = await c.mustList<Pod>(
      "/api/v1/pods",
      `?fieldSelector=spec.nodeName%3Dn1&limit=1&continue=${encodeURIComponent(paged.metadata.continue ?? "")}`,
    );
    expect(rest.items.map((p) => p.metadata.name)).toEqual(["b"]);

    const watch = await c.watch(
      "/api/v1/pods",
      `fieldSelector=spec.nodeName%3Dn1&resourceVersion=${list.metadata.resourceVersion}`,
    );
    await createPod(c, "other", "d", on("n1"));
    await createPod(c, "default", "e", on("n2"));
    await c.delete(podsPath("default", "a"));
    await finishDeletion(c, "default", "a");
    const has = (evs: WatchEvent[], type: string, name: string) =>
      evs.some((e) => e.type === type && e.object.metadata.name === name);
    const events = await watch.waitFor(
      (evs) => has(evs, "DELETED", "a") && has(evs, "ADDED", "d"),
      "the deletion of a and the binding of d",
    );
    const seen = names(events.filter((e) => e.type !== "BOOKMARK"));
    // d arrives when it is bound (ADDED), a is terminated then deleted; nothing of n2's.
    expect(seen).toContain("ADDED other/d");
    expect(seen).toContain("DELETED default/a");
    expect(seen.some((s) => s.endsWith("/e") || s.endsWith("/c"))).toBe(false);
    await watch.cancel();
  });

  it("streams over a WebSocket with a node's token and resumes from a resourceVersion", async () => {
    const c = await createCluster("feed-ws");
    await createNode(c, "n1");
    const token = await nodeToken(c, "n1");
    const on = { nodeSelector: { "kubernetes.io/hostname": "n1" } };
    await createPod(c, "default", "first", on);
    await waitBound(c, "default", "first");

    const socket = await openSocket(c, token, "fieldSelector=spec.nodeName%3Dn1");
    const [initial] = await socket.waitFor(1);
    expect(initial).toMatchObject({ type: "ADDED", object: { metadata: { name: "first" } } });
    await createPod(c, "default", "second", on);
    const [, added] = await socket.waitFor(2);
    expect(added).toMatchObject({ type: "ADDED", object: { metadata: { name: "second" }, spec: { nodeName: "n1" } } });
    const resumeFrom = (added!.object as KubeObject).metadata.resourceVersion!;
    socket.close();

    // While disconnected: a change and a new pod.
    await c.patch(podsPath("default", "first"), "merge", { metadata: { labels: { touched: "yes" } } });
    await createPod(c, "default", "third", on);
    await waitBound(c, "default", "third");

    const resumed = await openSocket(c, token, `fieldSelector=spec.nodeName%3Dn1&resourceVersion=${resumeFrom}`);
    const missed = await resumed.waitFor(2);
    expect(names(missed)).toEqual(["MODIFIED default/first", "ADDED default/third"]);
    resumed.close();

    // A resourceVersion that was compacted away: the ERROR event with 410, then the socket closes.
    for (let i = 0; i < 60; i++)
      await c.patch(podsPath("default", "first"), "merge", { metadata: { labels: { n: String(i) } } });
    const expired = await openSocket(c, token, "fieldSelector=spec.nodeName%3Dn1&resourceVersion=2");
    const [error] = await expired.waitFor(1);
    expect(error).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
  });
});
