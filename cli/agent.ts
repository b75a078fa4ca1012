// `flotilla agent`: runs a Pull-mode member's agent on this host until interrupted.
//   flotilla agent --server URL --token TOKEN --cluster-name NAME --kubeconfig PATH [--context C]
//                  [--region R] [--zone Z] [--provider P] [--label K=V]...
// --server is the federation's URL (https://host/clusters/<federation>) and --token an admin
// token of it; the kubeconfig says how to reach the member this agent speaks for.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { connectionFromKubeconfig } from "../federation-agent/config.ts";
import { startFederationAgent } from "../federation-agent/agent.ts";
import { parseLabels } from "./federation.ts";

export const AGENT_USAGE =
  "usage: flotilla agent --server URL --token TOKEN --cluster-name NAME --kubeconfig PATH [--context C] " +
  "[--region R] [--zone Z] [--provider P] [--label K=V]...";

export async function runAgent(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      server: { type: "string" },
      token: { type: "string" },
      "cluster-name": { type: "string" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      region: { type: "string" },
      zone: { type: "string" },
      provider: { type: "string" },
      label: { type: "string", multiple: true },
    },
    strict: true,
  });
  const clusterName = values["cluster-name"];
  if (!values.server || !values.token || !clusterName || !values.kubeconfig) throw new Error(AGENT_USAGE);
  const path = values.kubeconfig;
  const member = connectionFromKubeconfig(readFileSync(path, "utf8"), {
    path,
    context: values.context,
    readFile: (file) => readFileSync(file, "utf8"),
  });
  const agent = startFederationAgent({
    federation: { server: values.server, token: values.token },
    member,
    clusterName,
    registration: {
      region: values.region,
      zone: values.zone,
      provider: values.provider,
      labels: parseLabels(values.label),
    },
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`agent ${clusterName}: ${signal}: stopping`);
      void agent.stop().finally(resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
