// apps/v1 defaulting: the values `kubectl get -o yaml` shows on a fresh workload.
import type { KubeObject } from "../../types.ts";
import { isRecord, type JsonObject } from "../../validation/shape.ts";
import { defaultClaimSpec } from "./core.ts";
import { defaultPodTemplate } from "./pod.ts";
import { child, existing, objectsIn, setDefault, setDefaultString } from "./set.ts";

const specOf = (obj: KubeObject): JsonObject | undefined => (isRecord(obj.spec) ? obj.spec : undefined);

export function defaultDeployment(obj: KubeObject): void {
  const spec = specOf(obj);
  if (!spec) return;
  setDefault(spec, "replicas", 1);
  const strategy = child(spec, "strategy");
  if (strategy) {
    setDefaultString(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      const rolling = child(strategy, "rollingUpdate");
      if (rolling) {
        setDefault(rolling, "maxUnavailable", "25%");
        setDefault(rolling, "maxSurge", "25%");
      }
    }
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "progressDeadlineSeconds", 600);
  defaultPodTemplate(spec.template);
}

export function defaultReplicaSet(obj: KubeObject): void {
  const spec = specOf(obj);
  if (!spec) return;
  setDefault(spec, "replicas", 1);
  defaultPodTemplate(spec.template);
}

export function defaultStatefulSet(obj: KubeObject): void {
  const spec = specOf(obj);
  if (!spec) return;
  setDefault(spec, "replicas", 1);
  setDefaultString(spec, "podManagementPolicy", "OrderedReady");
  const strategy = child(spec, "updateStrategy");
  if (strategy) {
    setDefaultString(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      const rolling = child(strategy, "rollingUpdate");
      if (rolling) setDefault(rolling, "partition", 0);
    }
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  const retention = child(spec, "persistentVolumeClaimRetentionPolicy");
  if (retention) {
    setDefaultString(retention, "whenDeleted", "Retain");
    setDefaultString(retention, "whenScaled", "Retain");
  }
  defaultPodTemplate(spec.template);
  for (const claim of objectsIn(spec, "volumeClaimTemplates")) {
    const claimSpec = existing(claim, "spec");
    if (claimSpec) defaultClaimSpec(claimSpec);
    // Kubernetes defaults the embedded claim like a real one, status included.
    const status = child(claim, "status");
    if (status) setDefaultString(status, "phase", "Pending");
  }
}

export function defaultDaemonSet(obj: KubeObject): void {
  const spec = specOf(obj);
  if (!spec) return;
  const strategy = child(spec, "updateStrategy");
  if (strategy) {
    setDefaultString(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      const rolling = child(strategy, "rollingUpdate");
      if (rolling) {
        setDefault(rolling, "maxUnavailable", 1);
        setDefault(rolling, "maxSurge", 0);
      }
    }
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  defaultPodTemplate(spec.template);
}
