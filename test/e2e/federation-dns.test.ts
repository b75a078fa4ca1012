// A federation's DNS over HTTPS as a stock DoH client sees it: curl's own resolver
// (`--doh-url`, curl 7.62 and later) against the local control plane's TLS port, which then tries
// to connect to the addresses it was given. (BIND's `dig +https` needs HTTP/2, which the local
// workerd socket does not speak; Cloudflare's edge does.) Without a DoH-capable curl the file is skipped.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { joinFederation } from "../../cli/federation.ts";
import { rootClient } from "./clusters.ts";
import { eventually } from "./kubectl.ts";

const FED = "dns-fed";
const EAST = "dns-east";
const WEST = "dns-west";
const NS = "shop";

const hasDoHCurl = (() => {
  const probe = spawnSync("curl", ["--help", "all"], { encoding: "utf8" });
  return probe.status === 0 && probe.stdout.includes("--doh-url");
})();

const run = promisify(execFile);

/**
 * The IPv4 addresses curl resolves `name` to over the federation's DoH endpoint, in the order it
 * tries them (its verbose "Trying" lines); `refused` when curl reports an error rcode (NXDOMAIN,
 * REFUSED) in the answer.
 */
async function resolveWithCurl(name: string): Promise<{ refused: boolean; tried: string[] }> {
  const dohUrl = `${inject("server")}/clusters/${FED}/dns-query`;
  // Port 9 (discard) on TEST-NET addresses: nothing answers, so curl only shows what it tried.
  const args = ["-sv", "--doh-insecure", "--doh-url", dohUrl, "--connect-timeout", "1", "-4", `http://${name}:9/`];
  // curl exits non-zero whatever happens (nothing listens there): only its account of what it did counts.
  const stderr = await run("curl", args, { timeout: 30_000 }).then(
    (out) => out.stderr,
    (err: { stderr?: string }) => err.stderr ?? "",
  );
  const tried = [...stderr.matchAll(/Trying (\d+\.\d+\.\d+\.\d+):9/g)].map((m) => m[1]!);
  return { refused: /DoH: Bad RCODE/.test(stderr), tried };
}

describe.skipIf(!hasDoHCurl)("federation DNS with curl --doh-url", () => {
  beforeAll(async () => {
    const root = rootClient();
    await root.createCluster(FED, "Federation");
    await root.createCluster(EAST);
    await root.createCluster(WEST);
    await joinFederation(root, { federation: FED, member: EAST, region: "us-east" });
    await joinFederation(root, { federation: FED, member: WEST, region: "us-west" });
    await root.applyIn(FED, `/api/v1/namespaces/${NS}`, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: NS },
    });
    await root.applyIn(FED, `/apis/policy.karmada.io/v1alpha1/namespaces/${NS}/propagationpolicies/web`, {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "web", namespace: NS },
      spec: {
        resourceSelectors: [{ apiVersion: "v1", kind: "Service", name: "web" }],
        placement: { clusterAffinity: { clusterNames: [EAST, WEST] } },
      },
    });
    const ip = (member: string, address: string) => ({
      targetCluster: { clusterNames: [member] },
      overriders: { plaintext: [{ path: "/spec/externalIPs", operator: "add", value: [address] }] },
    });
    await root.applyIn(FED, `/apis/policy.karmada.io/v1alpha1/namespaces/${NS}/overridepolicies/ips`, {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "OverridePolicy",
      metadata: { name: "ips", namespace: NS },
      spec: {
        resourceSelectors: [{ apiVersion: "v1", kind: "Service", name: "web" }],
        overrideRules: [ip(EAST, "192.0.2.10"), ip(WEST, "192.0.2.20")],
      },
    });
    // No selector: each copy is healthy once its member has it.
    await root.applyIn(FED, `/api/v1/namespaces/${NS}/services/web`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: NS },
      spec: { ports: [{ port: 80 }] },
    });
  }, 120_000);

  afterAll(async () => {
    const root = rootClient();
    for (const cluster of [FED, EAST, WEST]) await root.deleteCluster(cluster).catch(() => {});
  }, 120_000);

  it("resolves the global and region names, and fails for a name that does not exist", async () => {
    const global = `web.${NS}.${FED}.svc.flotilla.local`;
    // curl tries one address at a time until its connect timeout: both appear in answer order.
    let tried: string[] = [];
    await eventually(
      async () => {
        tried = (await resolveWithCurl(global)).tried;
        return tried.length === 2;
      },
      60_000,
      "curl resolving both members' addresses",
    );
    expect(tried).toEqual(["192.0.2.10", "192.0.2.20"]);
    expect((await resolveWithCurl(`web.${NS}.${FED}.svc.us-west.flotilla.local`)).tried).toEqual(["192.0.2.20"]);
    expect(await resolveWithCurl(`nope.${NS}.${FED}.svc.flotilla.local`)).toEqual({ refused: true, tried: [] });
  });
});
