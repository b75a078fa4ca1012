// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const autoscalingMessages: MessageTable = {
  "autoscaling.v1.CrossVersionObjectReference": [
    [1, "kind", "string", "k"],
    [2, "name", "string", "k"],
    [3, "apiVersion", "string"],
  ],
  "autoscaling.v1.HorizontalPodAutoscaler": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "HorizontalPodAutoscalerSpec"],
    [3, "status", "HorizontalPodAutoscalerStatus"],
  ],
  "autoscaling.v1.HorizontalPodAutoscalerSpec": [
    [1, "scaleTargetRef", "CrossVersionObjectReference"],
    [2, "minReplicas", "int32", "k"],
    [3, "maxReplicas", "int32", "k"],
    [4, "targetCPUUtilizationPercentage", "int32", "k"],
  ],
  "autoscaling.v1.HorizontalPodAutoscalerStatus": [
    [1, "observedGeneration", "int64", "k"],
    [2, "lastScaleTime", "time"],
    [3, "currentReplicas", "int32", "k"],
    [4, "desiredReplicas", "int32", "k"],
    [5, "currentCPUUtilizationPercentage", "int32", "k"],
  ],
  "autoscaling.v1.Scale": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "ScaleSpec"],
    [3, "status", "ScaleStatus"],
  ],
  "autoscaling.v1.ScaleSpec": [[1, "replicas", "int32"]],
  "autoscaling.v1.ScaleStatus": [
    [1, "replicas", "int32", "k"],
    [2, "selector", "string"],
  ],
  "autoscaling.v2.ContainerResourceMetricSource": [
    [1, "name", "string", "k"],
    [2, "target", "MetricTarget"],
    [3, "container", "string", "k"],
  ],
  "autoscaling.v2.ContainerResourceMetricStatus": [
    [1, "name", "string", "k"],
    [2, "current", "MetricValueStatus"],
    [3, "container", "string", "k"],
  ],
  "autoscaling.v2.CrossVersionObjectReference": [
    [1, "kind", "string", "k"],
    [2, "name", "string", "k"],
    [3, "apiVersion", "string"],
  ],
  "autoscaling.v2.ExternalMetricSource": [
    [1, "metric", "MetricIdentifier"],
    [2, "target", "MetricTarget"],
  ],
  "autoscaling.v2.ExternalMetricStatus": [
    [1, "metric", "MetricIdentifier"],
    [2, "current", "MetricValueStatus"],
  ],
  "autoscaling.v2.HPAScalingPolicy": [
    [1, "type", "string", "k"],
    [2, "value", "int32", "k"],
    [3, "periodSeconds", "int32", "k"],
  ],
  "autoscaling.v2.HPAScalingRules": [
    [3, "stabilizationWindowSeconds", "int32", "k"],
    [1, "selectPolicy", "string", "k"],
    [2, "policies", "HPAScalingPolicy", "r"],
    [4, "tolerance", "quantity"],
  ],
  "autoscaling.v2.HorizontalPodAutoscaler": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "HorizontalPodAutoscalerSpec"],
    [3, "status", "HorizontalPodAutoscalerStatus"],
  ],
  "autoscaling.v2.HorizontalPodAutoscalerBehavior": [
    [1, "scaleUp", "HPAScalingRules"],
    [2, "scaleDown", "HPAScalingRules"],
  ],
  "autoscaling.v2.HorizontalPodAutoscalerCondition": [
    [1, "type", "string", "k"],
    [2, "status", "string", "k"],
    [3, "lastTransitionTime", "time"],
    [4, "reason", "string"],
    [5, "message", "string"],
  ],
  "autoscaling.v2.HorizontalPodAutoscalerSpec": [
    [1, "scaleTargetRef", "CrossVersionObjectReference"],
    [2, "minReplicas", "int32", "k"],
    [3, "maxReplicas", "int32", "k"],
    [4, "metrics", "MetricSpec", "r"],
    [5, "behavior", "HorizontalPodAutoscalerBehavior"],
  ],
  "autoscaling.v2.HorizontalPodAutoscalerStatus": [
    [1, "observedGeneration", "int64", "k"],
    [2, "lastScaleTime", "time"],
    [3, "currentReplicas", "int32"],
    [4, "desiredReplicas", "int32", "k"],
    [5, "currentMetrics", "MetricStatus", "r"],
    [6, "conditions", "HorizontalPodAutoscalerCondition", "r"],
  ],
  "autoscaling.v2.MetricIdentifier": [
    [1, "name", "string", "k"],
    [2, "selector", "meta.v1.LabelSelector"],
  ],
  "autoscaling.v2.MetricSpec": [
    [1, "type", "string", "k"],
    [2, "object", "ObjectMetricSource"],
    [3, "pods", "PodsMetricSource"],
    [4, "resource", "ResourceMetricSource"],
    [7, "containerResource", "ContainerResourceMetricSource"],
    [5, "external", "ExternalMetricSource"],
  ],
  "autoscaling.v2.MetricStatus": [
    [1, "type", "string", "k"],
    [2, "object", "ObjectMetricStatus"],
    [3, "pods", "PodsMetricStatus"],
    [4, "resource", "ResourceMetricStatus"],
    [7, "containerResource", "ContainerResourceMetricStatus"],
    [5, "external", "ExternalMetricStatus"],
  ],
  "autoscaling.v2.MetricTarget": [
    [1, "type", "string", "k"],
    [2, "value", "quantity"],
    [3, "averageValue", "quantity"],
    [4, "averageUtilization", "int32", "k"],
  ],
  "autoscaling.v2.MetricValueStatus": [
    [1, "value", "quantity"],
    [2, "averageValue", "quantity"],
    [3, "averageUtilization", "int32", "k"],
  ],
  "autoscaling.v2.ObjectMetricSource": [
    [1, "describedObject", "CrossVersionObjectReference"],
    [2, "target", "MetricTarget"],
    [3, "metric", "MetricIdentifier"],
  ],
  "autoscaling.v2.ObjectMetricStatus": [
    [1, "metric", "MetricIdentifier"],
    [2, "current", "MetricValueStatus"],
    [3, "describedObject", "CrossVersionObjectReference"],
  ],
  "autoscaling.v2.PodsMetricSource": [
    [1, "metric", "MetricIdentifier"],
    [2, "target", "MetricTarget"],
  ],
  "autoscaling.v2.PodsMetricStatus": [
    [1, "metric", "MetricIdentifier"],
    [2, "current", "MetricValueStatus"],
  ],
  "autoscaling.v2.ResourceMetricSource": [
    [1, "name", "string", "k"],
    [2, "target", "MetricTarget"],
  ],
  "autoscaling.v2.ResourceMetricStatus": [
    [1, "name", "string", "k"],
    [2, "current", "MetricValueStatus"],
  ],
};
