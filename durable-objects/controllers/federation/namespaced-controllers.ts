// What a federation's NamespaceStores run. Karmada's API server runs no workload controllers:
// a Deployment there is a template for members, never pods of its own. Garbage collection and
// the default ServiceAccount behave as in any cluster.
import type { Env } from "../../env.ts";
import type { Controller } from "../framework.ts";
import { GarbageCollector } from "../namespaced/garbage-collector.ts";
import { ServiceAccountsController } from "../namespaced/serviceaccounts.ts";
import { PropagationController, PROPAGATION_CONTROLLER } from "./propagation-controller.ts";
import { namespaceScope, type KindSource } from "./propagation-scope.ts";

export function federationNamespacedControllers(
  env: Env,
  federation: string,
  kinds: KindSource,
  enqueue: (controller: string, key: string) => void,
): Controller[] {
  return [
    new GarbageCollector(),
    new ServiceAccountsController(),
    new PropagationController(env, federation, namespaceScope(kinds), (key) => enqueue(PROPAGATION_CONTROLLER, key)),
  ];
}
