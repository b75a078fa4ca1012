// A new namespace's NamespaceStore is woken at once, so its controllers run without waiting for a
// first request (the `default` ServiceAccount and `kube-root-ca.crt` appear right away).
import { phaseOf } from "../../namespaces/lifecycle.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";

export type ActivateNamespace = (namespace: string) => Promise<void>;

export class NamespaceActivator implements Controller {
  readonly name = "namespace-activator";
  private readonly activate: ActivateNamespace;

  constructor(activate: ActivateNamespace) {
    this.activate = activate;
  }

  keysFor(change: ChangeNotice): string[] {
    return change.resource === "namespaces" && change.type === "ADDED" ? [change.name] : [];
  }

  initialKeys(): string[] {
    return [];
  }

  async reconcile(name: string, ctx: ControllerContext): Promise<void> {
    const namespace = ctx.objects.get("namespaces", name);
    if (namespace && phaseOf(namespace) === "Active") await this.activate(name);
  }
}
