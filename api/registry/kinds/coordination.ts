// coordination.k8s.io/v1 resources.
import { validateLease } from "../../validation/coordination.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const leases = defineResource({
  group: "coordination.k8s.io",
  version: "v1",
  resource: "leases",
  kind: "Lease",
  strategy: { validate: validateLease },
});

export const coordinationResources: ResourceDef[] = [leases];
