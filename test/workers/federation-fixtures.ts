// Shared set-up for the federation suites: a Federation cluster with members of the same
// deployment, joined as `karmadactl join` would (Karmada `Cluster` + token Secret).
import type { KubeObject } from "../../api/types.ts";
import { callJson, Client, expectStatus, root, ROOT_TOKEN, TENANCY, uniqueName } from "./helpers.ts";
import { eventually } from "./scheduler-fixtures.ts";

export const CLUSTERS = "/apis/cluster.karmada.io/v1alpha1/clusters";
export const PP = (ns: string) => `/apis/policy.karmada.io/v1alpha1/namespaces/${ns}/propagationpolicies`;
export const OP = (ns: string) => `/apis/policy.karmada.io/v1alpha1/namespaces/${ns}/overridepolicies`;
export const RB = (ns: string) => `/apis/work.karmada.io/v1alpha2/namespaces/${ns}/resourcebindings`;

export async function logicalCluster(prefix: string, type: "Standard" | "Federation"): Promise<Client> {
  const name = uniqueName(prefix);
  expectStatus(
    await callJson(TENANCY, {
      method: "POST",
      token: ROOT_TOKEN,
      body: { apiVersion: "tenancy.flotilla.dev/v1alpha1", kind: "LogicalCluster", metadata: { name }, spec: { type } },
    }),
    201,
  );
  const token = expectStatus(await root.token(name), 201).status?.token ?? "";
  const client = new Client(name, token);
  await client.ready("default");
  return client;
}

/** Registers `member` with the federation as `karmadactl join` would. */
export async function join(
  fed: Client,
  member: Client,
  spec: Record<string, unknown> = {},
  labels?: Record<string, string>,
) {
  await fed.createNamespace("karmada-cluster").catch(() => undefined);
  await fed.mustCreate("/api/v1/namespaces/karmada-cluster/secrets", {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: member.cluster },
    stringData: { token: member.token },
  });
  await fed.mustCreate(CLUSTERS, {
    apiVersion: "cluster.karmada.io/v1alpha1",
    kind: "Cluster",
    metadata: { name: member.cluster, labels },
    spec: {
      syncMode: "Push",
      apiEndpoint: `https://127.0.0.1:8443/clusters/${member.cluster}`,
      secretRef: { namespace: "karmada-cluster", name: member.cluster },
      ...spec,
    },
  });
}

export const readyMember = (fed: Client, name: string) =>
  eventually(async () => {
    const cluster = await fed.mustGet<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(
      `${CLUSTERS}/${name}`,
    );
    return cluster.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? cluster : undefined;
  }, `member ${name} Ready`);

/** A federation with members east (us-east) and west (us-west), both Ready; `extra` adds to each member's spec. */
export async function federationWithTwoMembers(
  extra: { east?: Record<string, unknown>; west?: Record<string, unknown> } = {},
) {
  const fed = await logicalCluster("fed", "Federation");
  const east = await logicalCluster("east", "Standard");
  const west = await logicalCluster("west", "Standard");
  await join(fed, east, { region: "us-east", ...extra.east }, { env: "prod" });
  await join(fed, west, { region: "us-west", ...extra.west }, { env: "prod" });
  await readyMember(fed, east.cluster);
  await readyMember(fed, west.cluster);
  return { fed, east, west };
}
