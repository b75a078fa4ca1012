// policy/v1 resources.
import type { KubeObject } from "../../types.ts";
import { validatePodDisruptionBudget } from "../../validation/policy.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

/** A new budget allows no disruptions until the disruption controller has counted pods. */
function initialBudgetStatus(pdb: KubeObject): void {
  pdb.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}

const poddisruptionbudgets = defineResource({
  group: "policy",
  version: "v1",
  resource: "poddisruptionbudgets",
  kind: "PodDisruptionBudget",
  shortNames: ["pdb"],
  subresources: ["status"],
  strategy: { prepareForCreate: initialBudgetStatus, validate: validatePodDisruptionBudget },
});

export const policyResources: ResourceDef[] = [poddisruptionbudgets];
