// Ingress, IngressClass and NetworkPolicy with the real kubectl 1.30 and 1.33: `create ingress`
// (a protobuf body from 1.32 on), `get ing` / `get netpol` tables, `create -f`, explain and delete.
// No ingress controller runs, so ADDRESS stays empty as in a cluster without one.
import { describe, expect, it } from "vitest";
import { createNamespace, kubectl, kubectlFails, kubectlOk, type KubectlOptions } from "./kubectl.ts";

/** The rows of a `kubectl get` table, each split into its columns (empty cells vanish). */
const table = (out: string) =>
  out
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(/\s{2,}/));

describe.each(["1.30", "1.33"])("kubectl %s networking", (version) => {
  const tag = version.replace(".", "");
  const ok = (args: string[], options: KubectlOptions = {}) => kubectlOk(args, { version, ...options });

  it("create ingress, get ing, delete ing", async () => {
    const ns = `net-${tag}-ing`;
    await createNamespace(ns, { version });
    const created = await kubectl(
      ["-v=8", "create", "ingress", "web", "-n", ns, "--class=nginx", "--rule=foo.com/bar*=svc1:8080,tls=my-cert"],
      { version },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("ingress.networking.k8s.io/web created");
    const protobuf = created.stderr.includes("Content-Type: application/vnd.kubernetes.protobuf");
    expect(protobuf, "protobuf request body").toBe(version >= "1.32");

    const rows = table(await ok(["get", "ing", "-n", ns]));
    expect(rows[0]).toEqual(["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]);
    expect(rows.slice(1).map((row) => row.slice(0, 4))).toEqual([["web", "nginx", "foo.com", "80, 443"]]);

    const live = JSON.parse(await ok(["get", "ingress", "web", "-n", ns, "-o", "json"]));
    expect(live.spec).toEqual({
      ingressClassName: "nginx",
      rules: [
        {
          host: "foo.com",
          http: {
            paths: [
              { path: "/bar", pathType: "Prefix", backend: { service: { name: "svc1", port: { number: 8080 } } } },
            ],
          },
        },
      ],
      tls: [{ hosts: ["foo.com"], secretName: "my-cert" }],
    });
    expect(live.status).toEqual({ loadBalancer: {} });

    const described = await ok(["describe", "ing", "web", "-n", ns]);
    expect(described).toMatch(/^Ingress Class:\s+nginx$/m);
    expect(described).toMatch(/^\s+foo\.com\s*$/m);
    expect(described).toMatch(/^\s+\/bar\s+svc1:8080/m);

    expect(await ok(["delete", "ing", "web", "-n", ns])).toContain('ingress.networking.k8s.io "web" deleted');
    const after = await kubectl(["get", "ing", "-n", ns], { version });
    expect(after.stdout.trim()).toBe("");
    expect(after.stderr).toContain(`No resources found in ${ns} namespace.`);
  });

  it("create ingress with an IP as host fails with the server's Invalid error", async () => {
    const ns = `net-${tag}-bad`;
    await createNamespace(ns, { version });
    const stderr = await kubectlFails(["create", "ingress", "bad", "-n", ns, "--rule=10.0.0.1/=svc1:80"], {
      version,
    });
    // `create ingress` wraps the server's Status message (as it does against kube-apiserver).
    expect(stderr.trim()).toBe(
      'error: failed to create ingress: Ingress.networking.k8s.io "bad" is invalid: ' +
        'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    );
  });

  it("create -f an IngressClass and a NetworkPolicy, get them, explain ingressclass.spec", async () => {
    const ns = `net-${tag}-pol`;
    await createNamespace(ns, { version });
    const className = `nginx-${tag}`;
    const ingressClass = {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: className },
      spec: { controller: "k8s.io/ingress-nginx" },
    };
    expect(await ok(["create", "-f", "-"], { input: JSON.stringify(ingressClass) })).toContain(
      `ingressclass.networking.k8s.io/${className} created`,
    );
    const classRows = table(await ok(["get", "ingressclass", className]));
    expect(classRows[0]).toEqual(["NAME", "CONTROLLER", "PARAMETERS", "AGE"]);
    expect(classRows[1]?.slice(0, 3)).toEqual([className, "k8s.io/ingress-nginx", "<none>"]);

    const policy = [
      "apiVersion: networking.k8s.io/v1",
      "kind: NetworkPolicy",
      "metadata:",
      "  name: db",
      "spec:",
      "  podSelector:",
      "    matchLabels:",
      "      role: db",
      "  ingress:",
      "  - from:",
      "    - podSelector:",
      "        matchLabels:",
      "          role: api",
      "    ports:",
      "    - port: 5432",
      "",
    ].join("\n");
    expect(await ok(["create", "-n", ns, "-f", "-"], { input: policy })).toContain(
      "networkpolicy.networking.k8s.io/db created",
    );
    const policyRows = table(await ok(["get", "netpol", "-n", ns]));
    expect(policyRows[0]).toEqual(["NAME", "POD-SELECTOR", "AGE"]);
    expect(policyRows[1]?.slice(0, 2)).toEqual(["db", "role=db"]);
    const live = JSON.parse(await ok(["get", "networkpolicy", "db", "-n", ns, "-o", "json"]));
    expect(live.spec.policyTypes).toEqual(["Ingress"]);
    expect(live.spec.ingress[0].ports).toEqual([{ port: 5432, protocol: "TCP" }]);

    const explained = await ok(["explain", "ingressclass.spec"]);
    expect(explained).toMatch(/^KIND:\s+IngressClass$/m);
    expect(explained.split(/^FIELDS:$/m)[1] ?? "").toMatch(/^\s+controller\s+<string>$/m);

    await ok(["delete", "ingressclass", className]);
    await ok(["delete", "netpol", "db", "-n", ns]);
  });
});
