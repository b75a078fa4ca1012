// The controllers every NamespaceStore runs (kube-controller-manager's namespaced loops).
import type { Controller } from "../framework.ts";

export function namespacedControllers(): Controller[] {
  return [];
}
