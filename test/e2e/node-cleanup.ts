// End-to-end files that run a node daemon leave nothing behind: once their namespaces are
// deleted the node stops its pods; whatever a failed test left is then removed by force.
import type { ContainerRuntime } from "../../node-daemon/runtime/types.ts";
import { eventually } from "./kubectl.ts";

/** Waits (up to 30 s) for the node's sandboxes to go, then force-removes any that remain. */
export async function drainRuntime(runtime: ContainerRuntime): Promise<void> {
  await eventually(async () => (await runtime.listSandboxes()).length === 0, 30_000, "sandboxes removed").catch(
    () => {},
  );
  for (const sandbox of await runtime.listSandboxes()) {
    for (const container of await runtime.listContainers(sandbox.pod.uid)) {
      await runtime.stopContainer(container.id, 0).catch(() => {});
      await runtime.removeContainer(container.id).catch(() => {});
    }
    await runtime.stopSandbox(sandbox.id).catch(() => {});
    await runtime.removeSandbox(sandbox.id).catch(() => {});
  }
}
