// Storage object in-use protection: which pods hold a claim back, when a deleted claim or volume
// may lose its protection finalizer.
import { describe, expect, it } from "vitest";
import {
  claimReleasable,
  podUsesClaim,
  protectClaim,
  PVC_PROTECTION_FINALIZER,
  PV_PROTECTION_FINALIZER,
  volumeReleasable,
} from "../../api/controllers/volumes/protection.ts";
import type { KubeObject } from "../../api/types.ts";
import { podClaimNames } from "../../api/volumes/claims.ts";

const DELETED = "2026-11-26T08:00:00Z";

function pod(name: string, options: { node?: string; phase?: string; claim?: string; ephemeral?: string } = {}) {
  const volumes = [
    ...(options.claim ? [{ name: "data", persistentVolumeClaim: { claimName: options.claim } }] : []),
    ...(options.ephemeral ? [{ name: options.ephemeral, ephemeral: { volumeClaimTemplate: { spec: {} } } }] : []),
  ];
  return {
    metadata: { name, namespace: "ns" },
    spec: { ...(options.node ? { nodeName: options.node } : {}), containers: [], volumes },
    status: { phase: options.phase ?? "Running" },
  } as KubeObject;
}

const claim = (name: string, deleted = true): KubeObject => ({
  metadata: {
    name,
    namespace: "ns",
    uid: `uid-${name}`,
    finalizers: [PVC_PROTECTION_FINALIZER],
    ...(deleted ? { deletionTimestamp: DELETED } : {}),
  },
});

const volume = (phase: string, claimUid = "uid-data"): KubeObject => ({
  metadata: { name: "pv", finalizers: [PV_PROTECTION_FINALIZER], deletionTimestamp: DELETED },
  spec: { claimRef: { namespace: "ns", name: "data", uid: claimUid } },
  status: { phase },
});

describe("in-use protection", () => {
  it("a new claim gets the finalizer once", () => {
    const object: KubeObject = { metadata: { name: "data", finalizers: ["example.com/keep"] } };
    protectClaim(object);
    protectClaim(object);
    expect(object.metadata.finalizers).toEqual(["example.com/keep", PVC_PROTECTION_FINALIZER]);
  });

  it("names claims directly and through generic ephemeral volumes", () => {
    const web = pod("web", { claim: "data", ephemeral: "scratch" });
    expect(podClaimNames("web", web.spec as Record<string, unknown>)).toEqual(["data", "web-scratch"]);
  });

  it("only scheduled, unfinished pods hold a claim", () => {
    expect(podUsesClaim(pod("a", { node: "n1", claim: "data" }), "data")).toBe(true);
    expect(podUsesClaim(pod("b", { claim: "data" }), "data")).toBe(false);
    expect(podUsesClaim(pod("c", { node: "n1", claim: "data", phase: "Succeeded" }), "data")).toBe(false);
    expect(podUsesClaim(pod("d", { node: "n1", claim: "data", phase: "Failed" }), "data")).toBe(false);
    expect(podUsesClaim(pod("e", { node: "n1", claim: "other" }), "data")).toBe(false);
  });

  it("a deleted claim is released once no pod uses it; a live one never", () => {
    const user = pod("a", { node: "n1", claim: "data" });
    expect(claimReleasable(claim("data"), [user])).toBe(false);
    expect(claimReleasable(claim("data"), [pod("b", { node: "n1", claim: "other" })])).toBe(true);
    expect(claimReleasable(claim("data", false), [])).toBe(false);
  });

  it("a deleted volume is released when not Bound or its claim is gone", () => {
    const data = claim("data", false);
    expect(volumeReleasable(volume("Bound"), data)).toBe(false);
    expect(volumeReleasable(volume("Released"), data)).toBe(true);
    expect(volumeReleasable(volume("Bound"), undefined)).toBe(true);
    expect(volumeReleasable(volume("Bound", "uid-older"), data)).toBe(true);
  });
});
