import { describe, expect, it } from "vitest";
import { applyStrategicMergePatch } from "../../api/patch/strategic-merge-patch.ts";
import { createThreeWayMergePatch } from "../../api/patch/three-way.ts";

type Obj = Record<string, unknown>;

const deployment = (podSpec: Obj, extra: { spec?: Obj; metadata?: Obj; status?: Obj } = {}): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", ...extra.metadata },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    ...extra.spec,
    template: { metadata: { labels: { app: "web" } }, spec: podSpec },
  },
  ...(extra.status ? { status: extra.status } : {}),
});

const podSpecOf = (obj: unknown) => ((obj as Obj).spec as { template: { spec: Obj } }).template.spec;

/** What `kubectl apply` does: compute the patch, then the server applies it to the live object. */
function apply(lastApplied: unknown, modified: Obj, current: Obj) {
  const patch = createThreeWayMergePatch(lastApplied, modified, current);
  return { patch, result: applyStrategicMergePatch(current, patch) as Obj };
}

describe("createThreeWayMergePatch", () => {
  it("sends an image change the way kubectl does, with $setElementOrder", () => {
    const last = deployment({ containers: [{ name: "app", image: "v1" }] });
    const modified = deployment({ containers: [{ name: "app", image: "v2" }] });
    const current = deployment({ containers: [{ name: "app", image: "v1", imagePullPolicy: "IfNotPresent" }] });
    const { patch, result } = apply(last, modified, current);
    expect(patch).toEqual({
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "app" }],
            containers: [{ name: "app", image: "v2" }],
          },
        },
      },
    });
    expect(podSpecOf(result).containers).toEqual([{ name: "app", image: "v2", imagePullPolicy: "IfNotPresent" }]);
  });

  it("is empty when the manifest has not changed, whatever the server added", () => {
    const manifest = deployment({ containers: [{ name: "app", image: "v1", env: [{ name: "A", value: "1" }] }] });
    const current = deployment(
      {
        containers: [{ name: "app", image: "v1", env: [{ name: "A", value: "1" }], terminationMessagePath: "/dev/x" }],
        restartPolicy: "Always",
      },
      { metadata: { uid: "u", resourceVersion: "5" }, spec: { revisionHistoryLimit: 10 }, status: { replicas: 1 } },
    );
    expect(createThreeWayMergePatch(manifest, manifest, current)).toEqual({});
  });

  it("removes a field dropped from the manifest and keeps fields others set", () => {
    const last = deployment(
      { containers: [{ name: "app", image: "v1" }] },
      { metadata: { labels: { team: "a", tier: "web" } } },
    );
    const modified = deployment(
      { containers: [{ name: "app", image: "v1" }] },
      { metadata: { labels: { team: "a" } } },
    );
    const current = deployment(
      { containers: [{ name: "app", image: "v1" }] },
      { metadata: { labels: { team: "a", tier: "web", "added-by": "someone-else" } } },
    );
    const { patch, result } = apply(last, modified, current);
    expect(patch).toEqual({ metadata: { labels: { tier: null } } });
    expect((result.metadata as Obj).labels).toEqual({ team: "a", "added-by": "someone-else" });
  });

  it("deletes a removed env var by merge key and keeps one the server or another writer added", () => {
    const env = (...names: string[]) => names.map((name) => ({ name, value: name.toLowerCase() }));
    const last = deployment({ containers: [{ name: "app", env: env("A", "B") }] });
    const modified = deployment({ containers: [{ name: "app", env: env("A") }] });
    const current = deployment({ containers: [{ name: "app", env: env("A", "B", "C") }] });
    const { patch, result } = apply(last, modified, current);
    expect(podSpecOf(patch)).toEqual({
      "$setElementOrder/containers": [{ name: "app" }],
      containers: [{ name: "app", "$setElementOrder/env": [{ name: "A" }], env: [{ $patch: "delete", name: "B" }] }],
    });
    expect(podSpecOf(result).containers).toEqual([{ name: "app", env: env("A", "C") }]);
  });

  it("deletes a container removed from the manifest", () => {
    const last = deployment({ containers: [{ name: "app" }, { name: "sidecar" }] });
    const modified = deployment({ containers: [{ name: "app" }] });
    const current = deployment({
      containers: [
        { name: "app", image: "x" },
        { name: "sidecar", image: "y" },
      ],
    });
    const { patch, result } = apply(last, modified, current);
    expect(podSpecOf(patch)).toEqual({
      "$setElementOrder/containers": [{ name: "app" }],
      containers: [{ $patch: "delete", name: "sidecar" }],
    });
    expect(podSpecOf(result).containers).toEqual([{ name: "app", image: "x" }]);
  });

  it("adds a container and keeps the manifest order", () => {
    const last = deployment({ containers: [{ name: "a" }, { name: "c" }] });
    const modified = deployment({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] });
    const { result } = apply(last, modified, last);
    expect(podSpecOf(result).containers).toEqual([{ name: "a" }, { name: "b" }, { name: "c" }]);
  });

  it("reorders containers with $setElementOrder alone", () => {
    const last = deployment({ containers: [{ name: "a" }, { name: "b" }] });
    const modified = deployment({ containers: [{ name: "b" }, { name: "a" }] });
    const { patch, result } = apply(last, modified, last);
    expect(podSpecOf(patch)).toEqual({ "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] });
    expect(podSpecOf(result).containers).toEqual([{ name: "b" }, { name: "a" }]);
  });

  it("switches strategy to Recreate with $retainKeys, dropping the server-defaulted rollingUpdate", () => {
    const rolling = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
    const last = deployment({ containers: [{ name: "app" }] }, { spec: { strategy: { type: "RollingUpdate" } } });
    const modified = deployment({ containers: [{ name: "app" }] }, { spec: { strategy: { type: "Recreate" } } });
    const current = deployment({ containers: [{ name: "app" }] }, { spec: { strategy: rolling } });
    const { patch, result } = apply(last, modified, current);
    expect(patch).toEqual({ spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } });
    expect((result.spec as Obj).strategy).toEqual({ type: "Recreate" });
  });

  it("removes a finalizer with $deleteFromPrimitiveList and keeps others' finalizers", () => {
    const cm = (finalizers: string[]) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", finalizers } });
    const { patch, result } = apply(cm(["a", "b"]), cm(["a"]), cm(["a", "b", "other"]));
    expect(patch).toEqual({
      metadata: { "$deleteFromPrimitiveList/finalizers": ["b"], "$setElementOrder/finalizers": ["a"] },
    });
    expect((result.metadata as Obj).finalizers).toEqual(["a", "other"]);
  });

  it("replaces lists without a strategy (tolerations) whole", () => {
    const t = (key: string) => ({ key, operator: "Exists" });
    const last = deployment({ containers: [{ name: "app" }], tolerations: [t("a"), t("b")] });
    const modified = deployment({ containers: [{ name: "app" }], tolerations: [t("a")] });
    const { patch, result } = apply(last, modified, last);
    expect(podSpecOf(patch)).toEqual({ tolerations: [t("a")] });
    expect(podSpecOf(result).tolerations).toEqual([t("a")]);
  });

  it("removes a whole list dropped from the manifest", () => {
    const last = deployment({ containers: [{ name: "app", ports: [{ containerPort: 80 }] }] });
    const modified = deployment({ containers: [{ name: "app" }] });
    const { result } = apply(last, modified, last);
    expect(podSpecOf(result).containers).toEqual([{ name: "app" }]);
  });

  it("deletes nothing on the first apply (no last-applied configuration)", () => {
    const modified = deployment({ containers: [{ name: "app", image: "v1" }] });
    const current = deployment({ containers: [{ name: "app", image: "v1" }, { name: "injected" }] });
    const { result } = apply(undefined, modified, current);
    expect(podSpecOf(result).containers).toEqual([{ name: "app", image: "v1" }, { name: "injected" }]);
  });

  it("treats unknown kinds like a JSON merge patch", () => {
    const widget = (spec: Obj) => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec });
    const last = widget({ items: [{ name: "a" }, { name: "b" }], size: 1, color: "red" });
    const modified = widget({ items: [{ name: "a" }], size: 2 });
    const current = widget({ items: [{ name: "a" }, { name: "b" }], size: 1, color: "red", owner: "x" });
    const { patch, result } = apply(last, modified, current);
    expect(patch).toEqual({ spec: { items: [{ name: "a" }], size: 2, color: null } });
    expect(result.spec).toEqual({ items: [{ name: "a" }], size: 2, owner: "x" });
  });

  it("does not share references with its inputs", () => {
    const last = deployment({ containers: [{ name: "app" }] });
    const modified = deployment({ containers: [{ name: "app" }, { name: "new", env: [{ name: "A" }] }] });
    const patch = createThreeWayMergePatch(last, modified, last);
    const containers = podSpecOf(patch).containers as Array<{ env: Obj[] }>;
    containers[0]!.env[0]!.name = "changed";
    expect(podSpecOf(modified).containers).toEqual([{ name: "app" }, { name: "new", env: [{ name: "A" }] }]);
  });
});
