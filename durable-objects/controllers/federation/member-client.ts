// Calls to one member cluster's Kubernetes API, with the member's own bearer token: in-process for
// a logical cluster of this deployment, over the network for any other API server.
import { parseMemberEndpoint } from "../../../api/federation/member-endpoint.ts";
import type { MemberCluster } from "../../../api/federation/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import { publicHosts, type Env } from "../../env.ts";
import { localApi } from "../../federation-local-api.ts";

export interface MemberResponse {
  status: number;
  body: unknown;
}

/** Every call gives up after this long: one dead member must not hold a controller's turn. */
const TIMEOUT_MS = 5000;

export class MemberClient {
  private readonly base: string;
  private readonly token: string;
  private readonly send: (request: Request) => Promise<Response>;

  private constructor(base: string, token: string, send: (request: Request) => Promise<Response>) {
    this.base = base;
    this.token = token;
    this.send = send;
  }

  /** A client for `apiEndpoint`, or the reason there can be none. */
  static forEndpoint(env: Env, apiEndpoint: string | undefined, token: string): MemberClient | string {
    const endpoint = parseMemberEndpoint(apiEndpoint, publicHosts(env));
    if (endpoint.kind === "invalid") return endpoint.message;
    const send =
      endpoint.kind === "local" ? (request: Request) => localApi()(request, env) : (request: Request) => fetch(request);
    return new MemberClient(endpoint.base, token, send);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
    accept = "application/json",
  ): Promise<MemberResponse> {
    const headers: Record<string, string> = { accept };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers["content-type"] = contentType;
    const request = new Request(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await withTimeout(this.send(request), TIMEOUT_MS, `${method} ${path}`);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Plain text (healthz, proxies' error pages): keep it as is.
    }
    return { status: response.status, body: parsed };
  }

  get(path: string): Promise<MemberResponse> {
    return this.request("GET", path);
  }

  /** Server-side apply as the federation's field manager: fields the member set itself stay its own. */
  apply(path: string, manifest: KubeObject): Promise<MemberResponse> {
    return this.request(
      "PATCH",
      `${path}?fieldManager=karmada-federation&force=true`,
      manifest,
      "application/apply-patch+yaml",
    );
  }

  delete(path: string): Promise<MemberResponse> {
    return this.request("DELETE", path, { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" });
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A member's bearer token from its Secret (`data.token`, base64, or `stringData.token`). */
export function tokenFromSecret(secret: KubeObject | undefined): string | undefined {
  if (!secret) return undefined;
  const data = (secret as { data?: Record<string, string> }).data;
  if (data?.token) {
    try {
      return atob(data.token).trim();
    } catch {
      return undefined;
    }
  }
  return (secret as { stringData?: Record<string, string> }).stringData?.token?.trim();
}

export const statusMessage = (response: MemberResponse): string =>
  typeof response.body === "object" && response.body !== null && "message" in response.body
    ? String((response.body as { message: unknown }).message)
    : `HTTP ${response.status}`;

export type SecretReader = (namespace: string, name: string) => Promise<KubeObject | undefined>;

/** A client for a registered member (its endpoint and the token in its secretRef), or why there is none. */
export async function memberClientFor(
  env: Env,
  cluster: MemberCluster,
  readSecret: SecretReader,
): Promise<MemberClient | string> {
  const spec = cluster.spec ?? {};
  if (spec.syncMode === "Pull") return "Pull mode members are not supported: register the member with syncMode Push";
  let token = "";
  if (spec.secretRef) {
    const secret = await readSecret(spec.secretRef.namespace, spec.secretRef.name);
    if (!secret) return `secret ${spec.secretRef.namespace}/${spec.secretRef.name} not found`;
    token = tokenFromSecret(secret) ?? "";
    if (!token) return `secret ${spec.secretRef.namespace}/${spec.secretRef.name} has no token`;
  }
  return MemberClient.forEndpoint(env, spec.apiEndpoint, token);
}
