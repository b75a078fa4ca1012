// The single entry point: authentication, routing to logical clusters and their stores,
// discovery and OpenAPI. Every error leaves as a Kubernetes Status (app.onError).
import { Hono, type Context } from "hono";
import { notFound, pathNotFound, toStatusError } from "../api/errors.ts";
import { splitClusterPath } from "../api/request/route.ts";
import { bufferedBody } from "../durable-objects/api-server/body.ts";
import { rootStore, type Env } from "../durable-objects/env.ts";
import { registerLocalApi } from "../durable-objects/federation-local-api.ts";
import { authenticate, clusterOfToken, forgetCluster, requireRoot } from "./auth.ts";
import type { WorkerEnv } from "./context.ts";
import { discoveryRoutes } from "./routes/discovery.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { connectNode, podStream } from "./routes/pod-streams.ts";
import { portForward } from "./routes/port-forward.ts";
import { forwardResourceRequest } from "./routes/resources.ts";
import { selfReviewRoutes } from "./routes/self-reviews.ts";
import { componentStatusRoutes } from "./routes/component-statuses.ts";
import { dnsEndpointRoutes, dnsQueryRoutes } from "./routes/dns-query.ts";

export { ClusterStore } from "../durable-objects/cluster-store.ts";
export { NamespaceStore } from "../durable-objects/namespace-store.ts";
export { RootStore } from "../durable-objects/root-store.ts";
export { NodeTunnel } from "../durable-objects/node-tunnel.ts";

const ok = () => new Response("ok", { headers: { "content-type": "text/plain; charset=utf-8" } });

/** Clusters known to exist, per isolate (the root token may name any cluster). */
const knownClusters = new Map<string, number>();

async function requireCluster(env: Env, cluster: string): Promise<void> {
  const seen = knownClusters.get(cluster);
  if (seen !== undefined && Date.now() - seen < 10_000) return;
  if (!(await rootStore(env).clusterExists(cluster))) {
    throw notFound({ group: "tenancy.flotilla.dev", resource: "logicalclusters", name: cluster });
  }
  knownClusters.set(cluster, Date.now());
}

/** The part of the path after `/clusters/<name>`. */
const restOf = (path: string) => splitClusterPath(path)?.rest ?? "/";

const cluster = new Hono<WorkerEnv>()
  .use(async (c, next) => {
    const name = c.req.param("cluster") ?? "";
    c.set("cluster", name);
    const credential = await authenticate(c.env, c.req.raw, name);
    if (credential.cluster === "*") await requireCluster(c.env, name);
    c.set("credential", credential);
    await next();
  })
  .get("/healthz", ok)
  .get("/readyz", ok)
  .get("/livez", ok)
  .route("/", discoveryRoutes)
  .get("/api/v1/namespaces/:namespace/pods/:name/log", (c) =>
    podStream(c, c.req.param("namespace"), c.req.param("name"), "log"),
  )
  .get("/api/v1/namespaces/:namespace/pods/:name/exec", (c) =>
    podStream(c, c.req.param("namespace"), c.req.param("name"), "exec"),
  )
  .post("/api/v1/namespaces/:namespace/pods/:name/exec", (c) =>
    podStream(c, c.req.param("namespace"), c.req.param("name"), "exec"),
  )
  .get("/api/v1/namespaces/:namespace/pods/:name/attach", (c) =>
    podStream(c, c.req.param("namespace"), c.req.param("name"), "attach"),
  )
  .post("/api/v1/namespaces/:namespace/pods/:name/attach", (c) =>
    podStream(c, c.req.param("namespace"), c.req.param("name"), "attach"),
  )
  // GET: a WebSocket (kubectl ≥ 1.31, client libraries); POST: kubectl ≤ 1.30's SPDY upgrade.
  .on(["GET", "POST"], "/api/v1/namespaces/:namespace/pods/:name/portforward", (c) =>
    portForward(c, c.req.param("namespace"), c.req.param("name")),
  )
  .get("/apis/tunnel.flotilla.dev/v1alpha1/nodes/:node/connect", (c) => connectNode(c, c.req.param("node")))
  .route("/", metricsRoutes)
  .route("/", selfReviewRoutes)
  .route("/", componentStatusRoutes)
  .route("/", dnsEndpointRoutes)
  .all("/api/*", (c) => forwardResourceRequest(c, restOf(c.req.path)))
  .all("/apis/*", (c) => forwardResourceRequest(c, restOf(c.req.path)));

const app = new Hono<WorkerEnv>();

app.get("/healthz", ok);
app.get("/readyz", ok);
app.get("/livez", ok);

// The cluster registry (root administrator only).
app.all("/apis/tenancy.flotilla.dev/*", async (c) => {
  requireRoot(c.env, c.req.raw);
  const url = new URL(c.req.url);
  const response = await rootStore(c.env).fetch(
    new Request(new URL(url.pathname + url.search, "https://root.flotilla.internal"), {
      method: c.req.method,
      headers: c.req.raw.headers,
      body: await bufferedBody(c.req.raw),
    }),
  );
  if (c.req.method === "DELETE") {
    const name = url.pathname.split("/")[5];
    if (name) {
      knownClusters.delete(name);
      forgetCluster(name);
    }
  }
  return response;
});

// A federation's DNS over HTTPS is public, as DNS is: ahead of the cluster API's authentication.
app.route("/clusters/:cluster", dnsQueryRoutes);

// Everything under /clusters/<name>/ is that logical cluster's Kubernetes API.
app.route("/clusters/:cluster", cluster);

// The same API without the prefix, for the token's own cluster (`kubectl get --raw /api/...`
// drops the kubeconfig server's path).
const unprefixed = async (c: Context<WorkerEnv>) => {
  const name = await clusterOfToken(c.env, c.req.raw);
  const url = new URL(c.req.url);
  url.pathname = `/clusters/${encodeURIComponent(name)}${url.pathname}`;
  return app.fetch(new Request(url, c.req.raw), c.env, c.executionCtx);
};
app.all("/api", unprefixed);
app.all("/api/*", unprefixed);
app.all("/apis", unprefixed);
app.all("/apis/*", unprefixed);
app.get("/version", unprefixed);
app.get("/openapi/*", unprefixed);

app.notFound(() => onError(pathNotFound()));

function onError(err: unknown): Response {
  const error = toStatusError(err);
  if (error.code >= 500) console.error(err);
  return new Response(JSON.stringify(error.toStatus()), {
    status: error.code,
    headers: { "content-type": "application/json" },
  });
}
app.onError(onError);

// Federation controllers reach member clusters of this deployment in-process (see federation-local-api.ts).
registerLocalApi(async (request, env) => app.fetch(request, env));

export default app;
