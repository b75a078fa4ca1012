// `flotilla cluster create|list|delete NAME`, `flotilla kubeconfig --cluster NAME`,
// `flotilla token create --cluster NAME [--node NODE]`.
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { emptyKubeconfig, readKubeconfig, removeContext, setClusterContext, writeKubeconfig } from "./kubeconfig.ts";
import { kubeconfigPath } from "./paths.ts";
import { RootClient } from "./root-client.ts";
import { joinFederation, parseLabels, unjoinFederation } from "./federation.ts";

const COMMON = {
  server: { type: "string" },
  token: { type: "string" },
  kubeconfig: { type: "string" },
} as const;

function clientFrom(values: { server?: string; token?: string }): RootClient {
  return new RootClient({ server: values.server, token: values.token });
}

const CLUSTER_USAGE =
  "usage: flotilla cluster create NAME [--federation] | list | delete NAME | join MEMBER --federation FED [--region R] [--zone Z] [--provider P] [--label K=V]... | unjoin MEMBER --federation FED";

async function cluster(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...COMMON,
      // On create a flag (the new cluster is a federation); on join and unjoin, the federation's name.
      federation: { type: args.find((arg) => !arg.startsWith("-")) === "create" ? "boolean" : "string" },
      region: { type: "string" },
      zone: { type: "string" },
      provider: { type: "string" },
      label: { type: "string", multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  const [verb, name] = positionals;
  const client = clientFrom(values);
  const path = values.kubeconfig ?? kubeconfigPath();
  switch (verb) {
    case "create": {
      if (!name) throw new Error(CLUSTER_USAGE);
      const created = await client.createCluster(name, values.federation === true ? "Federation" : "Standard");
      const token = await client.mintToken(name, "admin");
      writeKubeconfig(
        path,
        setClusterContext(readKubeconfig(path), { context: name, server: client.server, cluster: name, token }),
      );
      console.log(`cluster "${name}" ${created ? "created" : "already exists"}; context "${name}" added to ${path}`);
      return;
    }
    case "list": {
      const clusters = await client.listClusters();
      const rows = [["NAME", "PHASE", "CREATED"], ...clusters.map((c) => [c.name, c.phase, c.created])];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      for (const row of rows)
        console.log(
          row
            .map((cell, i) => cell.padEnd(widths[i]))
            .join("   ")
            .trimEnd(),
        );
      return;
    }
    case "delete": {
      if (!name) throw new Error("usage: flotilla cluster delete NAME");
      await client.deleteCluster(name);
      writeKubeconfig(path, removeContext(readKubeconfig(path), name));
      console.log(`cluster "${name}" deleted`);
      return;
    }
    case "join": {
      if (!name || typeof values.federation !== "string") throw new Error(CLUSTER_USAGE);
      await joinFederation(client, {
        federation: values.federation,
        member: name,
        region: values.region,
        zone: values.zone,
        provider: values.provider,
        labels: parseLabels(values.label),
      });
      console.log(`cluster "${name}" joined federation "${values.federation}"`);
      return;
    }
    case "unjoin": {
      if (!name || typeof values.federation !== "string") throw new Error(CLUSTER_USAGE);
      await unjoinFederation(client, values.federation, name);
      console.log(`cluster "${name}" left federation "${values.federation}"`);
      return;
    }
    default:
      throw new Error(CLUSTER_USAGE);
  }
}

async function kubeconfig(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...COMMON, cluster: { type: "string", default: "default" } } });
  const client = clientFrom(values);
  const token = await client.mintToken(values.cluster, "admin");
  const config = setClusterContext(emptyKubeconfig(), {
    context: values.cluster,
    server: client.server,
    cluster: values.cluster,
    token,
    current: true,
  });
  process.stdout.write(stringify(config));
}

async function token(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON, cluster: { type: "string", default: "default" }, node: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals[0] !== "create") throw new Error("usage: flotilla token create --cluster NAME [--node NODE]");
  const client = clientFrom(values);
  console.log(await client.mintToken(values.cluster, values.node ? "node" : "admin", values.node));
}

export async function runCommand(command: string | undefined, args: string[], usage: string): Promise<void> {
  switch (command) {
    case "cluster":
      return cluster(args);
    case "kubeconfig":
      return kubeconfig(args);
    case "token":
      return token(args);
    case undefined:
    case "help":
    case "--help":
      console.log(usage);
      return;
    default:
      throw new Error(`unknown command "${command}"\n${usage}`);
  }
}
