// The suite's access to the cluster registry (root token) and kubeconfigs for arbitrary tokens.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { Agent, fetch } from "undici";
import { inject } from "vitest";
import { emptyKubeconfig, setClusterContext, writeKubeconfig } from "../../cli/kubeconfig.ts";
import { RootClient } from "../../cli/root-client.ts";

export const rootClient = () => new RootClient({ server: inject("server"), token: inject("rootToken") });

/** Writes a kubeconfig for `cluster` with `token` into a fresh directory under the work dir. */
export function kubeconfigFor(cluster: string, token: string): string {
  const dir = mkdtempSync(join(inject("workDir"), "kc-"));
  const path = join(dir, "kubeconfig");
  writeKubeconfig(
    path,
    setClusterContext(emptyKubeconfig(), { context: cluster, server: inject("server"), cluster, token, current: true }),
  );
  return path;
}

const insecure = new Agent({ connect: { rejectUnauthorized: false } });

/** A raw HTTPS call to the control plane (self-signed certificate), answering the status and parsed body. */
export async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; contentType?: string } = {},
): Promise<{ status: number; contentType: string | null; body: any }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const response = await fetch(inject("server") + path, {
    method,
    dispatcher: insecure,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Keep the text.
  }
  return { status: response.status, contentType: response.headers.get("content-type"), body };
}
