import { describe, expect, it } from "vitest";
import type { Work } from "../../api/federation/types.ts";
import type { KubeObject } from "../../api/types.ts";
import type { ApiClient } from "../../node-daemon/api/client.ts";
import { ApiError } from "../../node-daemon/api/errors.ts";
import { ManualClock } from "../../node-daemon/clock.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import type { MemberClient } from "../../federation-agent/member-client.ts";
import { WorkSync } from "../../federation-agent/work-sync.ts";

const MANAGED_BY = "federation.flotilla.dev/managed-by";
const FINALIZER = "federation.flotilla.dev/agent-cleanup";
const WORK_PATH = "/apis/work.karmada.io/v1alpha1/namespaces/shop/works/settings.edge";

const configMap = (name: string, data: Record<string, string>, managedBy?: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "shop", ...(managedBy ? { annotations: { [MANAGED_BY]: managedBy } } : {}) },
  data,
});

/** A member with ConfigMaps only; `down` fails every call as a dead network would. */
class FakeMember {
  objects = new Map<string, KubeObject>();
  namespaces = new Set<string>();
  applies = 0;
  down = false;

  private check() {
    if (this.down) throw new TypeError("fetch failed: connect ECONNREFUSED");
  }

  async locate(manifest: KubeObject) {
    this.check();
    if (manifest.kind !== "ConfigMap") return `the member does not serve ${manifest.kind} in ${manifest.apiVersion}`;
    const path = `/api/v1/namespaces/${manifest.metadata.namespace}/configmaps/${manifest.metadata.name}`;
    return {
      gv: { group: "", version: "v1" },
      resource: { name: "configmaps", kind: "ConfigMap", namespaced: true },
      path,
    };
  }
  async get(path: string) {
    this.check();
    return structuredClone(this.objects.get(path));
  }
  async apply(path: string, manifest: KubeObject) {
    this.check();
    if (!this.namespaces.has(manifest.metadata.namespace ?? ""))
      throw new ApiError(404, `namespaces "shop" not found`, "NotFound");
    this.applies++;
    this.objects.set(path, structuredClone(manifest));
    return structuredClone(manifest);
  }
  async ensureNamespace(namespace: string) {
    this.check();
    this.namespaces.add(namespace);
  }
  async delete(path: string) {
    this.check();
    this.objects.delete(path);
  }
}

/** The federation's Work endpoints; `conflicts` makes that many status writes lose a race first. */
class FakeFederation {
  work: Work;
  conflicts = 0;
  statusWrites = 0;
  private rv = 10;

  constructor(work: Work) {
    this.work = work;
  }
  private bump() {
    this.work.metadata.resourceVersion = String(++this.rv);
  }
  async get(path: string) {
    expect(path).toBe(WORK_PATH);
    return structuredClone(this.work);
  }
  async put(path: string, body: Work) {
    expect(path).toBe(`${WORK_PATH}/status`);
    if (this.conflicts > 0) {
      this.conflicts--;
      this.bump();
    }
    if (body.metadata.resourceVersion !== this.work.metadata.resourceVersion)
      throw new ApiError(409, "conflict", "Conflict");
    this.statusWrites++;
    this.work.status = structuredClone(body.status);
    this.bump();
    return structuredClone(this.work);
  }
  async mergePatch(path: string, patch: { metadata: { finalizers: string[]; resourceVersion: string } }) {
    expect(path).toBe(WORK_PATH);
    if (patch.metadata.resourceVersion !== this.work.metadata.resourceVersion)
      throw new ApiError(409, "conflict", "Conflict");
    this.work.metadata.finalizers = patch.metadata.finalizers;
    this.bump();
    return structuredClone(this.work);
  }
}

function setup(manifests: KubeObject[]) {
  const clock = new ManualClock(Date.parse("2026-03-01T10:00:00Z"));
  const work: Work = {
    apiVersion: "work.karmada.io/v1alpha1",
    kind: "Work",
    metadata: {
      name: "settings.edge",
      namespace: "shop",
      uid: "w1",
      resourceVersion: "10",
      generation: 1,
      finalizers: [FINALIZER],
    },
    spec: { workload: { manifests } },
  };
  const federation = new FakeFederation(work);
  const member = new FakeMember();
  const stop = new AbortController();
  const sync = new WorkSync({
    federation: federation as unknown as ApiClient,
    member: member as unknown as MemberClient,
    clock,
    logger: silentLogger,
    signal: stop.signal,
    random: () => 0.5,
  });
  sync.start();
  return { clock, federation, member, sync, work: () => structuredClone(federation.work) };
}

const applied = (work: Work) => work.status?.conditions?.find((c) => c.type === "Applied");

describe("WorkSync", () => {
  it("applies a Work's manifests (namespace first) and reports them; an unchanged member is only re-read", async () => {
    const { clock, federation, member, sync, work } = setup([
      configMap("settings", { color: "blue" }, "fed/shop/settings"),
    ]);
    sync.onAdd(work());
    await clock.advance(0);
    expect(member.namespaces.has("shop")).toBe(true);
    expect(member.objects.get("/api/v1/namespaces/shop/configmaps/settings")?.data).toEqual({ color: "blue" });
    expect(applied(federation.work)).toMatchObject({ status: "True", reason: "AppliedSuccessful" });
    expect(federation.work.status?.manifestStatuses?.[0].health).toBe("Healthy");

    // The status write's own watch event needs nothing; the next look comes 15 s later and changes nothing.
    sync.onUpdate(work(), work());
    await clock.advance(60_000);
    expect(member.applies).toBe(1);
    expect(federation.statusWrites).toBe(1);

    // Deleted in the member behind the agent's back: applied again on the next look.
    member.objects.clear();
    await clock.advance(15_000);
    expect(member.applies).toBe(2);
    await sync.stop();
    expect(clock.pending).toBe(0);
  });

  it("refuses to take over a member's own object and reports unknown kinds, without stopping", async () => {
    const { clock, federation, member, sync, work } = setup([
      configMap("settings", { color: "blue" }, "fed/shop/settings"),
      {
        apiVersion: "example.com/v1",
        kind: "Gadget",
        metadata: { name: "g", namespace: "shop", annotations: { [MANAGED_BY]: "x" } },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bare", namespace: "shop" } },
    ]);
    member.namespaces.add("shop");
    member.objects.set("/api/v1/namespaces/shop/configmaps/settings", configMap("settings", { mine: "yes" }));
    sync.onAdd(work());
    await clock.advance(0);
    expect(applied(federation.work)).toMatchObject({ status: "False", reason: "AppliedFailed" });
    const message = applied(federation.work)?.message ?? "";
    expect(message).toContain("(3/3)");
    expect(message).toContain("ConfigMap settings already exists in the member and is not managed by this federation");
    expect(message).toContain("the member does not serve Gadget in example.com/v1");
    expect(message).toContain(`the manifest carries no ${MANAGED_BY} annotation`);
    expect(member.objects.get("/api/v1/namespaces/shop/configmaps/settings")?.data).toEqual({ mine: "yes" });
    await sync.stop();
  });

  it("writes status through conflicts with the Work's fresh resourceVersion", async () => {
    const { clock, federation, sync, work } = setup([configMap("settings", { color: "blue" }, "fed/shop/settings")]);
    federation.conflicts = 2;
    sync.onAdd(work());
    await clock.advance(0);
    expect(applied(federation.work)?.status).toBe("True");
    expect(federation.statusWrites).toBe(1);
    await sync.stop();
  });

  it("backs off while the member is unreachable, writing nothing, and catches up once it is back", async () => {
    const { clock, federation, member, sync, work } = setup([
      configMap("settings", { color: "blue" }, "fed/shop/settings"),
    ]);
    member.down = true;
    sync.onAdd(work());
    await clock.advance(20_000);
    expect(federation.statusWrites).toBe(0);
    member.down = false;
    await clock.advance(20_000);
    expect(applied(federation.work)?.status).toBe("True");
    await sync.stop();
    expect(clock.pending).toBe(0);
  });

  it("on deletion removes only its own copies, then the cleanup finalizer", async () => {
    const { clock, federation, member, sync, work } = setup([
      configMap("settings", { color: "blue" }, "fed/shop/settings"),
      configMap("theirs", { x: "1" }, "fed/shop/theirs"),
    ]);
    sync.onAdd(work());
    await clock.advance(0);
    // Someone replaced `theirs` in the member since: it is no longer the federation's.
    member.objects.set("/api/v1/namespaces/shop/configmaps/theirs", configMap("theirs", { x: "2" }));
    federation.work.metadata.deletionTimestamp = "2026-03-01T10:01:00Z";
    federation.work.metadata.finalizers = ["other.example/keep", FINALIZER];
    federation.work.metadata.resourceVersion = "99";
    sync.onUpdate(work(), work());
    await clock.advance(0);
    expect(member.objects.has("/api/v1/namespaces/shop/configmaps/settings")).toBe(false);
    expect(member.objects.get("/api/v1/namespaces/shop/configmaps/theirs")?.data).toEqual({ x: "2" });
    expect(federation.work.metadata.finalizers).toEqual(["other.example/keep"]);
    await sync.stop();
  });
});
