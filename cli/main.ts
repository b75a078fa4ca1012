// Command-line entry: `flotilla <command> …`.
import { parseArgs } from "node:util";

const USAGE = `usage: flotilla <command>

  start [--no-node]             run the local control plane and a node for this host (npm start)
  cluster create|list|delete    manage logical clusters
  kubeconfig --cluster NAME     print a kubeconfig for a cluster
  node --cluster NAME           run a node daemon: this host runs the cluster's pods
  agent --server URL --token T --cluster-name NAME --kubeconfig PATH [--context C]
        [--region R] [--zone Z] [--provider P] [--label K=V]...
                                run a Pull-mode federation member's agent (the federation at URL,
                                the member from the kubeconfig)
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start": {
      const { values } = parseArgs({
        args: rest,
        options: {
          host: { type: "string", default: "127.0.0.1" },
          port: { type: "string", default: process.env.PORT ?? "8787" },
          cluster: { type: "string", default: "default" },
          node: { type: "boolean", default: true },
        },
        allowNegative: true,
      });
      const { start } = await import("./start.ts"); // Miniflare loads only for `start`
      await start({ host: values.host, port: Number(values.port), cluster: values.cluster, node: values.node });
      return;
    }
    case "node": {
      const { runNode } = await import("./node.ts");
      await runNode(rest);
      return;
    }
    case "agent": {
      const { runAgent } = await import("./agent.ts");
      await runAgent(rest);
      return;
    }
    default: {
      const { runCommand } = await import("./commands.ts");
      await runCommand(command, rest, USAGE);
    }
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : "";
  console.error(`error: ${err instanceof Error ? err.message : String(err)}${cause}`);
  if (process.env.FLOTILLA_DEBUG) console.error(err);
  process.exit(1);
});
