// Builds the ceiling Worker with wrangler (as cli/local-runtime.ts builds the real one) and serves
// it on workerd's own socket through Miniflare, with the same options as the control plane.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { projectRoot } from "../../cli/paths.ts";

const configPath = join(import.meta.dirname, "wrangler.toml");

function build(outDir: string): string {
  const wrangler = join(projectRoot, "node_modules", ".bin", "wrangler");
  const result = spawnSync(wrangler, ["deploy", "--dry-run", "--outdir", outDir, "--config", configPath], {
    cwd: import.meta.dirname,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) throw new Error(`building the ceiling worker failed:\n${result.stdout}\n${result.stderr}`);
  return join(outDir, "worker.js");
}

export interface CeilingRuntime {
  url: string;
  dispose: () => Promise<void>;
}

export async function startCeiling(options: {
  host: string;
  https: boolean;
  buildDir: string;
  persistTo: string;
}): Promise<CeilingRuntime> {
  const scriptPath = build(options.buildDir);
  const compatibilityDate = /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(configPath, "utf8"))?.[1];
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: options.host,
      port: 0,
      https: options.https,
      resourcePersistencePath: options.persistTo,
      workers: [
        {
          name: "ceiling",
          modulesRoot: options.buildDir,
          modules: [{ type: "ESModule", path: scriptPath }],
          compatibilityDate,
          durableObjects: { CEILING: { className: "CeilingStore", useSQLite: true } },
        },
      ],
    }),
  );
  const url = await mf.ready;
  return { url: url.origin, dispose: () => mf.dispose() };
}
