// discovery.k8s.io/v1 resources.
import type { KubeObject } from "../../types.ts";
import { validateEndpointSlice, validateEndpointSliceUpdate } from "../../validation/endpoints.ts";
import { isRecord } from "../../validation/shape.ts";
import { objectsIn, setDefault, setDefaultString } from "../defaults/set.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

function defaultEndpointSlice(slice: KubeObject): void {
  for (const port of objectsIn(slice, "ports")) {
    setDefault(port, "name", "");
    setDefaultString(port, "protocol", "TCP");
  }
  for (const endpoint of objectsIn(slice, "endpoints")) {
    if (isRecord(endpoint.conditions)) continue;
    endpoint.conditions = {};
  }
}

const endpointslices = defineResource({
  group: "discovery.k8s.io",
  version: "v1",
  resource: "endpointslices",
  kind: "EndpointSlice",
  strategy: {
    prepareForCreate: defaultEndpointSlice,
    prepareForUpdate: defaultEndpointSlice,
    validate: validateEndpointSlice,
    validateUpdate: validateEndpointSliceUpdate,
  },
});

export const discoveryResources: ResourceDef[] = [endpointslices];
