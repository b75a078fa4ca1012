// `kubectl get componentstatuses`: every component is as healthy as the cluster's ClusterStore,
// which does the work of etcd, kube-scheduler and kube-controller-manager here.
import { Hono, type Context } from "hono";
import { notFound } from "../../api/errors.ts";
import {
  COMPONENT_STATUS_WARNING,
  COMPONENTS,
  componentStatus,
  componentStatusResource,
} from "../../api/health/component-statuses.ts";
import { negotiateShape } from "../../api/request/accept.ts";
import { buildTable, includeObjectParam } from "../../api/table/build.ts";
import type { KubeObject } from "../../api/types.ts";
import { clusterStore } from "../../durable-objects/env.ts";
import type { WorkerEnv } from "../context.ts";

type Ctx = Context<WorkerEnv>;

/** The statuses of `names`: healthy if the ClusterStore answers, with its error if not. */
async function statuses(c: Ctx, names: readonly string[]): Promise<KubeObject[]> {
  let error: string | undefined;
  try {
    await clusterStore(c.env, c.get("cluster")).head();
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  return names.map((name) => componentStatus(name, error));
}

function respond(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    headers: { "content-type": "application/json", warning: COMPONENT_STATUS_WARNING },
  });
}

function answer(c: Ctx, objects: KubeObject[], list: boolean): Response {
  if (negotiateShape(c.req.header("accept") ?? null) === "Table") {
    const query = new URL(c.req.url).searchParams;
    return respond(buildTable(componentStatusResource, objects, new Date(), { include: includeObjectParam(query) }));
  }
  return respond(list ? { kind: "ComponentStatusList", apiVersion: "v1", metadata: {}, items: objects } : objects[0]);
}

export const componentStatusRoutes = new Hono<WorkerEnv>()
  .get("/api/v1/componentstatuses", async (c) => answer(c, await statuses(c, COMPONENTS), true))
  .get("/api/v1/componentstatuses/:name", async (c) => {
    const name = c.req.param("name");
    if (!(COMPONENTS as readonly string[]).includes(name))
      throw notFound({ group: "", resource: "componentstatuses", name });
    return answer(c, await statuses(c, [name]), false);
  });
