// Which container a pod's log / exec / attach request means, as the kubelet's server decides it.
import { badRequest } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { asArray, asString, isRecord } from "../validation/shape.ts";

const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

const namesIn = (spec: Record<string, unknown>, field: string): string[] =>
  asArray(spec[field]).map((c) => (isRecord(c) ? asString(c.name) : ""));

/**
 * The container named in the request (regular, init or ephemeral: `kubectl debug` attaches to its
 * ephemeral container by name); without one, the pod's default-container annotation, else its
 * only regular container. Throws 400 Bad Request as Kubernetes words it.
 */
export function streamContainer(pod: KubeObject, requested: string | null): string {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const podName = pod.metadata.name ?? "";
  const names = [...namesIn(spec, "containers"), ...namesIn(spec, "initContainers")];
  if (requested) {
    if (!names.includes(requested) && !namesIn(spec, "ephemeralContainers").includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    }
    return requested;
  }
  // Ephemeral containers are never a default: they come and go with debugging sessions.
  const preferred = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (preferred && names.includes(preferred)) return preferred;
  const containers = namesIn(spec, "containers");
  if (containers.length === 1) return containers[0]!;
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${containers.join(" ")}]`);
}
