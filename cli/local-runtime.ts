// Runs the Worker and its Durable Objects on workerd through Miniflare, listening on
// workerd's own socket (no dev proxy in front: about twice the throughput of `wrangler dev`).
// The bundle is the one `wrangler deploy` would upload, built with `--dry-run --outdir`.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { buildDir, persistDir, projectRoot } from "./paths.ts";

export interface LocalRuntimeOptions {
  host: string;
  port: number;
  rootToken: string;
  /** Keep state on disk between runs (npm start); tests use a fresh directory or memory. */
  persistTo?: string | false;
  bindings?: Record<string, string>;
  /** Where the bundle is built (default .flotilla/build); concurrent runtimes need their own. */
  buildDir?: string;
  /** Serve TLS (default). Plain http only for benchmarks that measure the runtime itself. */
  https?: boolean;
  /** Open workerd's V8 inspector on this port (profiling; see bench/lib/profiler.ts). */
  inspectorPort?: number;
  /**
   * Run the ClusterStore in an isolate of its own (a second worker from the same bundle), as on
   * Cloudflare, where it never shares an isolate with NamespaceStores: its heap and CPU can then be
   * read apart from theirs (benchmarks). Everything still runs on workerd's one thread.
   */
  separateClusterStore?: boolean;
}

/** The name of the second worker that hosts the ClusterStore when it runs apart. */
export const CLUSTER_STORE_WORKER = "flotilla-cluster";

export function buildWorker(outDir = buildDir()): string {
  const wrangler = join(projectRoot, "node_modules", ".bin", "wrangler");
  const result = spawnSync(
    wrangler,
    ["deploy", "--dry-run", "--outdir", outDir, "--config", join(projectRoot, "wrangler.toml")],
    {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: process.env.CI ?? "" },
    },
  );
  if (result.status !== 0) throw new Error(`building the worker failed:\n${result.stdout}\n${result.stderr}`);
  return join(outDir, "index.js");
}

/** The bundle's entry plus the text modules (drizzle's .sql migrations) wrangler wrote beside it. */
function bundleModules(scriptPath: string): Array<{ type: "ESModule" | "Text"; path: string }> {
  const dir = dirname(scriptPath);
  const texts = readdirSync(dir).filter((file) => file.endsWith(".sql"));
  return [
    { type: "ESModule", path: scriptPath },
    ...texts.map((file) => ({ type: "Text" as const, path: join(dir, file) })),
  ];
}

function compatibilityDate(): string {
  const match = /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(projectRoot, "wrangler.toml"), "utf8"));
  if (!match) throw new Error("wrangler.toml has no compatibility_date");
  return match[1];
}

/** The Durable Object bindings of wrangler.toml: binding name → class. */
const DURABLE_OBJECTS = {
  NAMESPACE_STORE: "NamespaceStore",
  CLUSTER_STORE: "ClusterStore",
  ROOT_STORE: "RootStore",
  NODE_TUNNEL: "NodeTunnel",
} as const;

/**
 * The workers to run and their Durable Object bindings. The first serves requests and hosts every
 * class, but the ClusterStore when it runs apart; a worker binds the classes it does not host from
 * the worker that does.
 */
function workerLayout(separateClusterStore: boolean) {
  const host = (className: string) =>
    separateClusterStore && className === "ClusterStore" ? CLUSTER_STORE_WORKER : "flotilla";
  const names = separateClusterStore ? ["flotilla", CLUSTER_STORE_WORKER] : ["flotilla"];
  return names.map((name) => ({
    name,
    durableObjects: Object.fromEntries(
      Object.entries(DURABLE_OBJECTS).map(([binding, className]) => [
        binding,
        { className, useSQLite: true, ...(host(className) === name ? {} : { scriptName: host(className) }) },
      ]),
    ),
  }));
}

export async function startLocalRuntime(
  options: LocalRuntimeOptions,
): Promise<{ url: string; dispose: () => Promise<void> }> {
  const scriptPath = buildWorker(options.buildDir);
  const persist = options.persistTo === undefined ? persistDir() : options.persistTo;
  const workers = workerLayout(options.separateClusterStore ?? false);
  // Miniflare 5 takes wrangler-shaped options; the v4 shape maps one-to-one and is shorter.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: options.host,
      port: options.port,
      // kubectl never sends a bearer token over plain http (kubernetes/kubectl#744): serve TLS
      // with Miniflare's self-signed certificate; kubeconfigs skip verification for it.
      https: options.https ?? true,
      ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
      ...(persist === false ? {} : { resourcePersistencePath: persist }),
      workers: workers.map((worker) => ({
        name: worker.name,
        modulesRoot: dirname(scriptPath),
        modules: bundleModules(scriptPath),
        compatibilityDate: compatibilityDate(),
        durableObjects: worker.durableObjects,
        bindings: { ROOT_TOKEN: options.rootToken, ...(options.bindings ?? {}) },
      })),
    }),
  );
  const url = await mf.ready;
  return { url: url.origin, dispose: () => mf.dispose() };
}
