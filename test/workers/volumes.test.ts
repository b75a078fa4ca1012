// PersistentVolumeClaims in the control plane: the default local-path StorageClass and
// DefaultStorageClass admission, the scheduler provisioning and binding WaitForFirstConsumer
// claims with their pods (idempotently, across a ClusterStore eviction), the PersistentVolume
// controller's reclaim, and what a node may read.
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { clusterStore } from "../../durable-objects/env.ts";
import { createCluster, expectStatus, type Client } from "./helpers.ts";
import {
  createNode,
  eventsOf,
  eventually,
  finishDeletion,
  getPod,
  nodeToken,
  podObject,
  podsPath,
  waitBound,
  waitUnschedulable,
} from "./scheduler-fixtures.ts";

const NS = "default";
const CLASSES = "/apis/storage.k8s.io/v1/storageclasses";
const VOLUMES = "/api/v1/persistentvolumes";
const claimsPath = (name?: string) => `/api/v1/namespaces/${NS}/persistentvolumeclaims${name ? `/${name}` : ""}`;

interface Claim extends KubeObject {
  spec: { storageClassName?: string; volumeName?: string; [key: string]: unknown };
  status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] };
}

interface Volume extends KubeObject {
  spec: Record<string, any>;
  status?: { phase?: string };
}

const claimObject = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } }, ...spec },
});

const createClaim = (c: Client, name: string, spec?: Record<string, unknown>) =>
  c.mustCreate<Claim>(claimsPath(), claimObject(name, spec));

/** A pod mounting `claim` (optionally pinned to a node by nodeSelector). */
function claimPod(name: string, claim: string, nodeSelector?: Record<string, string>): KubeObject {
  const pod = podObject(name, nodeSelector ? { nodeSelector } : {});
  const spec = pod.spec as Record<string, any>;
  spec.volumes = [{ name: "data", persistentVolumeClaim: { claimName: claim } }];
  spec.containers[0].volumeMounts = [{ name: "data", mountPath: "/data" }];
  return pod;
}

const getClaim = (c: Client, name: string) => c.mustGet<Claim>(claimsPath(name));
const volumes = async (c: Client) => (await c.mustList<Volume>(VOLUMES)).items;

async function waitClaimBound(c: Client, name: string): Promise<Claim> {
  return eventually(async () => {
    const claim = await getClaim(c, name);
    return claim.status?.phase === "Bound" ? claim : undefined;
  }, `claim ${name} Bound`);
}

describe("persistent volume claims", { timeout: 60_000 }, () => {
  it("every cluster has the default local-path class; claims without a class get it", async () => {
    const c = await createCluster("pvc-default");
    const sc = await c.mustGet<KubeObject>(`${CLASSES}/local-path`);
    expect(sc).toMatchObject({
      provisioner: "rancher.io/local-path",
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    });
    expect((await createClaim(c, "plain")).spec.storageClassName).toBe("local-path");
    expect((await createClaim(c, "none", { storageClassName: "" })).spec.storageClassName).toBe("");
    // Server-side apply creates go through the same admission; dry runs show it too.
    const applied = expectStatus(
      await c.json<Claim>(`${claimsPath("applied")}?fieldManager=test`, {
        method: "PATCH",
        body: claimObject("applied"),
        contentType: "application/apply-patch+yaml",
      }),
      201,
      "apply a claim",
    );
    expect(applied.spec.storageClassName).toBe("local-path");
    const dry = expectStatus(await c.create<Claim>(claimsPath(), claimObject("dry"), "?dryRun=All"), 201, "dry run");
    expect((dry as Claim).spec.storageClassName).toBe("local-path");

    // Without a default, a claim keeps no class ...
    await c.mustDelete(`${CLASSES}/local-path`);
    expect((await createClaim(c, "orphan")).spec.storageClassName).toBeUndefined();
    // ... until a default appears: then it gets that one (retroactive default class).
    await c.mustCreate(CLASSES, {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "fast", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
    });
    await eventually(async () => (await getClaim(c, "orphan")).spec.storageClassName === "fast", "orphan gets fast");
    expect((await getClaim(c, "none")).spec.storageClassName).toBe("");
  });

  it("provisions a volume on the pod's node and binds the claim before the pod; reclaims it with the claim", async () => {
    const c = await createCluster("pvc-provision");
    await createNode(c, "node-a", { labels: { disk: "ssd" } });
    await createNode(c, "node-b");
    const claim = await createClaim(c, "data");
    // WaitForFirstConsumer: nothing happens before a pod uses the claim.
    expect(claim.status?.phase).toBe("Pending");
    await c.mustCreate(podsPath(NS), claimPod("writer", "data", { disk: "ssd" }));
    expect(await waitBound(c, NS, "writer")).toBe("node-a");

    // The claim was bound by the time the pod was.
    const bound = await getClaim(c, "data");
    const pvName = `pvc-${claim.metadata.uid}`;
    expect(bound.spec.volumeName).toBe(pvName);
    expect(bound.status).toMatchObject({
      phase: "Bound",
      capacity: { storage: "2Gi" },
      accessModes: ["ReadWriteOnce"],
    });
    expect(bound.metadata.annotations).toMatchObject({
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
      "volume.kubernetes.io/selected-node": "node-a",
      "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path",
    });
    expect(Number(bound.metadata.resourceVersion)).toBeLessThan(
      Number((await getPod(c, NS, "writer")).metadata.resourceVersion),
    );
    const pv = await c.mustGet<Volume>(`${VOLUMES}/${pvName}`);
    expect(pv.spec).toMatchObject({
      capacity: { storage: "2Gi" },
      accessModes: ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Delete",
      storageClassName: "local-path",
      hostPath: { path: `/var/lib/flotilla/local-path/${pvName}_${NS}_data`, type: "DirectoryOrCreate" },
      claimRef: { kind: "PersistentVolumeClaim", namespace: NS, name: "data", uid: claim.metadata.uid },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["node-a"] }] },
          ],
        },
      },
    });
    expect(pv.status?.phase).toBe("Bound");
    const provisioned = await eventually(
      async () => (await eventsOf(c, NS, "data")).find((e) => e.reason === "ProvisioningSucceeded"),
      "a ProvisioningSucceeded event",
    );
    expect(provisioned.message).toBe(`Successfully provisioned volume ${pvName}`);

    // The next pod with the claim follows the volume to its node; no second volume.
    await c.delete(podsPath(NS, "writer"));
    await finishDeletion(c, NS, "writer");
    await c.mustCreate(podsPath(NS), claimPod("reader", "data"));
    expect(await waitBound(c, NS, "reader")).toBe("node-a");
    expect((await volumes(c)).map((v) => v.metadata.name)).toEqual([pvName]);

    // Deleting the claim deletes its volume (reclaimPolicy Delete).
    await c.delete(podsPath(NS, "reader"));
    await finishDeletion(c, NS, "reader");
    await c.mustDelete(claimsPath("data"));
    await eventually(async () => (await volumes(c)).length === 0, "the volume deleted");
  });

  it("a Retain class leaves the volume Released", async () => {
    const c = await createCluster("pvc-retain");
    await createNode(c, "node-a");
    await c.mustCreate(CLASSES, {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "keep" },
      provisioner: "rancher.io/local-path",
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
    });
    const claim = await createClaim(c, "kept", { storageClassName: "keep" });
    await c.mustCreate(podsPath(NS), claimPod("user", "kept"));
    await waitBound(c, NS, "user");
    await waitClaimBound(c, "kept");
    // pvc-protection: the claim a running pod uses stays, Terminating, until the pod is gone.
    await c.mustDelete(claimsPath("kept"));
    const terminating = await c.mustGet<KubeObject>(claimsPath("kept"));
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(terminating.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
    await c.mustDelete(`${podsPath(NS)}/user`, "?gracePeriodSeconds=0");
    await eventually(
      async () => ((await c.get(claimsPath("kept"))).status === 404 ? true : undefined),
      "the claim gone",
    );
    const pv = await eventually(async () => {
      const found = await c.mustGet<Volume>(`${VOLUMES}/pvc-${claim.metadata.uid}`);
      return found.status?.phase === "Released" ? found : undefined;
    }, "the volume Released");
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe("Retain");
  });

  it("a bound volume deleted while its claim exists stays, Terminating, until the claim goes", async () => {
    const c = await createCluster("pv-protect");
    await createNode(c, "node-a");
    const claim = await createClaim(c, "held");
    expect(claim.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
    await c.mustCreate(podsPath(NS), claimPod("user", "held"));
    await waitBound(c, NS, "user");
    await waitClaimBound(c, "held");
    const name = `${VOLUMES}/pvc-${claim.metadata.uid}`;
    expect((await c.mustGet<Volume>(name)).metadata.finalizers).toEqual(["kubernetes.io/pv-protection"]);
    await c.mustDelete(name);
    const held = await c.mustGet<Volume>(name);
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.status?.phase).toBe("Bound");
    await c.mustDelete(`${podsPath(NS)}/user`, "?gracePeriodSeconds=0");
    await c.mustDelete(claimsPath("held"));
    await eventually(async () => ((await c.get(name)).status === 404 ? true : undefined), "the volume gone");
  });

  it("explains claims it cannot use, and retries when the claim appears", async () => {
    const c = await createCluster("pvc-unschedulable");
    await createNode(c, "node-a");
    await c.mustCreate(podsPath(NS), claimPod("waiting", "later"));
    expect(await waitUnschedulable(c, NS, "waiting")).toBe(
      '0/1 nodes are available: persistentvolumeclaim "later" not found. ' +
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    await c.mustCreate(CLASSES, {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "now" },
      provisioner: "example.com/nas",
    });
    await createClaim(c, "immediate", { storageClassName: "now" });
    await c.mustCreate(podsPath(NS), claimPod("stuck", "immediate"));
    expect(await waitUnschedulable(c, NS, "stuck")).toBe(
      "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. " +
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    await createClaim(c, "later");
    expect(await waitBound(c, NS, "waiting")).toBe("node-a");
  });

  it("a volume left from a binding that did not finish is reused, also after the ClusterStore restarts", async () => {
    const c = await createCluster("pvc-idempotent");
    await createNode(c, "node-a");
    await createNode(c, "node-b");
    const claim = await createClaim(c, "data");
    // The state after a crash between "PV created" and "claim bound": the PV exists, pinned to node-b.
    const pvName = `pvc-${claim.metadata.uid}`;
    await c.mustCreate(VOLUMES, {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: pvName, annotations: { "pv.kubernetes.io/provisioned-by": "rancher.io/local-path" } },
      spec: {
        capacity: { storage: "2Gi" },
        accessModes: ["ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Delete",
        storageClassName: "local-path",
        hostPath: { path: `/var/lib/flotilla/local-path/${pvName}_${NS}_data`, type: "DirectoryOrCreate" },
        claimRef: {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          namespace: NS,
          name: "data",
          uid: claim.metadata.uid,
        },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["node-b"] }] },
            ],
          },
        },
      },
    });
    await evictDurableObject(clusterStore(env, c.cluster));
    await c.mustCreate(podsPath(NS), claimPod("app", "data"));
    expect(await waitBound(c, NS, "app")).toBe("node-b");
    expect((await waitClaimBound(c, "data")).spec.volumeName).toBe(pvName);
    expect((await volumes(c)).map((v) => v.metadata.name)).toEqual([pvName]);
    await eventually(
      async () => (await c.mustGet<Volume>(`${VOLUMES}/${pvName}`)).status?.phase === "Bound",
      "PV Bound",
    );
  });

  it("a StatefulSet's claim templates are provisioned and bound, one volume per pod", async () => {
    const c = await createCluster("pvc-sts");
    await createNode(c, "node-a");
    await c.mustCreate(`/apis/apps/v1/namespaces/${NS}/statefulsets`, {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db" },
      spec: {
        replicas: 2,
        podManagementPolicy: "Parallel",
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: {
            containers: [{ name: "db", image: "db:1", volumeMounts: [{ name: "data", mountPath: "/var/lib/db" }] }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        ],
      },
    });
    for (const i of [0, 1]) {
      expect(await waitBound(c, NS, `db-${i}`, 20_000)).toBe("node-a");
      const claim = await waitClaimBound(c, `data-db-${i}`);
      expect(claim.spec).toMatchObject({ storageClassName: "local-path", volumeName: `pvc-${claim.metadata.uid}` });
    }
    expect((await volumes(c)).length).toBe(2);
  });

  it("a node reads claims and volumes, and writes neither", async () => {
    const c = await createCluster("pvc-node-authz");
    await createNode(c, "node-a");
    const claim = await createClaim(c, "data");
    await c.mustCreate(podsPath(NS), claimPod("app", "data"));
    await waitBound(c, NS, "app");
    await waitClaimBound(c, "data");
    const node = c.withToken(await nodeToken(c, "node-a"));
    expect((await node.get(claimsPath("data"))).status).toBe(200);
    expect((await node.get(`${VOLUMES}/pvc-${claim.metadata.uid}`)).status).toBe(200);
    expect((await node.patch(claimsPath("data"), "merge", { metadata: { labels: { x: "y" } } })).status).toBe(403);
    expect((await node.delete(`${VOLUMES}/pvc-${claim.metadata.uid}`)).status).toBe(403);
  });
});
