// Everyday kubectl against the control plane, on the oldest and newest kubectl we support.
import { describe, expect, it, beforeAll } from "vitest";
import { configMap, createNamespace, eventually, kubectl, kubectlFails, kubectlOk } from "./kubectl.ts";

const WEB_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
data:
  greeting: hello
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: web-pod
  labels: {app: web}
spec:
  containers:
    - name: nginx
      image: nginx:1.27
`;

/** The header row of a `kubectl get` table, split into its columns. */
const header = (table: string) => table.split("\n")[0].trim().split(/\s+/);
/** The first column of every data row. */
const names = (table: string) =>
  table
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0]);

describe.each(["1.30", "1.33"])("kubectl %s", (version) => {
  const tag = version.replace(".", "");
  const ns = `basics-${tag}`;
  const k = (args: string[], input?: string) => kubectlOk(args, { version, input });
  const kn = (args: string[], input?: string) => kubectlOk([...args, "-n", ns], { version, input });

  beforeAll(async () => {
    await createNamespace(ns, { version });
  });

  it("version reports the server's Kubernetes version", async () => {
    const out = await k(["version"]);
    expect(out).toMatch(/Server Version: v1\.33\./);
  });

  it("auth can-i, can-i --list and whoami answer for the kubeconfig's credential", async () => {
    expect((await k(["auth", "can-i", "create", "pods", "-n", ns])).trim()).toBe("yes");
    expect((await k(["auth", "can-i", "delete", "nodes", "--subresource=status"])).trim()).toBe("yes");
    expect(await k(["auth", "can-i", "--list", "-n", ns])).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    const whoami = await k(["auth", "whoami"]);
    expect(whoami).toMatch(/^Username\s+flotilla:admin$/m);
    expect(whoami).toMatch(/^Groups\s+\[system:masters system:authenticated\]$/m);
  });

  it("api-resources lists the built-in resources with short names", async () => {
    const out = await k(["api-resources"]);
    const rows = out.split("\n").map((line) => line.trim().split(/\s+/));
    expect(rows).toContainEqual(["pods", "po", "v1", "true", "Pod"]);
    expect(rows).toContainEqual(["deployments", "deploy", "apps/v1", "true", "Deployment"]);
    expect(rows).toContainEqual(["configmaps", "cm", "v1", "true", "ConfigMap"]);
    expect(rows).toContainEqual(["namespaces", "ns", "v1", "false", "Namespace"]);
    const clusterScoped = await k(["api-resources", "--namespaced=false", "-o", "name"]);
    expect(clusterScoped.split("\n")).toContain("namespaces");
    expect(clusterScoped.split("\n")).not.toContain("pods");
  });

  // kubectl 1.32+ sends this one as a protobuf body (see KUBECTL-COMPAT.md).
  it("create namespace", async () => {
    const name = `created-${tag}`;
    expect(await k(["create", "namespace", name])).toContain(`namespace/${name} created`);
    expect(await k(["get", "namespace", name, "-o", "jsonpath={.status.phase}"])).toBe("Active");
  });

  it("create configmap --from-literal (also a protobuf body on 1.32+)", async () => {
    expect(await kn(["create", "configmap", "literal", "--from-literal=a=1", "--from-literal=b=2"])).toContain(
      "configmap/literal created",
    );
    expect(JSON.parse(await kn(["get", "cm", "literal", "-o", "jsonpath={.data}"]))).toEqual({ a: "1", b: "2" });
  });

  it("create -f a YAML stream on stdin (Deployment, ConfigMap, Service, Pod)", async () => {
    const out = await kn(["create", "-f", "-"], WEB_MANIFEST);
    expect(out).toContain("deployment.apps/web created");
    expect(out).toContain("configmap/web-config created");
    expect(out).toContain("service/web created");
    expect(out).toContain("pod/web-pod created");
    expect(await kn(["get", "cm", "web-config", "-o", "jsonpath={.data.greeting}"])).toBe("hello");
  });

  it("get prints the built-in tables", async () => {
    const pods = await kn(["get", "pods"]);
    expect(header(pods)).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    // Controllers may add the Deployment's own pods beside it.
    expect(names(pods)).toContain("web-pod");
    const deploys = await kn(["get", "deploy"]);
    expect(header(deploys)).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    expect(names(deploys)).toEqual(["web"]);
    const services = await kn(["get", "svc"]);
    expect(header(services)).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    const configMaps = await kn(["get", "cm", "web-config"]);
    expect(header(configMaps)).toEqual(["NAME", "DATA", "AGE"]);
    expect(configMaps.split("\n")[1].trim().split(/\s+/).slice(0, 2)).toEqual(["web-config", "1"]);
    const wide = await kn(["get", "pods", "-o", "wide"]);
    expect(header(wide)).toEqual(expect.arrayContaining(["IP", "NODE"]));
  });

  it("get -o yaml|json|jsonpath|name", async () => {
    const yaml = await kn(["get", "deploy", "web", "-o", "yaml"]);
    expect(yaml).toMatch(/^apiVersion: apps\/v1$/m);
    expect(yaml).toMatch(/^kind: Deployment$/m);
    expect(yaml).toMatch(/^ {2}name: web$/m);
    const json = JSON.parse(await kn(["get", "deploy", "web", "-o", "json"]));
    expect(json).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: ns } });
    expect(json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(json.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(json.spec.template.spec.containers[0].image).toBe("nginx:1.27");
    const list = JSON.parse(await kn(["get", "cm", "-o", "json"]));
    expect(list.kind).toBe("List");
    expect(await kn(["get", "deploy", "web", "-o", "jsonpath={.metadata.name}"])).toBe("web");
    expect((await kn(["get", "deploy,svc,cm", "-l", "app=web", "-o", "name"])).trim().split("\n").sort()).toEqual([
      "configmap/web-config",
      "deployment.apps/web",
      "service/web",
    ]);
  });

  it("get -l and --field-selector filter on the server", async () => {
    await kn(["create", "-f", "-"], configMap("other", {}, { app: "other" }));
    expect(names(await kn(["get", "cm", "-l", "app=web"]))).toEqual(["web-config"]);
    expect(names(await kn(["get", "cm", "-l", "app in (web,other)"])).sort()).toEqual(["other", "web-config"]);
    // `!=` also matches objects without the label (kube-root-ca.crt): ask for the label to exist.
    expect(names(await kn(["get", "cm", "-l", "app,app!=web"]))).toEqual(["other"]);
    expect(names(await kn(["get", "cm", "-l", "app!=web"]))).not.toContain("web-config");
    expect(names(await kn(["get", "cm", "--field-selector", "metadata.name=other"]))).toEqual(["other"]);
    expect(names(await kn(["get", "cm", "--field-selector", "metadata.name!=other", "-l", "app"]))).toEqual([
      "web-config",
    ]);
    const none = await kubectl(["get", "cm", "-n", ns, "-l", "app=nothing"], { version });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain(`No resources found in ${ns} namespace.`);
  });

  it("get -A lists every namespace", async () => {
    const other = `basics-${tag}-a`;
    await createNamespace(other, { version });
    await kubectlOk(["create", "-n", other, "-f", "-"], { version, input: configMap("across") });
    await kn(["create", "-f", "-"], configMap("here"));
    const out = await k(["get", "cm", "-A"]);
    expect(header(out)).toEqual(["NAMESPACE", "NAME", "DATA", "AGE"]);
    const rows = out
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/).slice(0, 2).join("/"));
    expect(rows).toEqual(expect.arrayContaining([`${ns}/here`, `${other}/across`]));
  });

  it("--chunk-size=2 pages through 5 objects and returns them all", async () => {
    const paged = `basics-${tag}-paged`;
    await createNamespace(paged, { version });
    const manifests = [1, 2, 3, 4, 5].map((i) => configMap(`page-${i}`, { i: String(i) }));
    await kubectlOk(["create", "-n", paged, "-f", "-"], {
      version,
      input: JSON.stringify({ apiVersion: "v1", kind: "List", items: manifests.map((m) => JSON.parse(m)) }),
    });
    const result = await kubectl(["get", "cm", "-n", paged, "--chunk-size=2", "-v=6"], { version });
    expect(result.code).toBe(0);
    // (A namespace may hold ConfigMaps of its own, such as kube-root-ca.crt.)
    const pages = (list: string[]) => list.filter((name) => name.startsWith("page-"));
    expect(pages(names(result.stdout))).toEqual(["page-1", "page-2", "page-3", "page-4", "page-5"]);
    const requests = result.stderr.split("\n").filter((line) => line.includes(`/namespaces/${paged}/configmaps`));
    expect(requests.filter((line) => line.includes("continue=")).length).toBeGreaterThanOrEqual(2);
    const json = JSON.parse(await kubectlOk(["get", "cm", "-n", paged, "--chunk-size=2", "-o", "json"], { version }));
    expect(pages(json.items.map((item: any) => item.metadata.name))).toEqual([
      "page-1",
      "page-2",
      "page-3",
      "page-4",
      "page-5",
    ]);
  });

  it("label and annotate add, overwrite and remove keys", async () => {
    await kn(["create", "-f", "-"], configMap("tagged"));
    expect(await kn(["label", "cm", "tagged", "tier=front"])).toContain("configmap/tagged labeled");
    expect(await kn(["annotate", "cm", "tagged", "owner=alice"])).toContain("configmap/tagged annotated");
    expect(await kn(["get", "cm", "-l", "tier=front", "-o", "name"])).toBe("configmap/tagged\n");
    // Overwriting needs --overwrite; without it the value stays.
    const clash = await kubectlFails(["label", "cm", "tagged", "tier=back", "-n", ns], { version });
    expect(clash).toContain("already has a value (front)");
    await kn(["label", "cm", "tagged", "tier=back", "--overwrite"]);
    const object = JSON.parse(await kn(["get", "cm", "tagged", "-o", "json"]));
    expect(object.metadata.labels).toEqual({ tier: "back" });
    expect(object.metadata.annotations).toEqual({ owner: "alice" });
    expect(await kn(["label", "cm", "tagged", "tier-"])).toContain("configmap/tagged unlabeled");
    await kn(["annotate", "cm", "tagged", "owner-"]);
    const removed = JSON.parse(await kn(["get", "cm", "tagged", "-o", "json"]));
    expect(removed.metadata.labels?.tier).toBeUndefined();
    expect(removed.metadata.annotations?.owner).toBeUndefined();
  });

  it("patch --type=merge and --type=json", async () => {
    await kn(["create", "-f", "-"], configMap("patched", { a: "1", b: "2" }));
    expect(
      await kn(["patch", "cm", "patched", "--type=merge", "-p", '{"data":{"a":"10","b":null,"c":"3"}}']),
    ).toContain("configmap/patched patched");
    expect(JSON.parse(await kn(["get", "cm", "patched", "-o", "jsonpath={.data}"]))).toEqual({ a: "10", c: "3" });
    await kn([
      "patch",
      "cm",
      "patched",
      "--type=json",
      "-p",
      '[{"op":"replace","path":"/data/a","value":"11"},{"op":"remove","path":"/data/c"},{"op":"add","path":"/data/d","value":"4"}]',
    ]);
    expect(JSON.parse(await kn(["get", "cm", "patched", "-o", "jsonpath={.data}"]))).toEqual({ a: "11", d: "4" });
    // A failing json-patch test operation changes nothing.
    const failed = await kubectlFails(
      ["patch", "cm", "patched", "-n", ns, "--type=json", "-p", '[{"op":"test","path":"/data/a","value":"nope"}]'],
      { version },
    );
    expect(failed).toMatch(/test operation failed/);
    expect(JSON.parse(await kn(["get", "cm", "patched", "-o", "jsonpath={.data}"]))).toEqual({ a: "11", d: "4" });
    // The default (strategic merge) on a Deployment merges containers by name.
    await kn([
      "patch",
      "deploy",
      "web",
      "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}',
    ]);
    const deployment = JSON.parse(await kn(["get", "deploy", "web", "-o", "json"]));
    expect(deployment.spec.template.spec.containers).toEqual([
      expect.objectContaining({
        name: "nginx",
        image: "nginx:1.28",
        ports: [expect.objectContaining({ containerPort: 80 })],
      }),
    ]);
  });

  it("replace -f, and a stale resourceVersion is a Conflict", async () => {
    await kn(["create", "-f", "-"], configMap("replaced", { v: "1" }));
    const stale = JSON.parse(await kn(["get", "cm", "replaced", "-o", "json"]));
    await kn(["label", "cm", "replaced", "bumped=yes"]);
    const conflict = await kubectlFails(["replace", "-n", ns, "-f", "-"], {
      version,
      input: JSON.stringify({ ...stale, data: { v: "stale" } }),
    });
    expect(conflict).toContain("Error from server (Conflict)");
    expect(conflict).toContain('Operation cannot be fulfilled on configmaps "replaced"');
    expect(await kn(["get", "cm", "replaced", "-o", "jsonpath={.data.v}"])).toBe("1");
    const fresh = JSON.parse(await kn(["get", "cm", "replaced", "-o", "json"]));
    expect(await kn(["replace", "-f", "-"], JSON.stringify({ ...fresh, data: { v: "2" } }))).toContain(
      "configmap/replaced replaced",
    );
    const after = JSON.parse(await kn(["get", "cm", "replaced", "-o", "json"]));
    expect(after.data).toEqual({ v: "2" });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(fresh.metadata.resourceVersion));
    expect(after.metadata.uid).toBe(fresh.metadata.uid);
    // Without a resourceVersion, replace is unconditional.
    const { resourceVersion: _rv, ...metadata } = after.metadata;
    await kn(["replace", "-f", "-"], JSON.stringify({ ...after, metadata, data: { v: "3" } }));
    expect(await kn(["get", "cm", "replaced", "-o", "jsonpath={.data.v}"])).toBe("3");
  });

  it("scale deployment --replicas=3", async () => {
    expect(await kn(["scale", "deployment", "web", "--replicas=3"])).toContain("deployment.apps/web scaled");
    expect(await kn(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"])).toBe("3");
    // A precondition on the current size that does not hold changes nothing.
    const failed = await kubectl(["scale", "deployment", "web", "-n", ns, "--current-replicas=5", "--replicas=1"], {
      version,
    });
    expect(failed.code).not.toBe(0);
    expect(await kn(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"])).toBe("3");
  });

  it("delete cm --wait", async () => {
    await kn(["create", "-f", "-"], configMap("doomed"));
    expect(await kn(["delete", "cm", "doomed", "--wait"])).toContain('configmap "doomed" deleted');
    expect(await kubectlFails(["get", "cm", "doomed", "-n", ns], { version })).toContain(
      'Error from server (NotFound): configmaps "doomed" not found',
    );
    expect(await kubectlFails(["delete", "cm", "doomed", "-n", ns], { version })).toContain(
      'Error from server (NotFound): configmaps "doomed" not found',
    );
    expect((await kubectl(["delete", "cm", "doomed", "-n", ns, "--ignore-not-found"], { version })).code).toBe(0);
  });

  it("delete cm -l deletes what matches and nothing else", async () => {
    await kn(["create", "-f", "-"], configMap("sel-1", {}, { batch: "x" }));
    await kn(["create", "-f", "-"], configMap("sel-2", {}, { batch: "x" }));
    await kn(["delete", "cm", "-l", "batch=x"]);
    expect(await kn(["get", "cm", "-l", "batch=x", "-o", "name"])).toBe("");
    expect(await kn(["get", "cm", "web-config", "-o", "name"])).toBe("configmap/web-config\n");
  });

  it("apply -f creates, then applies a change", async () => {
    const manifest = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: applied
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: applied}
  template:
    metadata:
      labels: {app: applied}
    spec:
      containers:
        - name: app
          image: ${image}
`;
    expect(await k(["apply", "-f", "-"], manifest(1, "busybox:1"))).toContain("deployment.apps/applied created");
    const created = JSON.parse(await kn(["get", "deploy", "applied", "-o", "json"]));
    expect(created.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain('"replicas":1');
    expect(await k(["apply", "-f", "-"], manifest(1, "busybox:1"))).toContain("deployment.apps/applied unchanged");
    expect(await k(["apply", "-f", "-"], manifest(2, "busybox:2"))).toContain("deployment.apps/applied configured");
    const updated = JSON.parse(await kn(["get", "deploy", "applied", "-o", "json"]));
    expect(updated.spec.replicas).toBe(2);
    expect(updated.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: "app", image: "busybox:2" }),
    ]);
    expect(updated.metadata.uid).toBe(created.metadata.uid);
    expect(updated.metadata.generation).toBeGreaterThan(created.metadata.generation);
    expect(updated.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain('"replicas":2');
  });

  it("delete namespace removes it and its contents", async () => {
    const doomed = `basics-${tag}-doomed`;
    await createNamespace(doomed, { version });
    await kubectlOk(["create", "-n", doomed, "-f", "-"], { version, input: WEB_MANIFEST });
    expect(await k(["delete", "namespace", doomed])).toContain(`namespace "${doomed}" deleted`);
    await eventually(
      async () => (await kubectl(["get", "ns", doomed], { version })).stderr.includes("(NotFound)"),
      30_000,
      `namespace ${doomed} to be gone`,
    );
    for (const resource of ["cm", "deploy", "rs", "svc", "pods"]) {
      const all = JSON.parse(await k(["get", resource, "-A", "-o", "json"]));
      expect(all.items.filter((item: any) => item.metadata.namespace === doomed)).toEqual([]);
    }
    const inside = await kubectl(["get", "cm", "-n", doomed, "-o", "name"], { version });
    expect(inside.stdout).toBe("");
  });

  it("a namespace can be re-created right after deletion and used at once", async () => {
    const again = `basics-${tag}-again`;
    await createNamespace(again, { version });
    await kubectlOk(["create", "-n", again, "-f", "-"], { version, input: configMap("first") });
    await k(["delete", "namespace", again, "--wait"]);
    await eventually(
      async () => (await kubectl(["get", "ns", again], { version })).stderr.includes("(NotFound)"),
      30_000,
      `namespace ${again} to be gone`,
    );
    await createNamespace(again, { version });
    expect(await kubectlOk(["create", "-n", again, "-f", "-"], { version, input: configMap("second") })).toContain(
      "configmap/second created",
    );
    expect(await kubectlOk(["get", "cm", "second", "-n", again, "-o", "name"], { version })).toBe("configmap/second\n");
    expect((await kubectl(["get", "cm", "first", "-n", again], { version })).stderr).toContain("(NotFound)");
  });

  it("creating in a namespace that does not exist yet, then creating the namespace, works at once", async () => {
    const late = `basics-${tag}-late`;
    const early = await kubectlFails(["create", "-n", late, "-f", "-"], { version, input: configMap("early") });
    expect(early).toContain(`namespaces "${late}" not found`);
    await createNamespace(late, { version });
    expect(await kubectlOk(["create", "-n", late, "-f", "-"], { version, input: configMap("early") })).toContain(
      "configmap/early created",
    );
  });
});
