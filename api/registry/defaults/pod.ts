// Pod spec defaulting. `defaultPodSpec` is what every pod spec gets, templates
// included; `defaultPod` adds what only real Pods get (requests from limits,
// service links) and `admitPod` what Kubernetes' admission plugins add on create.
import { isRecord, type JsonObject } from "../../validation/shape.ts";
import type { KubeObject } from "../../types.ts";
import { SYSTEM_PRIORITY_CLASSES } from "../../validation/scheduling.ts";
import { VOLUME_SOURCES } from "../../validation/volume.ts";
import { child, existing, objectsIn, setDefault, setDefaultString } from "./set.ts";

const DEFAULT_FILE_MODE = 0o644;

export function defaultPodSpec(spec: JsonObject): void {
  setDefaultString(spec, "dnsPolicy", "ClusterFirst");
  setDefaultString(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "securityContext", {});
  setDefaultString(spec, "schedulerName", "default-scheduler");
  // v1 still carries the deprecated serviceAccount field; both always agree.
  if (typeof spec.serviceAccountName === "string" && spec.serviceAccountName !== "")
    setDefault(spec, "serviceAccount", spec.serviceAccountName);
  else if (typeof spec.serviceAccount === "string" && spec.serviceAccount !== "")
    spec.serviceAccountName = spec.serviceAccount;
  const hostNetwork = spec.hostNetwork === true;
  // Ephemeral containers get the same container defaults (pull policy, termination message...).
  const containers = [
    ...objectsIn(spec, "initContainers"),
    ...objectsIn(spec, "containers"),
    ...objectsIn(spec, "ephemeralContainers"),
  ];
  for (const container of containers) defaultContainer(container, hostNetwork);
  for (const volume of objectsIn(spec, "volumes")) defaultVolume(volume);
}

/** Defaults for a PodTemplateSpec (its spec; labels and annotations are left alone). */
export function defaultPodTemplate(template: unknown): void {
  if (!isRecord(template)) return;
  const spec = existing(template, "spec");
  if (spec) defaultPodSpec(spec);
}

export function defaultContainer(container: JsonObject, hostNetwork: boolean): void {
  setDefaultString(container, "imagePullPolicy", pullPolicyFor(container.image));
  setDefaultString(container, "terminationMessagePath", "/dev/termination-log");
  setDefaultString(container, "terminationMessagePolicy", "File");
  setDefault(container, "resources", {});
  for (const port of objectsIn(container, "ports")) {
    setDefaultString(port, "protocol", "TCP");
    // On the host network the container port is the host port.
    if (hostNetwork) setDefault(port, "hostPort", port.containerPort);
  }
  for (const env of objectsIn(container, "env")) {
    const from = existing(env, "valueFrom");
    const fieldRef = from && existing(from, "fieldRef");
    if (fieldRef) setDefaultString(fieldRef, "apiVersion", "v1");
    const resourceRef = from && existing(from, "resourceFieldRef");
    if (resourceRef) setDefault(resourceRef, "divisor", "0");
  }
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    const p = existing(container, probe);
    if (p) defaultProbe(p);
  }
  const lifecycle = existing(container, "lifecycle");
  for (const hook of ["postStart", "preStop"]) {
    const handler = lifecycle && existing(lifecycle, hook);
    const httpGet = handler && existing(handler, "httpGet");
    if (httpGet) defaultHttpGet(httpGet);
  }
}

/** Mutable tags ("latest" or none) are re-pulled; pinned tags and digests are not. */
export function pullPolicyFor(image: unknown): string {
  if (typeof image !== "string") return "IfNotPresent";
  if (image.includes("@")) return "IfNotPresent";
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  const tag = colon < 0 ? "" : lastSegment.slice(colon + 1);
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultProbe(probe: JsonObject): void {
  setDefault(probe, "timeoutSeconds", 1);
  setDefault(probe, "periodSeconds", 10);
  setDefault(probe, "successThreshold", 1);
  setDefault(probe, "failureThreshold", 3);
  const httpGet = existing(probe, "httpGet");
  if (httpGet) defaultHttpGet(httpGet);
}

function defaultHttpGet(action: JsonObject): void {
  setDefaultString(action, "path", "/");
  setDefaultString(action, "scheme", "HTTP");
}

const VOLUME_SOURCE_KEYS = new Set(VOLUME_SOURCES);

export function defaultVolume(volume: JsonObject): void {
  // A volume with no source is scratch space.
  if (!Object.keys(volume).some((k) => VOLUME_SOURCE_KEYS.has(k) && volume[k] !== null && volume[k] !== undefined)) {
    volume.emptyDir = {};
  }
  for (const kind of ["secret", "configMap", "downwardAPI", "projected"]) {
    const source = existing(volume, kind);
    if (source) setDefault(source, "defaultMode", DEFAULT_FILE_MODE);
  }
  const hostPath = existing(volume, "hostPath");
  if (hostPath) setDefault(hostPath, "type", "");
}

/** Defaults only real Pods get (templates keep what their authors wrote). */
export function defaultPod(pod: KubeObject): void {
  const spec = isRecord(pod.spec) ? pod.spec : undefined;
  if (!spec) return;
  defaultPodSpec(spec);
  setDefault(spec, "enableServiceLinks", true);
  // A limit without a request means the request equals the limit.
  for (const container of [...objectsIn(spec, "initContainers"), ...objectsIn(spec, "containers")]) {
    const resources = existing(container, "resources");
    const limits = resources && existing(resources, "limits");
    if (!resources || !limits || Object.keys(limits).length === 0) continue;
    const requests = child(resources, "requests");
    if (!requests) continue;
    for (const [name, value] of Object.entries(limits)) setDefault(requests, name, value);
  }
}

const TOLERATION_SECONDS = 300;
const NOT_READY = "node.kubernetes.io/not-ready";
const UNREACHABLE = "node.kubernetes.io/unreachable";

/**
 * What admission plugins add when a Pod is created: the default service account,
 * five minutes of tolerance for unhealthy nodes before eviction, and a priority.
 */
export function admitPod(pod: KubeObject): void {
  const spec = isRecord(pod.spec) ? pod.spec : undefined;
  if (!spec) return;
  setDefaultString(spec, "serviceAccountName", "default");
  setDefaultString(spec, "serviceAccount", spec.serviceAccountName as string);

  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as unknown[]) : [];
  for (const key of [NOT_READY, UNREACHABLE]) {
    if (!toleratesNoExecute(tolerations, key)) {
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: TOLERATION_SECONDS });
    }
  }
  spec.tolerations = tolerations;

  const className = typeof spec.priorityClassName === "string" ? spec.priorityClassName : "";
  if (className === "") setDefault(spec, "priority", 0);
  else if (Object.hasOwn(SYSTEM_PRIORITY_CLASSES, className))
    setDefault(spec, "priority", SYSTEM_PRIORITY_CLASSES[className]);
  setDefaultString(spec, "preemptionPolicy", "PreemptLowerPriority");
}

function toleratesNoExecute(tolerations: unknown[], key: string): boolean {
  return tolerations.some((t) => {
    if (!isRecord(t)) return false;
    const keyMatches = t.key === key || ((t.key === undefined || t.key === "") && t.operator === "Exists");
    const effectMatches = t.effect === "NoExecute" || t.effect === undefined || t.effect === "";
    return keyMatches && effectMatches;
  });
}
