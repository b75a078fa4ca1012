// The endpoints controller: a Service with a selector gets a core/v1 Endpoints object of the
// same name listing its Pods (ready or not); built in api/controllers/endpoints/endpoints.ts.
import { desiredEndpoints, SKIP_MIRROR_LABEL } from "../../../api/controllers/endpoints/endpoints.ts";
import { selectedBy, serviceSelector } from "../../../api/controllers/endpoints/pods.ts";
import { SelectorIndex } from "../../../api/controllers/endpoints/selector-index.ts";
import { deepEqual } from "../../../api/lifecycle/object-meta.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const SERVICES = "services";
const ENDPOINTS = "endpoints";
const PODS = "pods";

/** Services by selector, shared by the Endpoints and EndpointSlice controllers' change routing. */
export function serviceMatcher(service: KubeObject | undefined) {
  const selector = service ? serviceSelector(service) : undefined;
  return selector ? (pod: KubeObject) => selectedBy(selector, pod) : undefined;
}

/** Routes Service and Pod changes to the Services they concern. */
export class ServiceRouting {
  readonly index = new SelectorIndex();

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === SERVICES) {
      this.index.setSelector(change.name, serviceMatcher(change.type === "DELETED" ? undefined : change.object));
      return [change.name];
    }
    if (change.resource === PODS)
      return this.index.podChanged(change.name, change.type === "DELETED" ? undefined : change.object);
    return [];
  }

  initialKeys(objects: ObjectWriter): string[] {
    const names = objects.list(SERVICES).map((svc) => {
      this.index.setSelector(svc.metadata.name ?? "", serviceMatcher(svc));
      return svc.metadata.name ?? "";
    });
    for (const pod of objects.list(PODS)) this.index.podChanged(pod.metadata.name ?? "", pod);
    return names;
  }
}

export class EndpointsController implements Controller {
  readonly name = "endpoints-controller";
  private readonly routing = new ServiceRouting();

  keysFor(change: ChangeNotice): string[] {
    // An edited or deleted Endpoints object is put back.
    if (change.resource === ENDPOINTS) return [change.name];
    return this.routing.keysFor(change);
  }

  initialKeys(objects: ObjectWriter): string[] {
    return this.routing.initialKeys(objects);
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const objects = ctx.objects;
    const service = objects.get(SERVICES, name);
    const existing = objects.get(ENDPOINTS, name);
    if (!service) {
      // Only Endpoints this controller made go with their Service (hand-made ones may precede theirs).
      if (existing?.metadata.labels?.[SKIP_MIRROR_LABEL] === "true") objects.delete(ENDPOINTS, name);
      return;
    }
    // Without a selector the Endpoints are the user's to manage.
    if (!serviceSelector(service)) return;
    const desired = desiredEndpoints(service, objects.list(PODS));
    if (!existing) {
      objects.create(ENDPOINTS, desired);
      return;
    }
    if (deepEqual(existing.subsets, desired.subsets) && deepEqual(existing.metadata.labels, desired.metadata.labels)) {
      return;
    }
    const updated: KubeObject = { ...existing, metadata: { ...existing.metadata, labels: desired.metadata.labels } };
    if (desired.subsets) updated.subsets = desired.subsets;
    else delete updated.subsets;
    objects.update(ENDPOINTS, updated);
  }
}
