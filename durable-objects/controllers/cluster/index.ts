// The controllers every ClusterStore runs: namespace lifecycle, and (with nodes) the
// scheduler and the node lifecycle controller.
import type { Env } from "../../env.ts";
import type { Controller } from "../framework.ts";
import { CrdController, type DeleteCustomObjects } from "./crd-controller.ts";
import { NamespaceController, type TerminateNamespace } from "./namespace-controller.ts";

export interface ClusterControllerDeps {
  env: Env;
  cluster: string;
  terminateNamespace: TerminateNamespace;
  deleteCustomObjects: DeleteCustomObjects;
}

export function clusterControllers(deps: ClusterControllerDeps): Controller[] {
  return [new NamespaceController(deps.terminateNamespace), new CrdController(deps.deleteCustomObjects)];
}
