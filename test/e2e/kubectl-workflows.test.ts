// Issue #3's acceptance, end to end with the real kubectl 1.30 and 1.33: client-side apply (three-way
// merge), server-side apply and its conflicts, diff, server dry run, explain, edit, set image, rollout
// restart, the protobuf-bodied `create` commands, CRDs (schema, printer columns, subresources, deletion),
// unknown-field validation and the watch-list request path. Every test works in a namespace of its own.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  createNamespace,
  eventually,
  kubectl,
  kubectlFails,
  kubectlOk,
  kubectlStream,
  stopAllStreams,
  watchEstablished,
  type KubectlOptions,
  type KubectlResult,
} from "./kubectl.ts";

type Obj = Record<string, any>;

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
const EDITOR = `sh ${join(FIXTURES, "editor.sh")}`;

/** A fixture file with its `__KEY__` placeholders filled in, written to a fresh file; answers its path. */
function fixture(name: string, vars: Record<string, string | number> = {}): string {
  let text = readFileSync(join(FIXTURES, name), "utf8");
  for (const [key, value] of Object.entries(vars)) text = text.replaceAll(`__${key}__`, String(value));
  if (/__[A-Z]+__/.test(text.replace(/^#.*$/gm, ""))) throw new Error(`fixture ${name}: unfilled placeholder`);
  const path = join(mkdtempSync(join(inject("workDir"), "fixture-")), name);
  writeFileSync(path, text);
  return path;
}

/** The rows of a `kubectl get` table, each split into its columns. */
const table = (out: string) =>
  out
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(/\s{2,}|\t/));

/** Environment that asks kubectl for watch-list: the KUBECTL_WATCH_LIST and client-go's own gate. */
const WATCH_LIST_ENV = { KUBECTL_WATCH_LIST: "true", KUBE_FEATURE_WatchListClient: "true" };

/** The oldest and newest supported kubectl; E2E_KUBECTL_VERSIONS=1.30,1.31,1.32,1.33 runs every one. */
const VERSIONS = (process.env.E2E_KUBECTL_VERSIONS ?? "1.30,1.33").split(",");

afterEach(stopAllStreams);

describe.each(VERSIONS)("kubectl %s workflows", (version) => {
  const tag = version.replace(".", "");
  const run = (args: string[], options: KubectlOptions = {}) => kubectl(args, { version, ...options });
  const ok = (args: string[], options: KubectlOptions = {}) => kubectlOk(args, { version, ...options });
  const fails = (args: string[], options: KubectlOptions = {}) => kubectlFails(args, { version, ...options });
  const getJson = async (ns: string, what: string[]) => JSON.parse(await ok(["get", ...what, "-n", ns, "-o", "json"]));
  /** A fresh namespace for one test. */
  const namespace = async (name: string) => {
    const ns = `wf-${tag}-${name}`;
    await createNamespace(ns, { version });
    return ns;
  };
  const envOf = (container: Obj) =>
    Object.fromEntries((container.env ?? []).map((e: Obj) => [e.name, e.value])) as Record<string, string>;

  describe("client-side apply", () => {
    it("apply -f creates, changes a field, and removing a field from the manifest removes it", async () => {
      const ns = await namespace("apply");
      expect(await ok(["apply", "-n", ns, "-f", fixture("app-v1.yaml")])).toContain("deployment.apps/app created");
      let live = await getJson(ns, ["deploy", "app"]);
      expect(live.metadata.labels).toEqual({ app: "app", tier: "web" });
      expect(envOf(live.spec.template.spec.containers[0])).toEqual({ A: "1", B: "2" });
      const lastApplied = JSON.parse(live.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]);
      expect(lastApplied.metadata.labels).toEqual({ app: "app", tier: "web" });

      expect(await ok(["apply", "-n", ns, "-f", fixture("app-v2.yaml")])).toContain("deployment.apps/app configured");
      live = await getJson(ns, ["deploy", "app"]);
      expect(envOf(live.spec.template.spec.containers[0])).toEqual({ A: "10", B: "2" });

      // A field set by someone else (not in the manifest) survives the three-way merge.
      await ok(["label", "deploy/app", "-n", ns, "owner=someone-else"]);
      expect(await ok(["apply", "-n", ns, "-f", fixture("app-v3.yaml")])).toContain("deployment.apps/app configured");
      live = await getJson(ns, ["deploy", "app"]);
      expect(live.metadata.labels).toEqual({ app: "app", owner: "someone-else" });
      expect(live.spec.template.spec.containers[0].env).toEqual([{ name: "A", value: "10" }]);

      // Re-applying the same manifest changes nothing.
      expect(await ok(["apply", "-n", ns, "-f", fixture("app-v3.yaml")])).toContain("deployment.apps/app unchanged");
      expect((await getJson(ns, ["deploy", "app"])).metadata.resourceVersion).toBe(live.metadata.resourceVersion);
    });

    it("diff -f shows the change (exit 1), then nothing once applied (exit 0)", async () => {
      const ns = await namespace("diff");
      await ok(["apply", "-n", ns, "-f", fixture("app-v1.yaml")]);
      const before = await getJson(ns, ["deploy", "app"]);
      const different = await run(["diff", "-n", ns, "-f", fixture("app-v3.yaml")]);
      expect(different.stderr).toBe("");
      expect(different.code).toBe(1);
      expect(different.stdout).toMatch(/^-\s+tier: web$/m);
      expect(different.stdout).toMatch(/^-\s+value: "1"$/m);
      expect(different.stdout).toMatch(/^\+\s+value: "10"$/m);
      // diff is a server-side dry run: the live object is untouched.
      expect((await getJson(ns, ["deploy", "app"])).metadata.resourceVersion).toBe(before.metadata.resourceVersion);

      await ok(["apply", "-n", ns, "-f", fixture("app-v3.yaml")]);
      const same = await run(["diff", "-n", ns, "-f", fixture("app-v3.yaml")]);
      expect(same).toEqual({ code: 0, stdout: "", stderr: "" });
    });

    it("create --dry-run=server -f stores nothing", async () => {
      const ns = await namespace("dryrun");
      const out = await ok(["create", "--dry-run=server", "-n", ns, "-f", fixture("dry-run.yaml")]);
      expect(out).toContain("configmap/dry created (server dry run)");
      const stderr = await fails(["get", "cm", "dry", "-n", ns]);
      expect(stderr).toContain('Error from server (NotFound): configmaps "dry" not found');
    });
  });

  describe("server-side apply", () => {
    it("creates with 201; a second manager changing spec.replicas conflicts; --force-conflicts takes over", async () => {
      const ns = await namespace("ssa");
      const created = await run([
        "apply",
        "--server-side",
        "-n",
        ns,
        "-f",
        fixture("ssa.yaml", { REPLICAS: 1 }),
        "-v=6",
      ]);
      expect(created.code).toBe(0);
      expect(created.stdout).toContain("deployment.apps/ssa serverside-applied");
      expect(created.stderr).toMatch(/PATCH.*\/deployments\/ssa\?.*201 Created/);

      const conflict = await run([
        "apply",
        "--server-side",
        "--field-manager=other",
        "-n",
        ns,
        "-f",
        fixture("ssa.yaml", { REPLICAS: 3 }),
      ]);
      expect(conflict.code).not.toBe(0);
      expect(conflict.stderr).toContain('conflict with "kubectl": .spec.replicas');
      expect((await getJson(ns, ["deploy", "ssa"])).spec.replicas).toBe(1);

      const forced = await ok([
        "apply",
        "--server-side",
        "--field-manager=other",
        "--force-conflicts",
        "-n",
        ns,
        "-f",
        fixture("ssa.yaml", { REPLICAS: 3 }),
      ]);
      expect(forced).toContain("deployment.apps/ssa serverside-applied");
      const live = JSON.parse(await ok(["get", "deploy", "ssa", "-n", ns, "-o", "json", "--show-managed-fields"]));
      expect(live.spec.replicas).toBe(3);
      const owners = (live.metadata.managedFields as Obj[])
        .filter((entry) => entry.fieldsV1?.["f:spec"]?.["f:replicas"] !== undefined)
        .map((entry) => entry.manager);
      expect(owners).toEqual(["other"]);
    });
  });

  it("explain deployment.spec.strategy prints the field and its description", async () => {
    const out = await ok(["explain", "deployment.spec.strategy"]);
    expect(out).toMatch(/^KIND:\s+Deployment$/m);
    expect(out).toMatch(/^FIELD:\s+strategy\s+<\w+>$/m);
    const description = out.split(/^DESCRIPTION:$/m)[1]?.split(/^FIELDS:$/m)[0] ?? "";
    expect(description.trim()).not.toBe("");
    const fields = out.split(/^FIELDS:$/m)[1] ?? "";
    expect(fields).toMatch(/^\s+rollingUpdate\s+<\w+>$/m);
    expect(fields).toMatch(/^\s+type\s+<string>$/m);
  });

  it("edit with KUBE_EDITOR set to a script stores the change", async () => {
    const ns = await namespace("edit");
    await ok(["apply", "-n", ns, "-f", fixture("app-v1.yaml")]);
    const out = await ok(["edit", "deploy/app", "-n", ns], {
      env: { KUBE_EDITOR: EDITOR, EDIT_FROM: "image: nginx:1.27", EDIT_TO: "image: nginx:1.28" },
    });
    expect(out).toContain("deployment.apps/app edited");
    const live = await getJson(ns, ["deploy", "app"]);
    expect(live.spec.template.spec.containers[0].image).toBe("nginx:1.28");
    // Everything else in the list element is kept (a strategic merge on containers, by name).
    expect(envOf(live.spec.template.spec.containers[0])).toEqual({ A: "1", B: "2" });
  });

  it("set image changes the template; rollout restart adds the restartedAt annotation", async () => {
    const ns = await namespace("rollout");
    await ok(["apply", "-n", ns, "-f", fixture("app-v1.yaml")]);
    const before = await getJson(ns, ["deploy", "app"]);
    expect(await ok(["set", "image", "deploy/app", "-n", ns, "c=nginx:2"])).toContain(
      "deployment.apps/app image updated",
    );
    let live = await getJson(ns, ["deploy", "app"]);
    expect(live.spec.template.spec.containers).toHaveLength(1);
    expect(live.spec.template.spec.containers[0]).toMatchObject({ name: "c", image: "nginx:2" });
    expect(live.metadata.generation).toBeGreaterThan(before.metadata.generation);

    expect(await ok(["rollout", "restart", "deploy/app", "-n", ns])).toContain("deployment.apps/app restarted");
    live = await getJson(ns, ["deploy", "app"]);
    const restartedAt = live.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"];
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(live.spec.template.spec.containers[0].image).toBe("nginx:2");
  });

  // kubectl 1.32+ sends these bodies as protobuf (`Content-Type: application/vnd.kubernetes.protobuf`).
  describe("create subcommands (protobuf bodies on 1.32+)", () => {
    const protobuf = version >= "1.32";
    /** Runs `create …` with -v=8 and checks which body encoding kubectl used. */
    const create = async (args: string[]) => {
      const result = await run(["-v=8", "create", ...args]);
      if (result.code !== 0) throw new Error(`kubectl create ${args.join(" ")} failed:\n${result.stderr}`);
      const sent = result.stderr.includes("Content-Type: application/vnd.kubernetes.protobuf");
      expect(sent, `protobuf body for create ${args[0]}`).toBe(protobuf);
      return result.stdout;
    };

    it("create namespace|configmap|secret generic|deployment|serviceaccount|job", async () => {
      const ns = `wf-${tag}-created`;
      expect(await create(["namespace", ns])).toContain(`namespace/${ns} created`);
      expect((await getJson(ns, ["namespace", ns])).status.phase).toBe("Active");

      expect(await create(["configmap", "cfg", "-n", ns, "--from-literal=a=1", "--from-literal=b=two"])).toContain(
        "configmap/cfg created",
      );
      expect((await getJson(ns, ["cm", "cfg"])).data).toEqual({ a: "1", b: "two" });

      expect(await create(["secret", "generic", "sec", "-n", ns, "--from-literal=user=admin"])).toContain(
        "secret/sec created",
      );
      const secret = await getJson(ns, ["secret", "sec"]);
      expect(secret.type).toBe("Opaque");
      expect(secret.data).toEqual({ user: Buffer.from("admin").toString("base64") });

      expect(
        await create(["deployment", "web", "-n", ns, "--image=nginx:1.27", "--replicas=2", "--port=80"]),
      ).toContain("deployment.apps/web created");
      const deploy = await getJson(ns, ["deploy", "web"]);
      expect(deploy.spec.replicas).toBe(2);
      expect(deploy.spec.selector).toEqual({ matchLabels: { app: "web" } });
      expect(deploy.spec.template.metadata.labels).toEqual({ app: "web" });
      expect(deploy.spec.template.spec.containers[0]).toMatchObject({
        name: "nginx",
        image: "nginx:1.27",
        ports: [{ containerPort: 80 }],
      });

      expect(await create(["serviceaccount", "robot", "-n", ns])).toContain("serviceaccount/robot created");
      expect(await getJson(ns, ["sa", "robot"])).toMatchObject({ kind: "ServiceAccount", metadata: { name: "robot" } });

      expect(await create(["job", "once", "-n", ns, "--image=busybox:1.36", "--", "echo", "hi"])).toContain(
        "job.batch/once created",
      );
      const job = await getJson(ns, ["job", "once"]);
      expect(job.spec.template.spec.restartPolicy).toBe("Never");
      expect(job.spec.template.spec.containers[0]).toMatchObject({
        name: "once",
        image: "busybox:1.36",
        command: ["echo", "hi"],
      });
    });
    // Beyond the acceptance list: the other kinds the build item 6 names.
    it("create cronjob|service clusterip|role|rolebinding", async () => {
      const ns = await namespace("created-more");
      expect(
        await create(["cronjob", "tick", "-n", ns, "--image=busybox:1.36", "--schedule=*/5 * * * *", "--", "date"]),
      ).toContain("cronjob.batch/tick created");
      const cronJob = await getJson(ns, ["cronjob", "tick"]);
      expect(cronJob.spec.schedule).toBe("*/5 * * * *");
      expect(cronJob.spec.jobTemplate.spec.template.spec.containers[0]).toMatchObject({
        image: "busybox:1.36",
        command: ["date"],
      });

      expect(await create(["service", "clusterip", "svc", "-n", ns, "--tcp=80:8080"])).toContain("service/svc created");
      const service = await getJson(ns, ["service", "svc"]);
      expect(service.spec.type).toBe("ClusterIP");
      expect(service.spec.ports[0]).toMatchObject({ name: "80-8080", port: 80, targetPort: 8080, protocol: "TCP" });

      expect(await create(["role", "reader", "-n", ns, "--verb=get,list", "--resource=pods"])).toContain(
        "role.rbac.authorization.k8s.io/reader created",
      );
      expect((await getJson(ns, ["role", "reader"])).rules).toEqual([
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
      ]);

      expect(
        await create(["rolebinding", "readers", "-n", ns, "--role=reader", `--serviceaccount=${ns}:default`]),
      ).toContain("rolebinding.rbac.authorization.k8s.io/readers created");
      const binding = await getJson(ns, ["rolebinding", "readers"]);
      expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" });
      expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "default", namespace: ns }]);
    });
  });

  describe("CustomResourceDefinitions", () => {
    const plural = `widgets${tag}`;
    const crdName = `${plural}.e2e${tag}.flotilla.dev`;
    const crdFile = () => fixture("crd.yaml", { TAG: tag });
    let ns = "";

    const established = async () => {
      await ok(["wait", "--for=condition=Established", `crd/${crdName}`, "--timeout=30s"]);
      // The new resource reaches kubectl's discovery within seconds.
      await eventually(async () => (await run(["get", plural, "-n", ns])).code === 0, 30_000, `kubectl get ${plural}`);
    };

    beforeAll(async () => {
      ns = await namespace("crd");
    });

    it("a CRD with a schema, printer columns, subresources and a short name is served", async () => {
      expect(await ok(["apply", "-f", crdFile()])).toContain(
        `customresourcedefinition.apiextensions.k8s.io/${crdName} created`,
      );
      await established();
      const resources = table(await ok(["api-resources", `--api-group=e2e${tag}.flotilla.dev`]));
      expect(resources[1]).toEqual([plural, `wdg${tag}`, `e2e${tag}.flotilla.dev/v1`, "true", `Widget${tag}`]);
    });

    it("an instance is created (with defaults) and get shows the printer columns", async () => {
      expect(await ok(["apply", "-n", ns, "-f", fixture("widget.yaml", { TAG: tag })])).toContain(
        `widget${tag}.e2e${tag}.flotilla.dev/w1 created`,
      );
      const rows = table(await ok(["get", plural, "-n", ns]));
      expect(rows[0]).toEqual(["NAME", "SIZE", "REPLICAS", "AGE"]);
      expect(rows.slice(1).map((row) => row.slice(0, 3))).toEqual([["w1", "medium", "2"]]);
      // The short name and the category name the same objects.
      expect(table(await ok(["get", `wdg${tag}`, "-n", ns]))[1].slice(0, 3)).toEqual(["w1", "medium", "2"]);
      expect(await ok(["get", `e2ewidgets${tag}`, "-n", ns, "-o", "name"])).toBe(
        `widget${tag}.e2e${tag}.flotilla.dev/w1\n`,
      );
      expect((await getJson(ns, [plural, "w1"])).spec).toEqual({ size: "medium", replicas: 2, color: "blue" });
    });

    it("an enum violation is rejected as Invalid and nothing is stored", async () => {
      const stderr = await fails(["apply", "-v=6", "-n", ns, "-f", fixture("widget-bad-enum.yaml", { TAG: tag })]);
      // 422 with reason Invalid, which kubectl prints as `The <Kind> "<name>" is invalid: <field>: <message>`.
      expect(stderr).toMatch(/POST.*\/widgets\d+\?.*422 Unprocessable Entity/);
      expect(stderr).toContain(
        `The Widget${tag} "w-enum" is invalid: spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"`,
      );
      expect(await fails(["get", plural, "w-enum", "-n", ns])).toContain("(NotFound)");
    });

    it("an unknown field is rejected under the default Strict validation, naming the field", async () => {
      const stderr = await fails(["apply", "-n", ns, "-f", fixture("widget-unknown-field.yaml", { TAG: tag })]);
      expect(stderr).toMatch(/unknown field "spec\.bogus"|\.spec\.bogus: field not declared in schema/);
      expect(await fails(["get", plural, "w-unknown", "-n", ns])).toContain("(NotFound)");
    });

    it("scale and the status subresource work on the custom resource", async () => {
      expect(await ok(["scale", `${plural}/w1`, "-n", ns, "--replicas=4"])).toContain(
        `widget${tag}.e2e${tag}.flotilla.dev/w1 scaled`,
      );
      expect((await getJson(ns, [plural, "w1"])).spec.replicas).toBe(4);

      await ok([
        "patch",
        `${plural}/w1`,
        "-n",
        ns,
        "--subresource=status",
        "--type=merge",
        "-p",
        '{"status":{"replicas":4,"selector":"app=w1"}}',
      ]);
      const scale = JSON.parse(await ok(["get", plural, "w1", "-n", ns, "--subresource=scale", "-o", "json"]));
      expect(scale).toMatchObject({
        kind: "Scale",
        spec: { replicas: 4 },
        status: { replicas: 4, selector: "app=w1" },
      });
      // A write to the main resource leaves status alone.
      await ok(["patch", `${plural}/w1`, "-n", ns, "--type=merge", "-p", '{"status":{"replicas":9}}']);
      expect((await getJson(ns, [plural, "w1"])).status.replicas).toBe(4);
    });

    it("deleting the CRD removes its instances", async () => {
      await ok(["delete", "crd", crdName]);
      const gone = await run(["get", plural, "-n", ns]);
      expect(gone.code).not.toBe(0);
      // Served again from the same definition, the resource has no objects left.
      await ok(["apply", "-f", crdFile()]);
      await established();
      const again = await run(["get", plural, "-n", ns]);
      expect(again.stdout).toBe("");
      expect(again.stderr).toContain(`No resources found in ${ns} namespace.`);
      await ok(["delete", "crd", crdName]);
    });
  });

  describe("unknown fields on a built-in kind", () => {
    it("Strict (the default): apply fails naming the field, nothing is stored", async () => {
      const ns = await namespace("strict");
      const stderr = await fails(["apply", "-n", ns, "-f", fixture("unknown-field.yaml")]);
      expect(stderr).toContain('unknown field "spec.template.spec.containers[0].imagePullPolcy"');
      expect(await fails(["get", "deploy", "typo", "-n", ns])).toContain(
        'Error from server (NotFound): deployments.apps "typo" not found',
      );
    });

    it("--validate=warn: prints the warning and stores the object without the field", async () => {
      const ns = await namespace("warn");
      const result = await run(["apply", "--validate=warn", "-n", ns, "-f", fixture("unknown-field.yaml")]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("deployment.apps/typo created");
      expect(result.stderr).toContain('Warning: unknown field "spec.template.spec.containers[0].imagePullPolcy"');
      const container = (await getJson(ns, ["deploy", "typo"])).spec.template.spec.containers[0];
      expect(container.imagePullPolcy).toBeUndefined();
      expect(container.image).toBe("nginx:1.27");
    });
  });

  describe("with KUBECTL_WATCH_LIST=true", () => {
    // kubectl ≤ 1.34 has no KUBECTL_WATCH_LIST switch of its own; client-go's WatchListClient gate
    // (KUBE_FEATURE_WatchListClient) turns watch-list on for reflectors from kubectl 1.31 on.
    const watchList = version >= "1.31";
    const options = (extra: KubectlOptions = {}): KubectlOptions => ({ ...extra, env: WATCH_LIST_ENV });

    /** Marks every pod of the Deployment `name` Running and Ready, as a kubelet would. */
    const playKubelet = async (ns: string, name: string) => {
      const pods = await ok(["get", "pods", "-n", ns, "-l", `app=${name}`, "-o", "name"]);
      for (const pod of pods.split("\n").filter(Boolean))
        await run([
          "patch",
          pod,
          "-n",
          ns,
          "--subresource=status",
          "--type=merge",
          "-p",
          '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}',
        ]);
    };

    /**
     * Runs a kubectl that waits on a Deployment; once its watch is open (so every later change must
     * reach it through the watch) the test plays kubelet until the command exits.
     */
    const whilePlayingKubelet = async (ns: string, name: string, args: string[]): Promise<KubectlResult> => {
      const stream = kubectlStream([...args, "-n", ns, "-v=6"], options({ version }));
      let code: number | undefined;
      void stream.exited.then((exit) => (code = exit));
      await eventually(() => watchEstablished(stream) || code !== undefined, 20_000, `the watch of ${args[0]}`);
      expect(code, "exited before any pod was ready").toBeUndefined();
      await eventually(
        async () => {
          if (code === undefined) await playKubelet(ns, name);
          return code !== undefined;
        },
        45_000,
        `kubectl ${args.join(" ")}`,
      );
      return { code: code ?? -1, stdout: stream.lines.join("\n"), stderr: stream.errLines.join("\n") };
    };

    /** The watch request of a `-v=6` run: watch-list (sendInitialEvents) when on, list+watch otherwise. */
    const expectWatchListPath = (stderr: string, resource: string) => {
      const requests = stderr.split("\n").filter((line) => line.includes(`/${resource}?`));
      const watches = requests.filter((line) => line.includes("watch=true"));
      expect(watches.length).toBeGreaterThan(0);
      if (watchList) {
        expect(watches[0]).toContain("sendInitialEvents=true");
        expect(watches[0]).toContain("resourceVersionMatch=NotOlderThan");
        expect(watches[0]).toMatch(/200 OK/);
        // No fallback to a plain list (kubectl lists only when the server refuses watch-list).
        expect(requests.filter((line) => !line.includes("watch=true"))).toEqual([]);
      } else {
        expect(watches[0]).not.toContain("sendInitialEvents");
      }
    };

    it("get -w prints an object created afterwards", async () => {
      const ns = await namespace("wl-get");
      const stream = kubectlStream(["get", "cm", "-n", ns, "-w", "-v=6"], options({ version }));
      await eventually(() => watchEstablished(stream), 20_000, "kubectl get cm -w to start watching");
      await ok(["create", "configmap", "later", "-n", ns, "--from-literal=a=1"]);
      await eventually(
        () => stream.lines.some((line) => line.trim().split(/\s+/)[0] === "later"),
        20_000,
        "a row for the new ConfigMap",
      );
      expect(stream.child.exitCode).toBeNull();
    });

    it("rollout status follows the rollout to the end", async () => {
      const ns = await namespace("wl-rollout");
      await ok(["apply", "-n", ns, "-f", fixture("unready.yaml", { NAME: "roll", REPLICAS: 2 })]);
      const result = await whilePlayingKubelet(ns, "roll", ["rollout", "status", "deploy/roll", "--timeout=40s"]);
      expect(result.code, result.stderr).toBe(0);
      // It saw the unfinished rollout first, then followed it through watch events to the end.
      expect(result.stdout).toMatch(/^Waiting for deployment "roll"/m);
      expect(result.stdout).toContain('deployment "roll" successfully rolled out');
      expectWatchListPath(result.stderr, "deployments");
    });

    it("wait --for=condition=Available sees the condition turn true", async () => {
      const ns = await namespace("wl-wait");
      await ok(["apply", "-n", ns, "-f", fixture("unready.yaml", { NAME: "avail", REPLICAS: 1 })]);
      const result = await whilePlayingKubelet(ns, "avail", [
        "wait",
        "--for=condition=Available",
        "deploy/avail",
        "--timeout=40s",
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("deployment.apps/avail condition met");
      expectWatchListPath(result.stderr, "deployments");
    });

    it("a raw watch-list request: initial ADDED events, then the initial-events-end bookmark", async () => {
      const ns = await namespace("wl-raw");
      await ok(["create", "configmap", "one", "-n", ns]);
      await ok(["create", "configmap", "two", "-n", ns]);
      const path =
        `/clusters/default/api/v1/namespaces/${ns}/configmaps?watch=true&sendInitialEvents=true` +
        `&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`;
      const base = new URL(inject("server")).pathname.replace(/\/$/, "");
      const stream = kubectlStream(["get", "--raw", base + path], { version });
      const events = () => stream.lines.filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as Obj);
      await eventually(
        () => events().some((event) => event.type === "BOOKMARK"),
        20_000,
        "the initial-events-end bookmark",
      );
      const seen = events();
      const bookmark = seen.findIndex((event) => event.type === "BOOKMARK");
      const added = seen.slice(0, bookmark).filter((event) => event.type === "ADDED");
      expect(added.map((event) => event.object.metadata.name)).toEqual(expect.arrayContaining(["one", "two"]));
      expect(seen.slice(0, bookmark).every((event) => event.type === "ADDED")).toBe(true);
      expect(seen[bookmark].object.metadata.annotations).toMatchObject({ "k8s.io/initial-events-end": "true" });
      // Changes after the bookmark arrive on the same stream.
      await ok(["create", "configmap", "three", "-n", ns]);
      await eventually(
        () => events().some((event) => event.type === "ADDED" && event.object.metadata.name === "three"),
        20_000,
        "the ADDED event for a later ConfigMap",
      );
    });
  });
});

describe("what KUBECTL_WATCH_LIST changes on kubectl 1.30–1.33", () => {
  it("alone it changes nothing; client-go's KUBE_FEATURE_WatchListClient switches reflectors to watch-list", async () => {
    await createNamespace("wf-wl-env");
    await kubectlOk(["apply", "-n", "wf-wl-env", "-f", fixture("unready.yaml", { NAME: "zero", REPLICAS: 0 })]);
    const watchRequest = async (version: string, env: Record<string, string>) => {
      const result = await kubectl(["rollout", "status", "deploy/zero", "-n", "wf-wl-env", "-v=6"], { version, env });
      expect(result.code, result.stderr).toBe(0);
      return result.stderr.split("\n").find((line) => line.includes("watch=true")) ?? "";
    };
    for (const version of ["1.30", "1.31", "1.32", "1.33"]) {
      expect(await watchRequest(version, { KUBECTL_WATCH_LIST: "true" })).not.toContain("sendInitialEvents");
      const gated = await watchRequest(version, { KUBE_FEATURE_WatchListClient: "true" });
      if (version === "1.30") expect(gated).not.toContain("sendInitialEvents");
      else expect(gated).toContain("sendInitialEvents=true");
    }
  });
});
