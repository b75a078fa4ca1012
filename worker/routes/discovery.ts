// Discovery and OpenAPI documents, per cluster: the built-in kinds plus the cluster's CRDs.
import { Hono, type Context } from "hono";
import { pathNotFound } from "../../api/errors.ts";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  negotiateDiscovery,
  versionInfo,
} from "../../api/discovery/index.ts";
import {
  openApiV2,
  openApiV2Protobuf,
  openApiV3GroupVersion,
  openApiV3Root,
  wantsOpenApiV2Protobuf,
} from "../../api/openapi/index.ts";
import { metricsResources } from "../../api/metrics/resources.ts";
import { selfReviewResources } from "../../api/authz/self-reviews.ts";
import { componentStatusResource } from "../../api/health/component-statuses.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import { clusterCatalog } from "../catalog.ts";
import type { WorkerEnv } from "../context.ts";

/**
 * Served kinds plus what the Worker answers itself, never stored: the metrics API (computed from
 * the nodes), the self reviews (answered from the credential) and component statuses.
 */
const defsOf = async (c: Context<WorkerEnv>) =>
  withWorkerServed((await clusterCatalog(c.env, c.get("cluster")).get()).all);

const withWorkerServedCache = new WeakMap<readonly ResourceDef[], ResourceDef[]>();
function withWorkerServed(defs: ResourceDef[]): ResourceDef[] {
  let all = withWorkerServedCache.get(defs);
  if (!all) {
    all = [...defs, ...metricsResources, ...selfReviewResources, componentStatusResource];
    withWorkerServedCache.set(defs, all);
  }
  return all;
}

const json = (body: unknown, contentType = "application/json") =>
  new Response(JSON.stringify(body), { headers: { "content-type": contentType } });

const found = <T>(value: T | undefined): T => {
  if (value === undefined) throw pathNotFound();
  return value;
};

/** Answers aggregated discovery when the client asks for it, the classic document otherwise. */
async function discoveryRoot(c: Context<WorkerEnv>, scope: "core" | "apis"): Promise<Response> {
  const defs = await defsOf(c);
  const negotiated = negotiateDiscovery(c.req.header("accept") ?? null);
  if (negotiated.aggregated) return json(aggregatedDiscovery(defs, scope, negotiated.version), negotiated.contentType);
  return json(scope === "core" ? coreApiVersions() : apiGroupList(defs));
}

export const discoveryRoutes = new Hono<WorkerEnv>()
  .get("/version", () => json(versionInfo()))
  .get("/api", (c) => discoveryRoot(c, "core"))
  .get("/apis", (c) => discoveryRoot(c, "apis"))
  .get("/api/:version", async (c) => json(found(apiResourceList(await defsOf(c), "", c.req.param("version")))))
  .get("/apis/:group", async (c) => json(found(apiGroup(await defsOf(c), c.req.param("group")))))
  .get("/apis/:group/:version", async (c) =>
    json(found(apiResourceList(await defsOf(c), c.req.param("group"), c.req.param("version")))),
  )
  // kubectl 1.27/1.28 ask for protobuf and cannot parse the "@" in its media type: octet-stream it is.
  .get("/openapi/v2", async (c) => {
    const defs = await defsOf(c);
    return wantsOpenApiV2Protobuf(c.req.header("accept") ?? null)
      ? new Response(openApiV2Protobuf(defs), { headers: { "content-type": "application/octet-stream" } })
      : json(openApiV2(defs));
  })
  .get("/openapi/v3", async (c) => json(openApiV3Root(await defsOf(c))))
  .get("/openapi/v3/*", async (c) => {
    const parts = c.req.path.replace(/^.*\/openapi\/v3\//, "").split("/");
    const [group, version] =
      parts[0] === "api" ? ["", parts[1]] : parts[0] === "apis" ? [parts[1], parts[2]] : [undefined, undefined];
    if (group === undefined || version === undefined) throw pathNotFound();
    return json(found(openApiV3GroupVersion(await defsOf(c), group, version)));
  });
