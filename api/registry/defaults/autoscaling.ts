// autoscaling/v2 HorizontalPodAutoscaler defaulting.
import type { KubeObject } from "../../types.ts";
import { isRecord, type JsonObject } from "../../validation/shape.ts";
import { existing, setDefault, setDefaultString } from "./set.ts";

const DEFAULT_CPU_UTILIZATION = 80;

export function defaultHorizontalPodAutoscaler(hpa: KubeObject): void {
  const spec = isRecord(hpa.spec) ? hpa.spec : undefined;
  if (!spec) return;
  setDefault(spec, "minReplicas", 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: DEFAULT_CPU_UTILIZATION } },
      },
    ];
  }
  // Behavior is only completed when given: an absent one means "controller defaults".
  const behavior = existing(spec, "behavior");
  if (!behavior) return;
  behavior.scaleUp = completeRules(existing(behavior, "scaleUp"), {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Pods", value: 4, periodSeconds: 15 },
      { type: "Percent", value: 100, periodSeconds: 15 },
    ],
  });
  behavior.scaleDown = completeRules(existing(behavior, "scaleDown"), {
    stabilizationWindowSeconds: 300,
    selectPolicy: "Max",
    policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
  });
}

function completeRules(rules: JsonObject | undefined, defaults: JsonObject): JsonObject {
  if (!rules) return defaults;
  setDefault(rules, "stabilizationWindowSeconds", defaults.stabilizationWindowSeconds);
  setDefaultString(rules, "selectPolicy", defaults.selectPolicy as string);
  if (!Array.isArray(rules.policies) || rules.policies.length === 0) rules.policies = defaults.policies;
  return rules;
}
