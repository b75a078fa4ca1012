// One container of a pod spec: name, image, ports, env, resources, mounts, probes.
import type { FieldError } from "../errors.ts";
import { duplicate, forbidden, invalidEach, invalidValue, notFound, notSupported, required } from "./field.ts";
import { configMapKey, dns1123Label, envVarName, portName, portNumber } from "./names.ts";
import { nonNegative, positive } from "./numbers.ts";
import { validateResourceRequirements } from "./resources.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";

export const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];
const ENV_SOURCES = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"];

export interface ContainerContext {
  /** Container names seen so far in this pod (init and regular share one namespace). */
  names: Set<string>;
  /** Names of the pod's volumes, for mounts to refer to. */
  volumes: Set<string>;
  init: boolean;
  hostNetwork: boolean;
}

export function validateContainers(containers: unknown, path: string, ctx: ContainerContext): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, container] of asArray(containers).entries()) {
    errors.push(...validateContainer(container, `${path}[${i}]`, ctx));
  }
  return errors;
}

function validateContainer(container: unknown, path: string, ctx: ContainerContext): FieldError[] {
  if (!isRecord(container)) return [invalidValue(path, container, "must be an object")];
  const errors = validateContainerCommon(container, path, ctx);
  const restartPolicy = container.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== null) {
    // Only init containers may restart on their own (as sidecars), and only "Always".
    if (!ctx.init) errors.push(forbidden(`${path}.restartPolicy`, "may not be set for non-init containers"));
    else if (restartPolicy !== "Always") errors.push(notSupported(`${path}.restartPolicy`, restartPolicy, ["Always"]));
  }
  return errors;
}

/**
 * The rules every kind of container shares (regular, init and ephemeral): name unique within
 * `ctx.names`, image, ports, env, resources, mounts, probes. Not restartPolicy, which differs.
 */
export function validateContainerCommon(container: JsonObject, path: string, ctx: ContainerContext): FieldError[] {
  const errors: FieldError[] = [];
  const name = asString(container.name);
  if (name === "") errors.push(required(`${path}.name`));
  else {
    errors.push(...invalidEach(`${path}.name`, name, dns1123Label(name)));
    if (ctx.names.has(name)) errors.push(duplicate(`${path}.name`, name));
    ctx.names.add(name);
  }
  const image = asString(container.image);
  if (image.trim() === "") errors.push(required(`${path}.image`));
  else if (image !== image.trim())
    errors.push(invalidValue(`${path}.image`, image, "must not have leading or trailing whitespace"));

  errors.push(...enumField(container.imagePullPolicy, `${path}.imagePullPolicy`, PULL_POLICIES));
  errors.push(...enumField(container.terminationMessagePolicy, `${path}.terminationMessagePolicy`, MESSAGE_POLICIES));
  errors.push(...validatePorts(container.ports, `${path}.ports`, ctx.hostNetwork));
  errors.push(...validateEnv(container.env, `${path}.env`));
  errors.push(...validateEnvFrom(container.envFrom, `${path}.envFrom`));
  errors.push(...validateResourceRequirements(container.resources, `${path}.resources`));
  errors.push(...validateVolumeMounts(container.volumeMounts, `${path}.volumeMounts`, ctx.volumes));
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    errors.push(...validateProbe(container[probe], `${path}.${probe}`, probe !== "readinessProbe"));
  }
  return errors;
}

/** A defaulted enum: empty is "Required", anything unknown "Unsupported". */
export function enumField(value: unknown, path: string, allowed: readonly string[]): FieldError[] {
  if (value === undefined || value === null) return [];
  if (value === "") return [required(path)];
  return typeof value === "string" && allowed.includes(value) ? [] : [notSupported(path, value, allowed)];
}

function validatePorts(ports: unknown, path: string, hostNetwork: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, port] of asArray(ports).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(port)) {
      errors.push(invalidValue(at, port, "must be an object"));
      continue;
    }
    const name = asString(port.name);
    if (name !== "") {
      errors.push(...invalidEach(`${at}.name`, name, portName(name)));
      if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
    const containerPort = port.containerPort;
    if (containerPort === undefined || containerPort === null || containerPort === 0)
      errors.push(required(`${at}.containerPort`));
    else errors.push(...portNumberErrors(containerPort, `${at}.containerPort`));
    const hostPort = port.hostPort;
    if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
      errors.push(...portNumberErrors(hostPort, `${at}.hostPort`));
      if (hostNetwork && hostPort !== containerPort) {
        errors.push(invalidValue(`${at}.hostPort`, hostPort, "must match `containerPort` when `hostNetwork` is true"));
      }
    }
    errors.push(...enumField(port.protocol, `${at}.protocol`, PROTOCOLS));
  }
  return errors;
}

export function portNumberErrors(value: unknown, path: string): FieldError[] {
  if (typeof value !== "number") return [invalidValue(path, value, "must be an integer")];
  return invalidEach(path, value, portNumber(value));
}

/** A probe or handler port: a number, or the name of a container port. */
export function namedOrNumberedPort(value: unknown, path: string): FieldError[] {
  if (typeof value === "number") return portNumberErrors(value, path);
  if (typeof value === "string" && value !== "") return invalidEach(path, value, portName(value));
  return [required(path)];
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, entry] of asArray(env).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(entry)) {
      errors.push(invalidValue(at, entry, "must be an object"));
      continue;
    }
    const name = asString(entry.name);
    if (name === "") errors.push(required(`${at}.name`));
    else errors.push(...invalidEach(`${at}.name`, name, envVarName(name)));
    if (entry.valueFrom !== undefined && entry.valueFrom !== null) {
      errors.push(...validateEnvSource(entry.valueFrom, `${at}.valueFrom`));
      if (asString(entry.value) !== "") {
        errors.push(invalidValue(`${at}.valueFrom`, "", "may not be specified when `value` is not empty"));
      }
    }
  }
  return errors;
}

function validateEnvSource(source: unknown, path: string): FieldError[] {
  if (!isRecord(source)) return [invalidValue(path, source, "must be an object")];
  const present = ENV_SOURCES.filter((k) => source[k] !== undefined && source[k] !== null);
  if (present.length === 0) {
    return [
      invalidValue(
        path,
        "",
        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
      ),
    ];
  }
  if (present.length > 1) return [invalidValue(path, "", "may not have more than one field specified at a time")];
  const kind = present[0]!;
  const ref = source[kind];
  if (!isRecord(ref)) return [invalidValue(`${path}.${kind}`, ref, "must be an object")];
  const errors: FieldError[] = [];
  if (kind === "fieldRef" && asString(ref.fieldPath) === "") errors.push(required(`${path}.fieldRef.fieldPath`));
  if (kind === "resourceFieldRef" && asString(ref.resource) === "")
    errors.push(required(`${path}.resourceFieldRef.resource`));
  if (kind === "configMapKeyRef" || kind === "secretKeyRef") {
    const key = asString(ref.key);
    if (key === "") errors.push(required(`${path}.${kind}.key`));
    else errors.push(...invalidEach(`${path}.${kind}.key`, key, configMapKey(key)));
  }
  return errors;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, entry] of asArray(envFrom).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(entry)) {
      errors.push(invalidValue(at, entry, "must be an object"));
      continue;
    }
    const prefix = asString(entry.prefix);
    if (prefix !== "") errors.push(...invalidEach(`${at}.prefix`, prefix, envVarName(prefix)));
    const hasConfigMap = isRecord(entry.configMapRef);
    const hasSecret = isRecord(entry.secretRef);
    if (!hasConfigMap && !hasSecret)
      errors.push(invalidValue(at, "", "must specify one of: `configMapRef` or `secretRef`"));
    if (hasConfigMap && hasSecret)
      errors.push(invalidValue(at, "", "may not have more than one field specified at a time"));
  }
  return errors;
}

function validateVolumeMounts(mounts: unknown, path: string, volumes: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  const mountPaths = new Set<string>();
  for (const [i, mount] of asArray(mounts).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(mount)) {
      errors.push(invalidValue(at, mount, "must be an object"));
      continue;
    }
    const name = asString(mount.name);
    if (name === "") errors.push(required(`${at}.name`));
    else if (!volumes.has(name)) errors.push(notFound(`${at}.name`, name));
    const mountPath = asString(mount.mountPath);
    if (mountPath === "") errors.push(required(`${at}.mountPath`));
    else {
      if (mountPaths.has(mountPath)) errors.push(invalidValue(`${at}.mountPath`, mountPath, "must be unique"));
      mountPaths.add(mountPath);
    }
    const subPath = asString(mount.subPath);
    if (subPath !== "") errors.push(...relativePathErrors(subPath, `${at}.subPath`));
  }
  return errors;
}

/** Paths inside a volume: relative and never climbing out with "..". */
export function relativePathErrors(value: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (value.startsWith("/")) errors.push(invalidValue(path, value, "must be a relative path"));
  if (value.split("/").includes("..")) errors.push(invalidValue(path, value, "must not contain '..'"));
  return errors;
}

function validateProbe(probe: unknown, path: string, singleSuccess: boolean): FieldError[] {
  if (probe === undefined || probe === null) return [];
  if (!isRecord(probe)) return [invalidValue(path, probe, "must be an object")];
  const errors = validateHandler(probe, path);
  errors.push(...nonNegative(probe.initialDelaySeconds, `${path}.initialDelaySeconds`));
  errors.push(...nonNegative(probe.timeoutSeconds, `${path}.timeoutSeconds`));
  errors.push(...nonNegative(probe.periodSeconds, `${path}.periodSeconds`));
  errors.push(...nonNegative(probe.successThreshold, `${path}.successThreshold`));
  errors.push(...nonNegative(probe.failureThreshold, `${path}.failureThreshold`));
  errors.push(...positive(probe.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`));
  if (singleSuccess && typeof probe.successThreshold === "number" && probe.successThreshold !== 1) {
    errors.push(invalidValue(`${path}.successThreshold`, probe.successThreshold, "must be 1"));
  }
  return errors;
}

/** Exactly one handler (exec, httpGet, tcpSocket, grpc), each with what it needs. */
function validateHandler(probe: JsonObject, path: string): FieldError[] {
  const present = PROBE_HANDLERS.filter((k) => probe[k] !== undefined && probe[k] !== null);
  if (present.length === 0) return [required(path, "must specify a handler type")];
  const errors: FieldError[] = present
    .slice(1)
    .map((k) => forbidden(`${path}.${k}`, "may not specify more than 1 handler type"));
  const handler = probe[present[0]!];
  const at = `${path}.${present[0]}`;
  if (!isRecord(handler)) return [...errors, invalidValue(at, handler, "must be an object")];
  if (present[0] === "exec" && asArray(handler.command).length === 0) errors.push(required(`${at}.command`));
  if (present[0] === "httpGet" || present[0] === "tcpSocket")
    errors.push(...namedOrNumberedPort(handler.port, `${at}.port`));
  if (present[0] === "httpGet") errors.push(...enumField(handler.scheme, `${at}.scheme`, ["HTTP", "HTTPS"]));
  if (present[0] === "grpc") errors.push(...portNumberErrors(handler.port, `${at}.port`));
  return errors;
}
