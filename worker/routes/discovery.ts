// Discovery and OpenAPI documents, per cluster (CRDs will make them differ between clusters).
import { Hono } from "hono";
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
import { builtinResources } from "../../api/registry/index.ts";
import type { WorkerEnv } from "../context.ts";

const defs = () => builtinResources;

const json = (body: unknown, contentType = "application/json") =>
  new Response(JSON.stringify(body), { headers: { "content-type": contentType } });

export const discoveryRoutes = new Hono<WorkerEnv>()
  .get("/version", () => json(versionInfo()))
  .get("/api", (c) => {
    const negotiated = negotiateDiscovery(c.req.header("accept") ?? null);
    if (negotiated.aggregated)
      return json(aggregatedDiscovery(defs(), "core", negotiated.version), negotiated.contentType);
    return json(coreApiVersions());
  })
  .get("/apis", (c) => {
    const negotiated = negotiateDiscovery(c.req.header("accept") ?? null);
    if (negotiated.aggregated)
      return json(aggregatedDiscovery(defs(), "apis", negotiated.version), negotiated.contentType);
    return json(apiGroupList(defs()));
  })
  .get("/api/:version", (c) => {
    const list = apiResourceList(defs(), "", c.req.param("version"));
    if (!list) throw pathNotFound();
    return json(list);
  })
  .get("/apis/:group", (c) => {
    const group = apiGroup(defs(), c.req.param("group"));
    if (!group) throw pathNotFound();
    return json(group);
  })
  .get("/apis/:group/:version", (c) => {
    const list = apiResourceList(defs(), c.req.param("group"), c.req.param("version"));
    if (!list) throw pathNotFound();
    return json(list);
  })
  // kubectl 1.27/1.28 ask for protobuf and cannot parse the "@" in its media type: octet-stream it is.
  .get("/openapi/v2", (c) =>
    wantsOpenApiV2Protobuf(c.req.header("accept") ?? null)
      ? new Response(openApiV2Protobuf(defs()), { headers: { "content-type": "application/octet-stream" } })
      : json(openApiV2(defs())),
  )
  .get("/openapi/v3", () => json(openApiV3Root(defs())))
  .get("/openapi/v3/*", (c) => {
    const rest = c.req.path.replace(/^.*\/openapi\/v3\//, "");
    const parts = rest.split("/");
    const [group, version] =
      parts[0] === "api" ? ["", parts[1]] : parts[0] === "apis" ? [parts[1], parts[2]] : [undefined, undefined];
    const doc =
      group === undefined || version === undefined ? undefined : openApiV3GroupVersion(defs(), group, version);
    if (!doc) throw pathNotFound();
    return json(doc);
  });
