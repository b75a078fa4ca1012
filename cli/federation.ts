// `flotilla cluster join MEMBER --federation FED` registers a logical cluster of this deployment
// as a member of a federation, as `karmadactl join` does: a Secret with a token for the member
// and a Karmada `Cluster` pointing at the member's API. `unjoin` removes both.
import type { RootClient } from "./root-client.ts";

/** Where Karmada keeps its members' credentials. */
export const MEMBER_SECRETS_NAMESPACE = "karmada-cluster";

export interface JoinOptions {
  federation: string;
  member: string;
  region?: string;
  zone?: string;
  provider?: string;
  labels?: Record<string, string>;
}

export async function joinFederation(client: RootClient, options: JoinOptions): Promise<void> {
  const { federation, member } = options;
  // Checked before anything is written (a token minted for nothing would stay valid).
  const clusters = new Map((await client.listClusters()).map((c) => [c.name, c.type]));
  if (!clusters.has(member)) throw new Error(`cluster "${member}" does not exist`);
  if (!clusters.has(federation)) throw new Error(`federation "${federation}" does not exist`);
  if (clusters.get(federation) !== "Federation")
    throw new Error(
      `cluster "${federation}" is not a federation (create one with: flotilla cluster create NAME --federation)`,
    );
  const token = await client.mintToken(member, "admin");
  await client.applyIn(federation, `/api/v1/namespaces/${MEMBER_SECRETS_NAMESPACE}`, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: MEMBER_SECRETS_NAMESPACE },
  });
  await client.applyIn(federation, `/api/v1/namespaces/${MEMBER_SECRETS_NAMESPACE}/secrets/${member}`, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: member, namespace: MEMBER_SECRETS_NAMESPACE },
    type: "Opaque",
    stringData: { token },
  });
  await client.applyIn(federation, `/apis/cluster.karmada.io/v1alpha1/clusters/${member}`, {
    apiVersion: "cluster.karmada.io/v1alpha1",
    kind: "Cluster",
    metadata: { name: member, ...(options.labels ? { labels: options.labels } : {}) },
    spec: {
      syncMode: "Push",
      apiEndpoint: `${client.server}/clusters/${member}`,
      secretRef: { namespace: MEMBER_SECRETS_NAMESPACE, name: member },
      ...(options.region ? { region: options.region } : {}),
      ...(options.zone ? { zone: options.zone } : {}),
      ...(options.provider ? { provider: options.provider } : {}),
    },
  });
}

/** How long unjoin waits for the federation to take its copies off the member. */
const UNJOIN_WAIT_MS = 120_000;

/**
 * Deletes the member's Cluster and waits until it is gone (the federation drains the member
 * first, with the member's token), then its Secret.
 */
export async function unjoinFederation(client: RootClient, federation: string, member: string): Promise<void> {
  const cluster = `/apis/cluster.karmada.io/v1alpha1/clusters/${member}`;
  await client.deleteIn(federation, cluster);
  const deadline = Date.now() + UNJOIN_WAIT_MS;
  while (await client.existsIn(federation, cluster)) {
    if (Date.now() > deadline) throw new Error(`cluster ${member} is still being drained; its Secret is kept`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await client.deleteIn(federation, `/api/v1/namespaces/${MEMBER_SECRETS_NAMESPACE}/secrets/${member}`);
}

/** `--label k=v` (repeatable) as a map. */
export function parseLabels(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--label ${pair}: expected KEY=VALUE`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}
