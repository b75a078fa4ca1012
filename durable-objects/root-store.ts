// RootStore: the deployment's registry of logical clusters and of the bearer tokens
// that grant access to them. Served at the root path, to the root administrator only.
import { DurableObject } from "cloudflare:workers";
import { badRequest, notFound, pathNotFound } from "../api/errors.ts";
import { parseResourcePath } from "../api/request/route.ts";
import { resourceKey } from "../api/registry/index.ts";
import { clusterTypeOf, logicalClusters, TENANCY_GROUP, type Credential } from "../api/tenancy/logical-cluster.ts";
import type { KubeObject } from "../api/types.ts";
import { isObject } from "../api/types.ts";
import { readBody } from "./api-server/body.ts";
import { dispatch } from "./api-server/dispatch.ts";
import { errorResponse, json } from "./api-server/respond.ts";
import { clusterStore, historyLimit, watchTiming, type Env } from "./env.ts";
import { DirectRevisionRuntime } from "./runtime/direct-runtime.ts";
import { openObjectStore } from "./storage/open.ts";
import { objectsTable } from "./storage/schema.ts";
import { and, eq } from "drizzle-orm";
import { hashToken, newToken } from "./tokens.ts";

const TOKENS = "tokens.tenancy.flotilla.dev";
const CLUSTERS = resourceKey(logicalClusters);

export class RootStore extends DurableObject<Env> {
  private rt!: DirectRevisionRuntime;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const objects = await openObjectStore(ctx.storage);
      this.rt = new DirectRevisionRuntime(objects, {
        clock: () => new Date(),
        historyEvents: historyLimit(env, 10_000),
        watchTiming: watchTiming(env),
      });
    });
  }

  async fetch(request: Request): Promise<Response> {
    try {
      const path = parseResourcePath(new URL(request.url).pathname);
      if (
        !path ||
        path.group !== TENANCY_GROUP ||
        path.resource !== logicalClusters.resource ||
        path.namespace !== undefined
      ) {
        throw pathNotFound();
      }
      if (path.subresource === "token" && path.name && request.method === "POST") {
        return await this.tokenRequest(path.name, request);
      }
      const response = await dispatch(this.rt, request, logicalClusters, path);
      // Only a real, successful delete (not a dry run, not a failed precondition) wipes the cluster.
      if (request.method === "DELETE" && path.name && response.ok && !this.rt.objects.get(CLUSTERS, "", path.name)) {
        this.revokeTokens(path.name);
        await clusterStore(this.env, path.name).destroy();
      }
      if (request.method === "POST" && response.status === 201) {
        const created = (await response.clone().json()) as KubeObject;
        const name = created.metadata.name ?? "";
        await clusterStore(this.env, name).bootstrap(name, clusterTypeOf(created));
      }
      return response;
    } catch (err) {
      return errorResponse(err);
    }
  }

  /** POST …/logicalclusters/<name>/token `{"spec":{"role":"admin"|"node","subject":…}}` mints a bearer token. */
  private async tokenRequest(cluster: string, request: Request): Promise<Response> {
    if (!this.rt.objects.get(CLUSTERS, "", cluster)) {
      throw notFound({ group: TENANCY_GROUP, resource: logicalClusters.resource, name: cluster });
    }
    const { value } = await readBody(request, ["json", "yaml"]);
    const spec = isObject(value) && isObject(value.spec) ? value.spec : {};
    const role = spec.role ?? "admin";
    if (role !== "admin" && role !== "node")
      throw badRequest(`spec.role: Unsupported value: "${String(role)}": supported values: "admin", "node"`);
    const subject = typeof spec.subject === "string" ? spec.subject : undefined;
    const token = await this.mintToken({ cluster, role, subject });
    return json(
      { apiVersion: "tenancy.flotilla.dev/v1alpha1", kind: "ClusterToken", spec: { role, subject }, status: { token } },
      201,
    );
  }

  // ---- RPC from the Worker ----

  async mintToken(credential: Credential): Promise<string> {
    const token = newToken();
    const hash = await hashToken(token);
    const object: KubeObject = {
      apiVersion: "tenancy.flotilla.dev/v1alpha1",
      kind: "Token",
      metadata: { name: hash, namespace: credential.cluster },
      spec: credential,
    };
    this.rt.commit({ type: "ADDED", resource: TOKENS, namespace: credential.cluster, name: hash, object });
    return token;
  }

  /** The credential a token stands for; tokens are stored under their cluster, keyed by their hash. */
  /** The credential a token carries, whichever cluster it belongs to (requests without a /clusters/ prefix). */
  async credentialOf(token: string): Promise<Credential | null> {
    const hash = await hashToken(token);
    const row = this.rt.objects.db
      .select({ value: objectsTable.value })
      .from(objectsTable)
      .where(and(eq(objectsTable.resource, TOKENS), eq(objectsTable.name, hash)))
      .get();
    return row ? ((JSON.parse(row.value) as KubeObject).spec as Credential) : null;
  }

  async verifyToken(cluster: string, token: string): Promise<Credential | null> {
    const row = this.rt.objects.get(TOKENS, cluster, await hashToken(token));
    return row ? ((JSON.parse(row.value) as KubeObject).spec as Credential) : null;
  }

  private revokeTokens(cluster: string): void {
    for (const row of this.rt.objects.list(TOKENS, cluster)) {
      this.rt.commit({
        type: "DELETED",
        resource: TOKENS,
        namespace: cluster,
        name: row.name,
        object: JSON.parse(row.value) as KubeObject,
      });
    }
  }

  async clusterExists(cluster: string): Promise<boolean> {
    return this.rt.objects.get(CLUSTERS, "", cluster) !== undefined;
  }
}
