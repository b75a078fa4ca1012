// Pure parts of PersistentVolumeClaim support: the default class and DefaultStorageClass
// admission, the VolumeBinding plugin's verdicts, the provisioned PV and the claim binding, the
// reclaim decisions, and the claim update rules the binder relies on.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyDefaultStorageClass } from "../../api/admission/default-storage-class.ts";
import { Scheduler } from "../../api/scheduler/framework.ts";
import { fitErrorMessage } from "../../api/scheduler/fit-error.ts";
import { nodeViewFrom } from "../../api/scheduler/node-info.ts";
import { podInfoFrom } from "../../api/scheduler/pod-info.ts";
import { defaultProfile } from "../../api/scheduler/registry.ts";
import { ListSnapshot } from "../../api/scheduler/snapshot.ts";
import type { VolumeLister } from "../../api/scheduler/volumes.ts";
import type { KubeObject } from "../../api/types.ts";
import { validatePersistentVolumeClaimUpdate } from "../../api/validation/storage.ts";
import { podClaimNames } from "../../api/volumes/claims.ts";
import { boundClaim, boundClaimStatus, claimBinding, provisionedVolume } from "../../api/volumes/provision.ts";
import { reclaimDecision } from "../../api/volumes/reclaim.ts";
import { defaultClassName, localPathStorageClass } from "../../api/volumes/storage-class.ts";
import type { ApiClient } from "../../node-daemon/api/client.ts";
import { ApiError } from "../../node-daemon/api/errors.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { ClaimResolver } from "../../node-daemon/volumes/claims.ts";
import { LocalPathRoot } from "../../node-daemon/volumes/local-path.ts";
import { nodeInfo } from "./scheduler-fixtures.ts";

const storageClass = (
  name: string,
  extra: Record<string, unknown> = {},
  isDefault = false,
  created = "2026-01-01T00:00:00Z",
) => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: {
    name,
    creationTimestamp: created,
    ...(isDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}),
  },
  provisioner: "rancher.io/local-path",
  reclaimPolicy: "Delete",
  volumeBindingMode: "WaitForFirstConsumer",
  ...extra,
});

const claim = (
  name: string,
  spec: Record<string, unknown> = {},
  extra: Partial<KubeObject["metadata"]> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "apps", uid: `uid-${name}`, resourceVersion: "7", ...extra },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
  status: { phase: "Pending" },
});

const volume = (
  name: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown> = { phase: "Bound" },
): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name },
  spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/x" }, ...spec },
  status,
});

const pinnedTo = (host: string) => ({
  required: {
    nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [host] }] }],
  },
});

function lister(objects: { claims?: KubeObject[]; volumes?: KubeObject[]; classes?: KubeObject[] }): VolumeLister {
  const find = (list: KubeObject[] | undefined, name: string) => list?.find((o) => o.metadata.name === name);
  return {
    claim: (namespace, name) =>
      objects.claims?.find((c) => c.metadata.namespace === namespace && c.metadata.name === name),
    volume: (name) => find(objects.volumes, name),
    storageClass: (name) => find(objects.classes, name),
  };
}

const podUsing = (...claims: string[]) =>
  podInfoFrom({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "app", namespace: "apps", uid: "pod-uid" },
    spec: {
      containers: [{ name: "c", image: "x" }],
      volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })),
    },
  });

/** The default scheduler's verdict: the chosen node, or the FailedScheduling message. */
function schedule(volumes: VolumeLister, ...claims: string[]): string {
  const nodes = [nodeInfo("node-a"), nodeInfo("node-b")];
  const result = new Scheduler(defaultProfile(), () => 0).schedule(
    podUsing(...claims),
    new ListSnapshot(nodes, {}, volumes),
  );
  return result.node ?? fitErrorMessage(result.diagnosis);
}

describe("default StorageClass", () => {
  it("is the class annotated is-default-class; the newest of several; none without one", () => {
    expect(defaultClassName([storageClass("a"), storageClass("b")])).toBeUndefined();
    expect(defaultClassName([storageClass("a"), storageClass("b", {}, true)])).toBe("b");
    const older = storageClass("old", {}, true, "2026-01-01T00:00:00Z");
    const newer = storageClass("new", {}, true, "2026-02-01T00:00:00Z");
    expect(defaultClassName([newer, older])).toBe("new");
    expect(defaultClassName([older, newer])).toBe("new");
    const beta = {
      ...storageClass("beta"),
      metadata: { name: "beta", annotations: { "storageclass.beta.kubernetes.io/is-default-class": "true" } },
    };
    expect(defaultClassName([beta])).toBe("beta");
  });

  it("the cluster's built-in class is rancher's local-path, default, WaitForFirstConsumer, Delete", () => {
    expect(localPathStorageClass()).toEqual({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "local-path", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "rancher.io/local-path",
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
    });
  });

  it('admission fills only a claim without any class ("" and the beta annotation are choices)', () => {
    const classes = [storageClass("local-path", {}, true)];
    const unset = claim("a");
    expect(applyDefaultStorageClass(unset, classes)).toBe("local-path");
    expect((unset.spec as Record<string, unknown>).storageClassName).toBe("local-path");
    const none = claim("b", { storageClassName: "" });
    applyDefaultStorageClass(none, classes);
    expect((none.spec as Record<string, unknown>).storageClassName).toBe("");
    const annotated = claim("c", {}, { annotations: { "volume.beta.kubernetes.io/storage-class": "fast" } });
    applyDefaultStorageClass(annotated, classes);
    expect((annotated.spec as Record<string, unknown>).storageClassName).toBeUndefined();
    const noDefault = claim("d");
    expect(applyDefaultStorageClass(noDefault, [storageClass("x")])).toBeUndefined();
    expect((noDefault.spec as Record<string, unknown>).storageClassName).toBeUndefined();
  });

  it("a claim without a class may get one later; a class once set is fixed", () => {
    const old = claim("a");
    expect(validatePersistentVolumeClaimUpdate(claim("a", { storageClassName: "local-path" }), old)).toEqual([]);
    const set = claim("a", { storageClassName: "local-path" });
    expect(validatePersistentVolumeClaimUpdate(claim("a", { storageClassName: "other" }), set)).toHaveLength(1);
    expect(validatePersistentVolumeClaimUpdate(claim("a", { storageClassName: "" }), old)).toHaveLength(1);
  });
});

describe("VolumeBinding", () => {
  const local = storageClass("local-path", {}, true);

  it("reads claims from persistentVolumeClaim and generic ephemeral volumes", () => {
    expect(
      podClaimNames("web-0", {
        volumes: [
          { name: "data", persistentVolumeClaim: { claimName: "data-web-0" } },
          { name: "scratch", ephemeral: { volumeClaimTemplate: {} } },
          { name: "cfg", configMap: { name: "x" } },
          { name: "again", persistentVolumeClaim: { claimName: "data-web-0" } },
        ],
      }),
    ).toEqual(["data-web-0", "web-0-scratch"]);
  });

  it("a missing or terminating claim rejects the pod everywhere", () => {
    expect(schedule(lister({}), "nope")).toBe('0/2 nodes are available: persistentvolumeclaim "nope" not found.');
    const deleting = claim("going", { storageClassName: "local-path" }, { deletionTimestamp: "2026-01-01T00:00:00Z" });
    expect(schedule(lister({ claims: [deleting], classes: [local] }), "going")).toBe(
      '0/2 nodes are available: persistentvolumeclaim "going" is being deleted.',
    );
  });

  it("an unbound claim of an Immediate class, of a missing class or of none blocks the pod", () => {
    const immediate = storageClass("fast", { volumeBindingMode: "Immediate" });
    const expected = "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.";
    expect(schedule(lister({ claims: [claim("c", { storageClassName: "fast" })], classes: [immediate] }), "c")).toBe(
      expected,
    );
    expect(schedule(lister({ claims: [claim("c", { storageClassName: "ghost" })] }), "c")).toBe(expected);
    expect(schedule(lister({ claims: [claim("c")], classes: [local] }), "c")).toBe(expected);
  });

  it("a WaitForFirstConsumer claim fits any node its class can provision on", () => {
    const wffc = claim("c", { storageClassName: "local-path" });
    expect(schedule(lister({ claims: [wffc], classes: [local] }), "c")).toMatch(/^node-[ab]$/);
    const zoned = storageClass("zoned", {
      allowedTopologies: [{ matchLabelExpressions: [{ key: "kubernetes.io/hostname", values: ["node-b"] }] }],
    });
    const inZone = claim("z", { storageClassName: "zoned" });
    expect(schedule(lister({ claims: [inZone], classes: [zoned] }), "z")).toBe("node-b");
    const manual = storageClass("manual", { provisioner: "kubernetes.io/no-provisioner" });
    expect(schedule(lister({ claims: [claim("m", { storageClassName: "manual" })], classes: [manual] }), "m")).toBe(
      "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.",
    );
  });

  it("a bound claim's volume node affinity restricts the nodes; a missing volume blocks", () => {
    const bound = claim("c", { storageClassName: "local-path", volumeName: "pv-1" });
    const pv = volume("pv-1", { nodeAffinity: pinnedTo("node-b") });
    expect(schedule(lister({ claims: [bound], volumes: [pv], classes: [local] }), "c")).toBe("node-b");
    const elsewhere = volume("pv-1", { nodeAffinity: pinnedTo("node-z") });
    expect(schedule(lister({ claims: [bound], volumes: [elsewhere], classes: [local] }), "c")).toBe(
      "0/2 nodes are available: 2 node(s) had volume node affinity conflict.",
    );
    expect(schedule(lister({ claims: [bound], classes: [local] }), "c")).toMatch(
      /^0\/2 nodes are available: 2 node\(s\) unavailable due to one or more pvc\(s\) bound to non-existent pv\(s\)\./,
    );
  });

  it("a volume already provisioned for an unbound claim (a retried binding) pins the pod to its node", () => {
    const unbound = claim("c", { storageClassName: "local-path" });
    const reserved = provisionedVolume(unbound, local, {
      name: "node-a",
      labels: { "kubernetes.io/hostname": "node-a" },
    });
    expect(schedule(lister({ claims: [unbound], volumes: [reserved], classes: [local] }), "c")).toBe("node-a");
  });
});

describe("provisioning and binding", () => {
  const local = storageClass("local-path", { reclaimPolicy: "Retain" }, true);

  it("a local-path PV: named after the claim, sized and moded like it, pinned to the node, pre-bound", () => {
    const c = claim("data", { storageClassName: "local-path", accessModes: ["ReadWriteOnce"] });
    const node = nodeViewFrom({ metadata: { name: "n1", labels: { "kubernetes.io/hostname": "host-1" } } });
    expect(provisionedVolume(c, local, node)).toEqual({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pvc-uid-data", annotations: { "pv.kubernetes.io/provisioned-by": "rancher.io/local-path" } },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "local-path",
        volumeMode: "Filesystem",
        hostPath: { path: "/var/lib/flotilla/local-path/pvc-uid-data_apps_data", type: "DirectoryOrCreate" },
        claimRef: {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          namespace: "apps",
          name: "data",
          uid: "uid-data",
          resourceVersion: "7",
        },
        nodeAffinity: pinnedTo("host-1"),
      },
    });
    // A node without a hostname label is pinned by name.
    const bare = provisionedVolume(c, local, { name: "n2", labels: {} });
    expect((bare.spec as Record<string, unknown>).nodeAffinity).toEqual({
      required: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n2"] }] }] },
    });
  });

  it("binding writes volumeName, the binder's annotations and a Bound status", () => {
    const c = claim("data", { storageClassName: "local-path" });
    const pv = provisionedVolume(c, local, { name: "n1", labels: {} });
    const binding = claimBinding(c, pv, { node: "n1", provisioner: "rancher.io/local-path" });
    const bound = boundClaim(c, binding);
    expect((bound.spec as Record<string, unknown>).volumeName).toBe("pvc-uid-data");
    expect(bound.metadata.annotations).toEqual({
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
      "volume.kubernetes.io/selected-node": "n1",
      "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path",
      "volume.beta.kubernetes.io/storage-provisioner": "rancher.io/local-path",
    });
    expect(boundClaimStatus(binding)).toEqual({
      phase: "Bound",
      accessModes: ["ReadWriteOnce"],
      capacity: { storage: "1Gi" },
    });
    // The update passes the claim's update rules.
    expect(validatePersistentVolumeClaimUpdate(bound, c)).toEqual([]);
  });
});

describe("reclaim", () => {
  const ref = { kind: "PersistentVolumeClaim", namespace: "apps", name: "data", uid: "uid-data" };
  const bound = claim("data", { volumeName: "pv-1" });

  it("a volume whose claim is gone (or was replaced) is deleted or Released by its policy", () => {
    expect(
      reclaimDecision(volume("pv-1", { claimRef: ref, persistentVolumeReclaimPolicy: "Delete" }), undefined),
    ).toEqual({
      action: "delete",
    });
    const replaced = claim("data", {}, { uid: "uid-new" });
    expect(
      reclaimDecision(volume("pv-1", { claimRef: ref, persistentVolumeReclaimPolicy: "Delete" }), replaced),
    ).toEqual({
      action: "delete",
    });
    expect(
      reclaimDecision(volume("pv-1", { claimRef: ref, persistentVolumeReclaimPolicy: "Retain" }), undefined),
    ).toEqual({
      action: "phase",
      phase: "Released",
    });
    const released = volume("pv-1", { claimRef: ref, persistentVolumeReclaimPolicy: "Retain" }, { phase: "Released" });
    expect(reclaimDecision(released, undefined)).toEqual({ action: "none" });
  });

  it("volumes nobody claims are Available; those their claim names are Bound", () => {
    expect(reclaimDecision(volume("pv-1", {}, { phase: "Pending" }), undefined)).toEqual({
      action: "phase",
      phase: "Available",
    });
    expect(reclaimDecision(volume("pv-1", { claimRef: ref }, { phase: "Pending" }), bound)).toEqual({
      action: "phase",
      phase: "Bound",
    });
    expect(reclaimDecision(volume("pv-1", { claimRef: ref }), bound)).toEqual({ action: "none" });
    // Pre-bound by a user to a claim that does not exist yet.
    const prebound = volume("pv-1", { claimRef: { namespace: "apps", name: "later" } }, { phase: "Pending" });
    expect(reclaimDecision(prebound, undefined)).toEqual({ action: "phase", phase: "Available" });
  });
});

describe("local-path directories on the node", () => {
  const root = new LocalPathRoot("/state/local-path");

  it("PV paths under /var/lib/flotilla/local-path live in the node's root; others are host paths", () => {
    expect(root.hostPath("/var/lib/flotilla/local-path/pvc-1_ns_data")).toBe("/state/local-path/pvc-1_ns_data");
    expect(root.hostPath("/srv/data")).toBe("/srv/data");
    expect(root.hostPath("/var/lib/flotilla/local-path/../../../etc")).toBeUndefined();
    expect(root.hostPath("/var/lib/flotilla/local-path")).toBeUndefined();
  });
});

describe("claims on the node", () => {
  const made: string[] = [];
  const tempRoot = () => {
    const dir = mkdtempSync(join(tmpdir(), "local-path-"));
    made.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  /** An API that answers GETs from `objects` by path, 404 otherwise. */
  const fakeApi = (objects: Record<string, unknown>) =>
    ({
      get: async (path: string) => {
        if (path in objects) return objects[path];
        throw new ApiError(404, `GET ${path}: not found`, "NotFound");
      },
    }) as unknown as ApiClient;
  const claimPath = "/api/v1/namespaces/apps/persistentvolumeclaims/data";
  const pvPath = "/api/v1/persistentvolumes/pvc-1";
  const boundClaimObject = { metadata: { name: "data", uid: "u1" }, spec: { volumeName: "pvc-1" } };
  const localPathPV = (path: string) => ({
    metadata: { name: "pvc-1" },
    spec: { hostPath: { path, type: "DirectoryOrCreate" }, claimRef: { uid: "u1" } },
  });

  it("resolves claim → volume → a directory in the node's root, created world-writable", async () => {
    const dir = tempRoot();
    const resolver = new ClaimResolver(
      fakeApi({ [claimPath]: boundClaimObject, [pvPath]: localPathPV("/var/lib/flotilla/local-path/pvc-1_apps_data") }),
      new LocalPathRoot(dir),
    );
    const path = await resolver.hostPath("apps", "data");
    expect(path).toBe(join(dir, "pvc-1_apps_data"));
    expect(statSync(path).mode & 0o777).toBe(0o777);
  });

  it("says why a claim cannot be mounted (kubelet's FailedMount messages)", async () => {
    const root = new LocalPathRoot(tempRoot());
    const failure = (objects: Record<string, unknown>) =>
      new ClaimResolver(fakeApi(objects), root).hostPath("apps", "data").then(
        () => "mounted",
        (err: Error) => err.message,
      );
    expect(await failure({})).toBe('error processing PVC apps/data: persistentvolumeclaim "data" not found');
    expect(await failure({ [claimPath]: { metadata: { uid: "u1" }, spec: {} } })).toBe(
      "error processing PVC apps/data: PVC is not bound",
    );
    expect(await failure({ [claimPath]: boundClaimObject })).toBe(
      'error processing PVC apps/data: persistentvolume "pvc-1" not found',
    );
    const nfs = { metadata: { name: "pvc-1" }, spec: { nfs: { server: "x", path: "/" }, claimRef: { uid: "u1" } } };
    expect(await failure({ [claimPath]: boundClaimObject, [pvPath]: nfs })).toBe(
      "error processing PVC apps/data: nfs persistent volumes are not supported by this node",
    );
    const other = {
      ...localPathPV("/var/lib/flotilla/local-path/x"),
      spec: { hostPath: { path: "/x" }, claimRef: { uid: "u2" } },
    };
    expect(await failure({ [claimPath]: boundClaimObject, [pvPath]: other })).toBe(
      'error processing PVC apps/data: persistentvolume "pvc-1" is bound to another claim',
    );
  });

  it("the sweep removes directories whose PV is gone, unless a pod here still uses them", async () => {
    const dir = tempRoot();
    for (const name of ["pvc-gone_apps_a", "pvc-kept_apps_b", "pvc-busy_apps_c", "not-a-volume"])
      mkdirSync(join(dir, name));
    const root = new LocalPathRoot(dir);
    const api = fakeApi({ "/api/v1/persistentvolumes/pvc-kept": {} });
    const removed = await root.sweep(api, new Set([join(dir, "pvc-busy_apps_c")]), silentLogger);
    expect(removed).toEqual([join(dir, "pvc-gone_apps_a")]);
    expect(readdirSync(dir).sort()).toEqual(["not-a-volume", "pvc-busy_apps_c", "pvc-kept_apps_b"]);
  });
});
