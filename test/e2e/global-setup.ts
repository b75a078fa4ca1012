// Starts one local control plane for the end-to-end suite: the production bundle on workerd
// (Miniflare), fresh state in a temp directory, an ephemeral loopback port.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { setClusterContext, emptyKubeconfig, writeKubeconfig } from "../../cli/kubeconfig.ts";
import { startLocalRuntime } from "../../cli/local-runtime.ts";
import { RootClient } from "../../cli/root-client.ts";

declare module "vitest" {
  export interface ProvidedContext {
    server: string;
    rootToken: string;
    kubeconfig: string;
    workDir: string;
  }
}

export default async function setup(project: TestProject) {
  const workDir = mkdtempSync(join(tmpdir(), "flotilla-e2e-"));
  const rootToken = "e2e-root-" + Math.random().toString(36).slice(2);
  const runtime = await startLocalRuntime({
    host: "127.0.0.1",
    port: 0,
    rootToken,
    persistTo: join(workDir, "state"),
    buildDir: join(workDir, "build"),
    bindings: { WATCH_KEEPALIVE_MS: "1000" },
  });
  const server = runtime.url.replace("://localhost", "://127.0.0.1");
  const client = new RootClient({ server, token: rootToken });
  await client.createCluster("default");
  const token = await client.mintToken("default", "admin");
  const kubeconfig = join(workDir, "kubeconfig");
  writeKubeconfig(
    kubeconfig,
    setClusterContext(emptyKubeconfig(), { context: "default", server, cluster: "default", token, current: true }),
  );

  project.provide("server", server);
  project.provide("rootToken", rootToken);
  project.provide("kubeconfig", kubeconfig);
  project.provide("workDir", workDir);

  return async () => {
    await runtime.dispose();
    rmSync(workDir, { recursive: true, force: true });
  };
}
