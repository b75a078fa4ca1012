// The EndpointSlice controller: a Service with a selector gets discovery.k8s.io/v1
// EndpointSlices (owned by it) listing its Pods with ready/serving/terminating conditions;
// built in api/controllers/endpoints/slices.ts.
import { serviceSelector } from "../../../api/controllers/endpoints/pods.ts";
import {
  desiredSlices,
  isManagedSliceOf,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  planSlices,
  SERVICE_NAME_LABEL,
} from "../../../api/controllers/endpoints/slices.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";
import { ServiceRouting } from "./endpoints.ts";

const SERVICES = "services";
const SLICES = "endpointslices.discovery.k8s.io";

export class EndpointSliceController implements Controller {
  readonly name = "endpointslice-controller";
  private readonly routing = new ServiceRouting();

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === SLICES) {
      const labels = change.object.metadata.labels ?? {};
      const service = labels[SERVICE_NAME_LABEL];
      return service && labels[MANAGED_BY_LABEL] === MANAGED_BY ? [service] : [];
    }
    return this.routing.keysFor(change);
  }

  initialKeys(objects: ObjectWriter): string[] {
    return this.routing.initialKeys(objects);
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const objects = ctx.objects;
    const service = objects.get(SERVICES, name);
    const existing = objects.list(SLICES).filter((s) => isManagedSliceOf(s, name));
    if (!service) {
      for (const slice of existing) objects.delete(SLICES, slice.metadata.name ?? "");
      return;
    }
    // Services without a selector get their slices from elsewhere (by hand, or mirrored Endpoints).
    if (!serviceSelector(service)) return;
    const plan = planSlices(service, desiredSlices(service, objects.list("pods")), existing);
    for (const slice of plan.update) objects.update(SLICES, slice);
    for (const slice of plan.create) objects.create(SLICES, slice) ?? objects.create(SLICES, slice);
    for (const slice of plan.delete) objects.delete(SLICES, slice);
  }
}
