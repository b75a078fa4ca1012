import { describe, expect, it } from "vitest";
import {
  blocksOwner,
  decideForDependent,
  deletionModeOf,
  withoutOwnerRefs,
  type OwnerState,
} from "../../api/controllers/gc/decide.ts";
import { OwnerIndex } from "../../api/controllers/gc/owner-index.ts";
import { withoutFinalizer } from "../../api/lifecycle/object-meta.ts";
import type { KubeObject, OwnerReference } from "../../api/types.ts";

const ref = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  name: `rs-${uid}`,
  uid,
  ...extra,
});

const object = (refs: OwnerReference[], meta: Partial<KubeObject["metadata"]> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", uid: "pod-uid", ownerReferences: refs, ...meta },
});

const states =
  (map: Record<string, OwnerState>) =>
  (r: OwnerReference): OwnerState =>
    map[r.uid] ?? "solid";

describe("garbage collector decisions", () => {
  it("leaves objects whose owners are all present", () => {
    expect(decideForDependent(object([ref("a")]), states({}), false)).toEqual({ action: "none" });
    expect(decideForDependent(object([]), states({}), false)).toEqual({ action: "none" });
  });

  it("deletes (Background) an object whose owners are all gone", () => {
    expect(decideForDependent(object([ref("a")]), states({ a: "dangling" }), false)).toEqual({
      action: "delete",
      propagationPolicy: "Background",
    });
  });

  it("keeps an object another owner still holds, dropping the departed references", () => {
    expect(
      decideForDependent(object([ref("a"), ref("b"), ref("c")]), states({ a: "dangling", c: "waiting" }), false),
    ).toEqual({ action: "removeOwnerRefs", uids: ["a", "c"] });
  });

  it("a dependent of a foreground deletion that owns objects itself goes in the foreground too", () => {
    expect(decideForDependent(object([ref("a")]), states({ a: "waiting" }), true)).toEqual({
      action: "delete",
      propagationPolicy: "Foreground",
    });
    expect(decideForDependent(object([ref("a")]), states({ a: "waiting" }), false)).toEqual({
      action: "delete",
      propagationPolicy: "Background",
    });
  });

  it("does not touch objects already being deleted", () => {
    const deleting = object([ref("a")], { deletionTimestamp: "2024-01-01T00:00:00Z" });
    expect(decideForDependent(deleting, states({ a: "dangling" }), false)).toEqual({ action: "none" });
  });

  it("reads the deletion mode from the owner's finalizers", () => {
    const owner = (finalizers: string[], deleting = true): KubeObject => ({
      metadata: { name: "d", finalizers, ...(deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
    });
    expect(deletionModeOf(owner(["orphan"]))).toBe("orphan");
    expect(deletionModeOf(owner(["foregroundDeletion"]))).toBe("foreground");
    expect(deletionModeOf(owner(["example.com/x"]))).toBeUndefined();
    expect(deletionModeOf(owner(["foregroundDeletion"], false))).toBeUndefined();
  });

  it("only blockOwnerDeletion references block a foreground deletion", () => {
    expect(blocksOwner(object([ref("a", { blockOwnerDeletion: true })]), "a")).toBe(true);
    expect(blocksOwner(object([ref("a")]), "a")).toBe(false);
  });

  it("edits copies: references and finalizers removed, empty lists dropped", () => {
    const original = object([ref("a"), ref("b")], { finalizers: ["orphan"] });
    expect(withoutOwnerRefs(original, ["a"]).metadata.ownerReferences?.map((r) => r.uid)).toEqual(["b"]);
    expect(withoutOwnerRefs(original, ["a", "b"]).metadata.ownerReferences).toBeUndefined();
    expect(withoutFinalizer(original, "orphan").metadata.finalizers).toBeUndefined();
    expect(original.metadata.ownerReferences).toHaveLength(2);
  });
});

describe("owner index", () => {
  it("follows objects as their owners change and as they go", () => {
    const index = new OwnerIndex();
    expect(index.update("pods", "p", object([ref("a")])).changed).toBe(true);
    expect(index.update("pods", "p", object([ref("a")])).changed).toBe(false);
    expect(index.dependentsOf("a")).toEqual([{ resource: "pods", name: "p" }]);
    const moved = index.update("pods", "p", object([ref("b")]));
    expect(moved.before.map((r) => r.uid)).toEqual(["a"]);
    expect(index.hasDependents("a")).toBe(false);
    expect(index.dependentsOf("b")).toEqual([{ resource: "pods", name: "p" }]);
    index.update("pods", "p", undefined);
    expect(index.hasDependents("b")).toBe(false);
  });
});
