// The StatefulSet controller inside a NamespaceStore: the test drives the store's alarm
// (runDurableObjectAlarm), plays kubelet through PUT pods/status, and reads what kubectl reads
// (status, ControllerRevisions owned by the set). Orders are taken from a pods watch, so they
// hold for every committed state, not only where the test happens to look.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import type { StatefulSetStatus } from "kubernetes-types/apps/v1";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/controllers/common/types.ts";
import type { ControllerRevision } from "../../api/controllers/history/types.ts";
import type { PersistentVolumeClaim, StatefulSet } from "../../api/controllers/statefulset/types.ts";
import { createCluster, expectStatus, type Client, type WatchReader } from "./helpers.ts";
import {
  driveUntil,
  driveWithKubelet,
  isReady,
  kubelet,
  NS,
  pods,
  PODS,
  REVISIONS,
  storeOf,
} from "./controllers-sets-fixtures.ts";

const STATEFULSETS = `/apis/apps/v1/namespaces/${NS}/statefulsets`;
const CLAIMS = `/api/v1/namespaces/${NS}/persistentvolumeclaims`;

function statefulSet(name: string, replicas: number, spec: Partial<StatefulSet["spec"]> = {}): StatefulSet {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "main", image: "busybox:1", command: ["sh", "-c", "sleep 3600"] }] },
      },
      ...spec,
    },
  };
}

const claimTemplates = [
  {
    metadata: { name: "data" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  },
];

const getSet = (c: Client, name = "web") => c.mustGet<StatefulSet>(`${STATEFULSETS}/${name}`);
const names = async (c: Client) => (await pods(c)).map((p) => p.metadata.name).sort();
const image = (pod: Pod) => pod.spec?.containers[0].image;

/** What `kubectl rollout status sts/<name>` waits for. */
function rolledOut(set: StatefulSet): boolean {
  const s: Partial<StatefulSetStatus> = set.status ?? {};
  const replicas = set.spec.replicas ?? 1;
  if ((s.observedGeneration ?? 0) === 0 || (set.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return false;
  if ((s.readyReplicas ?? 0) < replicas) return false;
  const partition = set.spec.updateStrategy?.rollingUpdate?.partition;
  if (set.spec.updateStrategy?.type === "RollingUpdate" && partition !== undefined) {
    return (s.updatedReplicas ?? 0) >= replicas - partition;
  }
  return s.updateRevision === s.currentRevision;
}

/** The set's revisions as `kubectl rollout history` finds them: by selector, controlled by the set. */
async function history(c: Client, set: StatefulSet): Promise<ControllerRevision[]> {
  const selector = Object.entries(set.spec.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const list = await c.mustList<ControllerRevision>(REVISIONS, `?labelSelector=${encodeURIComponent(selector)}`);
  return list.items
    .filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === set.metadata.uid))
    .sort((a, b) => a.revision - b.revision);
}

/** The order pods were created and deleted in, from a watch started now. */
async function podEvents(c: Client): Promise<WatchReader<Pod>> {
  const list = await c.mustList<Pod>(PODS);
  return (await c.watch(PODS, `resourceVersion=${list.metadata.resourceVersion}`)) as unknown as WatchReader<Pod>;
}

const sequence = (watch: WatchReader<Pod>, type: "ADDED" | "DELETED") =>
  watch.events.filter((e) => e.type === type).map((e) => e.object.metadata.name);

describe("StatefulSet controller in a NamespaceStore", { timeout: 60_000 }, () => {
  it("OrderedReady: claims first, then web-0, and web-1 only once web-0 is Running and Ready", async () => {
    const c = await createCluster("sts-ordered");
    const created = await c.mustCreate<StatefulSet>(
      STATEFULSETS,
      statefulSet("web", 2, { volumeClaimTemplates: claimTemplates }),
    );
    await driveUntil(c, async () => (await pods(c)).length > 0, "web-0");
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(storeOf(c));
    expect(await names(c)).toEqual(["web-0"]); // web-0 is not ready: nothing else

    const [web0] = await pods(c);
    expect(web0.metadata.labels).toMatchObject({
      app: "web",
      "statefulset.kubernetes.io/pod-name": "web-0",
      "apps.kubernetes.io/pod-index": "0",
    });
    expect(web0.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        name: "web",
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(web0.spec?.hostname).toBe("web-0");
    expect(web0.spec?.subdomain).toBe("web");
    expect(web0.spec?.volumes?.[0]).toEqual({ name: "data", persistentVolumeClaim: { claimName: "data-web-0" } });
    const claim = await c.mustGet<PersistentVolumeClaim>(`${CLAIMS}/data-web-0`);
    expect(claim.metadata.labels).toEqual({ app: "web" });
    expect(claim.spec?.resources?.requests).toEqual({ storage: "1Gi" });
    // The claim was there before the pod.
    expect(Date.parse(claim.metadata.creationTimestamp!)).toBeLessThanOrEqual(
      Date.parse(web0.metadata.creationTimestamp!),
    );
    expect(Number(claim.metadata.resourceVersion)).toBeLessThan(Number(web0.metadata.resourceVersion));

    await kubelet(c);
    await driveUntil(c, async () => (await names(c)).length === 2, "web-1");
    expect(await names(c)).toEqual(["web-0", "web-1"]);
    await c.mustGet(`${CLAIMS}/data-web-1`);

    await driveWithKubelet(c, async () => rolledOut(await getSet(c)), "rolled out");
    const set = await getSet(c);
    const [revision] = await history(c, set);
    expect(set.status).toEqual({
      observedGeneration: 1,
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
      currentRevision: revision.metadata.name,
      updateRevision: revision.metadata.name,
      collisionCount: 0,
      availableReplicas: 2,
    });
    expect(revision.revision).toBe(1);
    for (const pod of await pods(c))
      expect(pod.metadata.labels?.["controller-revision-hash"]).toBe(revision.metadata.name);
  });

  it("scales down from the highest ordinal, one pod at a time", async () => {
    const c = await createCluster("sts-scale");
    await c.mustCreate(STATEFULSETS, statefulSet("web", 3));
    await driveWithKubelet(c, async () => rolledOut(await getSet(c)), "3 ready");
    expect(await names(c)).toEqual(["web-0", "web-1", "web-2"]);

    const watch = await podEvents(c);
    expectStatus(await c.patch(`${STATEFULSETS}/web/scale`, "merge", { spec: { replicas: 1 } }), 200, "scale");
    // Unbound pods go at once, so one alarm may remove both; the watch shows the order.
    await driveWithKubelet(c, async () => (await names(c)).length === 1, "1 pod");
    await watch.waitFor((events) => events.filter((e) => e.type === "DELETED").length === 2, "2 deletions");
    expect(sequence(watch, "DELETED")).toEqual(["web-2", "web-1"]);
    await watch.cancel();
    await driveUntil(c, async () => (await getSet(c)).status?.replicas === 1, "status replicas 1");
  });

  it("rolls a template change from the highest ordinal down to the partition; history and undo", async () => {
    const c = await createCluster("sts-roll");
    const strategy = { type: "RollingUpdate", rollingUpdate: { partition: 1 } };
    await c.mustCreate(STATEFULSETS, statefulSet("web", 3, { updateStrategy: strategy }));
    await driveWithKubelet(c, async () => (await getSet(c)).status?.readyReplicas === 3, "3 ready");

    const watch = await podEvents(c);
    expectStatus(
      await c.patch(`${STATEFULSETS}/web`, "strategic", {
        spec: { template: { spec: { containers: [{ name: "main", image: "busybox:2" }] } } },
      }),
      200,
      "set image",
    );
    await driveWithKubelet(c, async () => rolledOut(await getSet(c)), "partitioned rollout");
    let all = await pods(c);
    expect(all.map(image)).toEqual(["busybox:1", "busybox:2", "busybox:2"]);
    await watch.waitFor((events) => events.filter((e) => e.type === "DELETED").length === 2, "2 replacements");
    expect(sequence(watch, "DELETED")).toEqual(["web-2", "web-1"]);
    await watch.cancel();

    let set = await getSet(c);
    let revisions = await history(c, set);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    const [first, second] = revisions;
    expect(set.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 2,
      currentReplicas: 1,
      currentRevision: first.metadata.name,
      updateRevision: second.metadata.name,
    });
    expect(second.data).toEqual({ spec: { template: { ...set.spec.template, $patch: "replace" } } });

    // Partition 0: web-0 follows; then the update revision is the current one.
    expectStatus(
      await c.patch(`${STATEFULSETS}/web`, "merge", { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }),
      200,
      "partition 0",
    );
    await driveWithKubelet(
      c,
      async () => {
        const s = await getSet(c);
        return rolledOut(s) && s.status?.currentRevision === s.status?.updateRevision;
      },
      "full rollout",
    );
    all = await pods(c);
    expect(all.map(image)).toEqual(["busybox:2", "busybox:2", "busybox:2"]);

    // `kubectl rollout undo`: the previous revision's data as a strategic merge patch.
    expectStatus(await c.patch(`${STATEFULSETS}/web`, "strategic", first.data), 200, "undo");
    await driveWithKubelet(
      c,
      async () => {
        const s = await getSet(c);
        return rolledOut(s) && s.status?.currentRevision === s.status?.updateRevision;
      },
      "undo rollout",
    );
    expect((await pods(c)).map(image)).toEqual(["busybox:1", "busybox:1", "busybox:1"]);
    set = await getSet(c);
    revisions = await history(c, set);
    expect(revisions.map((r) => [r.metadata.name, r.revision])).toEqual([
      [second.metadata.name, 2],
      [first.metadata.name, 3],
    ]);
    expect(set.status?.currentRevision).toBe(first.metadata.name);
  });

  it("evicting the NamespaceStore during and between reconciles loses nothing and duplicates nothing", async () => {
    const c = await createCluster("sts-evict");
    const stub = storeOf(c);
    await c.mustCreate(
      STATEFULSETS,
      statefulSet("web", 3, { podManagementPolicy: "Parallel", volumeClaimTemplates: claimTemplates }),
    );
    await evictDurableObject(stub).catch(() => {});
    for (let i = 0; i < 6; i++) {
      const alarm = runDurableObjectAlarm(stub).catch(() => false);
      await evictDurableObject(stub).catch(() => {});
      await alarm;
      await c.mustList(PODS); // wakes the store again
      await kubelet(c, { max: 1 });
      await evictDurableObject(stub).catch(() => {});
    }
    await driveWithKubelet(c, async () => rolledOut(await getSet(c)), "3 ready", { max: 3 });
    expect(await names(c)).toEqual(["web-0", "web-1", "web-2"]);
    expect((await pods(c)).every(isReady)).toBe(true);
    const claims = (await c.mustList<PersistentVolumeClaim>(CLAIMS)).items.map((p) => p.metadata.name).sort();
    expect(claims).toEqual(["data-web-0", "data-web-1", "data-web-2"]);
    expect(await history(c, await getSet(c))).toHaveLength(1);
  });
});
