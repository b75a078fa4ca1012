// The `flotilla` CLI as users run it: clusters, contexts and kubeconfigs that work with kubectl.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { parse } from "yaml";
import type { Kubeconfig } from "../../cli/kubeconfig.ts";
import { call, rootClient } from "./clusters.ts";
import { runFlotilla, runFlotillaOk } from "./flotilla-cli.ts";
import { configMap, kubectl, kubectlOk } from "./kubectl.ts";

const version = "1.33";

let home: string;
let kubeconfig: string;

beforeAll(() => {
  // The CLI keeps state under FLOTILLA_HOME (default ./.flotilla): keep it away from the project.
  home = mkdtempSync(join(inject("workDir"), "cli-"));
  kubeconfig = join(home, "kubeconfig");
});

const flotilla = (args: string[], options: { token?: string } = {}) => runFlotilla(home, args, options);
const flotillaOk = (args: string[]) => runFlotillaOk(home, args);

const readConfig = (path: string) => parse(readFileSync(path, "utf8")) as Kubeconfig;
const tokenIn = (path: string, context: string) => readConfig(path).users.find((u) => u.name === context)?.user.token;
const canReach = async (cluster: string, token: string) =>
  (await call("GET", `/clusters/${cluster}/api/v1/namespaces`, { token })).status === 200;

describe("flotilla CLI", () => {
  it("cluster create adds a context that works with kubectl", async () => {
    const out = await flotillaOk(["cluster", "create", "team-a", "--kubeconfig", kubeconfig]);
    expect(out).toContain(`cluster "team-a" created; context "team-a" added to ${kubeconfig}`);
    const config = readConfig(kubeconfig);
    expect(config.contexts.map((c) => c.name)).toEqual(["team-a"]);
    expect(config["current-context"]).toBe("team-a");
    expect(config.clusters[0].cluster.server).toBe(`${inject("server")}/clusters/team-a`);

    const options = { version, kubeconfig };
    expect(await kubectlOk(["--context", "team-a", "get", "ns", "-o", "name"], options)).toContain("namespace/default");
    await kubectlOk(["--context", "team-a", "create", "-n", "default", "-f", "-"], {
      ...options,
      input: configMap("team-a-only"),
    });
    expect(await kubectlOk(["--context", "team-a", "get", "cm", "team-a-only", "-o", "name"], options)).toBe(
      "configmap/team-a-only\n",
    );
    // A separate cluster: the suite's own cluster does not see it.
    expect((await kubectl(["get", "cm", "team-a-only", "-n", "default"], { version })).stderr).toContain("(NotFound)");
  });

  it("a second cluster create adds a second context and keeps the first", async () => {
    await flotillaOk(["cluster", "create", "team-b", "--kubeconfig", kubeconfig]);
    const config = readConfig(kubeconfig);
    expect(config.contexts.map((c) => c.name).sort()).toEqual(["team-a", "team-b"]);
    expect(config["current-context"]).toBe("team-a");
    const contexts = await kubectlOk(["config", "get-contexts", "-o", "name"], { version, kubeconfig });
    expect(contexts.trim().split("\n").sort()).toEqual(["team-a", "team-b"]);
    const elsewhere = await kubectl(["--context", "team-b", "get", "cm", "team-a-only", "-n", "default"], {
      version,
      kubeconfig,
    });
    expect(elsewhere.stderr).toContain("(NotFound)");
  });

  it("cluster create of an existing cluster says so and refreshes the context", async () => {
    const before = tokenIn(kubeconfig, "team-a")!;
    const out = await flotillaOk(["cluster", "create", "team-a", "--kubeconfig", kubeconfig]);
    expect(out).toContain(`cluster "team-a" already exists`);
    const after = tokenIn(kubeconfig, "team-a")!;
    expect(await canReach("team-a", after)).toBe(true);
    expect(await canReach("team-a", before)).toBe(true);
    // The cluster kept its objects.
    expect(
      await kubectlOk(["--context", "team-a", "get", "cm", "team-a-only", "-o", "name"], { version, kubeconfig }),
    ).toBe("configmap/team-a-only\n");
  });

  it("cluster list shows the clusters", async () => {
    const out = await flotillaOk(["cluster", "list"]);
    const rows = out
      .trim()
      .split("\n")
      .map((line) => line.trim().split(/\s+/));
    expect(rows[0]).toEqual(["NAME", "PHASE", "CREATED"]);
    const byName = new Map(rows.slice(1).map((row) => [row[0], row]));
    for (const name of ["default", "team-a", "team-b"]) {
      expect(byName.get(name)?.[1]).toBe("Ready");
      expect(byName.get(name)?.[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it("kubeconfig --cluster prints a working kubeconfig", async () => {
    const out = await flotillaOk(["kubeconfig", "--cluster", "team-a"]);
    const printed = join(home, "printed-kubeconfig");
    writeFileSync(printed, out);
    const config = readConfig(printed);
    expect(config["current-context"]).toBe("team-a");
    expect(
      await kubectlOk(["get", "cm", "team-a-only", "-n", "default", "-o", "name"], { version, kubeconfig: printed }),
    ).toBe("configmap/team-a-only\n");
  });

  it("token create prints a token for the cluster", async () => {
    const token = (await flotillaOk(["token", "create", "--cluster", "team-b"])).trim();
    expect(token).not.toBe("");
    expect(await canReach("team-b", token)).toBe(true);
    expect(await canReach("team-a", token)).toBe(false);
  });

  it("cluster delete removes the context, and its tokens stop working", async () => {
    const fromContext = tokenIn(kubeconfig, "team-a")!;
    const printed = join(home, "printed-kubeconfig");
    const fromPrinted = tokenIn(printed, "team-a")!;
    expect(await canReach("team-a", fromContext)).toBe(true);

    expect(await flotillaOk(["cluster", "delete", "team-a", "--kubeconfig", kubeconfig])).toContain(
      `cluster "team-a" deleted`,
    );
    const config = readConfig(kubeconfig);
    expect(config.contexts.map((c) => c.name)).toEqual(["team-b"]);
    expect(config.users.map((u) => u.name)).toEqual(["team-b"]);
    expect(config.clusters.map((c) => c.name)).toEqual(["team-b"]);
    expect(config["current-context"]).toBe("team-b");

    expect(await canReach("team-a", fromContext)).toBe(false);
    expect(await canReach("team-a", fromPrinted)).toBe(false);
    const stale = await kubectl(["get", "ns"], { version, kubeconfig: printed });
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain("You must be logged in to the server (Unauthorized)");
    expect((await flotillaOk(["cluster", "list"])).split("\n").map((line) => line.split(/\s+/)[0])).not.toContain(
      "team-a",
    );
    // The other cluster is untouched.
    expect(await kubectlOk(["--context", "team-b", "get", "ns", "-o", "name"], { version, kubeconfig })).toContain(
      "namespace/default",
    );
  });

  it("a cluster re-created under a deleted name starts empty, and old tokens stay dead", async () => {
    const dead = tokenIn(join(home, "printed-kubeconfig"), "team-a")!;
    await flotillaOk(["cluster", "create", "team-a", "--kubeconfig", kubeconfig]);
    expect(await canReach("team-a", dead)).toBe(false);
    const result = await kubectl(["--context", "team-a", "get", "cm", "team-a-only", "-n", "default"], {
      version,
      kubeconfig,
    });
    expect(result.stderr).toContain("(NotFound)");
    expect(await kubectlOk(["--context", "team-a", "get", "ns", "-o", "name"], { version, kubeconfig })).toContain(
      "namespace/default",
    );
    await rootClient().deleteCluster("team-a");
  });

  it("fails clearly on bad input", async () => {
    // Independent invocations: run them side by side (each is a Node start).
    const [noName, badRoot, missing, unknown] = await Promise.all([
      flotilla(["cluster", "create"]),
      flotilla(["cluster", "list"], { token: "not-the-root-token" }),
      flotilla(["kubeconfig", "--cluster", "no-such-cluster"]),
      flotilla(["frobnicate"]),
    ]);
    expect(noName.code).not.toBe(0);
    expect(noName.stderr).toContain("usage: flotilla cluster create NAME");
    expect(badRoot.code).not.toBe(0);
    expect(badRoot.stderr).toMatch(/Unauthorized/);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no-such-cluster/);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});
