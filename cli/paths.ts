// Where the local control plane keeps its state, credentials and build output.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";

export const projectRoot = resolve(import.meta.dirname, "..");
export const stateDir = () => resolve(process.env.FLOTILLA_HOME ?? join(process.cwd(), ".flotilla"));
export const kubeconfigPath = () => join(stateDir(), "kubeconfig");
export const buildDir = () => join(stateDir(), "build");
export const persistDir = () => join(stateDir(), "state");

/** The root administrator's token of the local deployment, created on first start. */
export function rootToken(): string {
  if (process.env.FLOTILLA_ROOT_TOKEN) return process.env.FLOTILLA_ROOT_TOKEN;
  const file = join(stateDir(), "root-token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(stateDir(), { recursive: true });
  const token = "flt_root_" + randomBytes(32).toString("base64url");
  writeFileSync(file, token + "\n", { mode: 0o600 });
  return token;
}

/** The URL of the local control plane, as the last `flotilla start` wrote it. */
export function serverUrl(): string {
  if (process.env.FLOTILLA_SERVER) return process.env.FLOTILLA_SERVER;
  const file = join(stateDir(), "server");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  return `http://127.0.0.1:${process.env.PORT ?? 8787}`;
}

export function rememberServer(url: string): void {
  mkdirSync(stateDir(), { recursive: true });
  writeFileSync(join(stateDir(), "server"), url + "\n");
}
