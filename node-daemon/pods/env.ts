// A container's environment as kubelet builds it: envFrom sources first, then env entries in
// order, `$(VAR)` references expanded against the variables defined before them (pure).
import type { Container, Pod } from "kubernetes-types/core/v1";
import { fieldValue, type PodAddresses } from "./downward.ts";
import { resourceFieldValue, type NodeAllocatable } from "./resources.ts";

/** ConfigMap and Secret contents by name (strings; secrets already decoded); missing ones absent. */
export interface EnvLookups {
  configMaps: Map<string, Record<string, string>>;
  secrets: Map<string, Record<string, string>>;
}

/** A container cannot be configured (kubelet's CreateContainerConfigError). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Names of the ConfigMaps and Secrets a container's environment reads. */
export function envReferences(container: Container): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef?.name) configMaps.add(source.configMapRef.name);
    if (source.secretRef?.name) secrets.add(source.secretRef.name);
  }
  for (const env of container.env ?? []) {
    if (env.valueFrom?.configMapKeyRef?.name) configMaps.add(env.valueFrom.configMapKeyRef.name);
    if (env.valueFrom?.secretKeyRef?.name) secrets.add(env.valueFrom.secretKeyRef.name);
  }
  return { configMaps, secrets };
}

/** Kubernetes' `$(VAR)` expansion: defined names are replaced, `$$` is a literal `$`, the rest stays. */
export function expand(input: string, vars: Map<string, string>): string {
  let out = "";
  for (let i = 0; i < input.length;) {
    if (input[i] === "$" && i + 1 < input.length) {
      if (input[i + 1] === "$") {
        out += "$";
        i += 2;
        continue;
      }
      if (input[i + 1] === "(") {
        const close = input.indexOf(")", i + 2);
        if (close < 0) {
          out += input.slice(i);
          break;
        }
        const name = input.slice(i + 2, close);
        out += vars.has(name) ? vars.get(name) : input.slice(i, close + 1);
        i = close + 1;
        continue;
      }
    }
    out += input[i];
    i++;
  }
  return out;
}

export interface EnvContext {
  pod: Pod;
  addresses: PodAddresses;
  node: NodeAllocatable;
  lookups: EnvLookups;
}

export function resolveEnv(container: Container, context: EnvContext): Array<{ name: string; value: string }> {
  const { pod, lookups } = context;
  const namespace = pod.metadata?.namespace ?? "";
  const vars = new Map<string, string>();

  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? "";
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) continue;
    const isSecret = source.secretRef !== undefined;
    const data = (isSecret ? lookups.secrets : lookups.configMaps).get(ref.name ?? "");
    if (!data) {
      if (ref.optional) continue;
      throw new ConfigError(`${isSecret ? "secret" : "configmap"} "${ref.name}" not found`);
    }
    for (const [key, value] of Object.entries(data)) {
      if (ENV_NAME.test(prefix + key)) vars.set(prefix + key, value);
    }
  }

  for (const env of container.env ?? []) {
    const from = env.valueFrom;
    if (!from) {
      vars.set(env.name, expand(env.value ?? "", vars));
      continue;
    }
    if (from.fieldRef) {
      vars.set(env.name, fieldValue(pod, from.fieldRef.fieldPath, context.addresses) ?? "");
    } else if (from.resourceFieldRef) {
      const named = from.resourceFieldRef.containerName;
      const target =
        named !== undefined && named !== ""
          ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === named)
          : container;
      if (!target) throw new ConfigError(`container "${named}" not found for resourceFieldRef`);
      vars.set(
        env.name,
        resourceFieldValue(target, from.resourceFieldRef.resource, from.resourceFieldRef.divisor, context.node),
      );
    } else if (from.configMapKeyRef || from.secretKeyRef) {
      const isSecret = from.secretKeyRef !== undefined;
      const ref = (from.secretKeyRef ?? from.configMapKeyRef)!;
      const data = (isSecret ? lookups.secrets : lookups.configMaps).get(ref.name ?? "");
      const kind = isSecret ? "Secret" : "ConfigMap";
      if (!data) {
        if (ref.optional) continue;
        throw new ConfigError(`${isSecret ? "secret" : "configmap"} "${ref.name}" not found`);
      }
      if (!(ref.key in data)) {
        if (ref.optional) continue;
        throw new ConfigError(`couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`);
      }
      vars.set(env.name, data[ref.key]);
    }
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}

/** command and args with `$(VAR)` expanded against the container's environment. */
export function expandCommand(
  container: Container,
  env: Array<{ name: string; value: string }>,
): { command?: string[]; args?: string[] } {
  const vars = new Map(env.map((e) => [e.name, e.value]));
  return {
    command: container.command?.map((part) => expand(part, vars)),
    args: container.args?.map((part) => expand(part, vars)),
  };
}
