// events.k8s.io/v1 resources.
import { validateEventsV1Event } from "../../validation/event.ts";
import { nameIsPathSegment } from "../../validation/names.ts";
import { byPath, defineResource, selectorsFor } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const events = defineResource({
  group: "events.k8s.io",
  version: "v1",
  resource: "events",
  kind: "Event",
  shortNames: ["ev"],
  nameRule: nameIsPathSegment,
  strategy: { validate: validateEventsV1Event },
  fieldSelectors: {
    ...selectorsFor([
      "regarding.kind",
      "regarding.namespace",
      "regarding.name",
      "regarding.uid",
      "regarding.apiVersion",
      "regarding.resourceVersion",
      "regarding.fieldPath",
      "reason",
      "reportingController",
      "type",
    ]),
    // The names core/v1 clients use work here too.
    "involvedObject.kind": byPath("regarding.kind"),
    "involvedObject.namespace": byPath("regarding.namespace"),
    "involvedObject.name": byPath("regarding.name"),
    "involvedObject.uid": byPath("regarding.uid"),
  },
});

export const eventsResources: ResourceDef[] = [events];
