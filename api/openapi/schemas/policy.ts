// autoscaling/v1 Scale (what every scale subresource speaks) and policy/v1.
import type {
  CrossVersionObjectReference,
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  Scale,
  ScaleSpec,
  ScaleStatus,
} from "kubernetes-types/autoscaling/v1";
import type {
  Eviction,
  PodDisruptionBudget,
  PodDisruptionBudgetSpec,
  PodDisruptionBudgetStatus,
} from "kubernetes-types/policy/v1";
import { complete, f, kind, partial, req, type SchemaModule } from "./dsl.ts";

export const autoscaling: SchemaModule = {
  pkg: "io.k8s.api.autoscaling.v1",
  types: {
    Scale: kind<Scale>("The replica count of a scalable resource (its scale subresource).", {
      spec: f("ScaleSpec", "Desired scale."),
      status: f("ScaleStatus", "Current scale."),
    }),
    ScaleSpec: complete<ScaleSpec>("Desired scale.", { replicas: f("int32", "Desired number of replicas.") }),
    ScaleStatus: complete<ScaleStatus>("Current scale.", {
      replicas: req("int32", "Current number of replicas."),
      selector: f("string", "Label selector of the pods, in query-string form."),
    }),
    HorizontalPodAutoscaler: kind<HorizontalPodAutoscaler>("Scales a workload on CPU use (autoscaling/v1).", {
      spec: f("HorizontalPodAutoscalerSpec", "Desired behaviour."),
      status: f("object", "Observed state."),
    }),
    HorizontalPodAutoscalerSpec: complete<HorizontalPodAutoscalerSpec>("Autoscaler settings.", {
      maxReplicas: req("int32", "Upper bound."),
      minReplicas: f("int32", "Lower bound; default 1."),
      scaleTargetRef: req("CrossVersionObjectReference", "Workload to scale."),
      targetCPUUtilizationPercentage: f("int32", "Target average CPU use, as a percentage of requests."),
    }),
    CrossVersionObjectReference: complete<CrossVersionObjectReference>("Refers to a workload.", {
      apiVersion: f("string", "API version."),
      kind: req("string", "Kind."),
      name: req("string", "Name."),
    }),
  },
};

export const policy: SchemaModule = {
  pkg: "io.k8s.api.policy.v1",
  types: {
    Eviction: kind<Eviction>("A request to evict a pod, honouring disruption budgets (pods/eviction).", {
      deleteOptions: f("DeleteOptions", "Options for deleting the pod."),
    }),
    PodDisruptionBudget: kind<PodDisruptionBudget>("Limits voluntary disruptions of a set of pods.", {
      spec: f("PodDisruptionBudgetSpec", "Desired protection."),
      status: f("PodDisruptionBudgetStatus", "Observed state."),
    }),
    PodDisruptionBudgetSpec: complete<PodDisruptionBudgetSpec>("Desired protection.", {
      maxUnavailable: f("IntOrString", "Pods that may be unavailable after an eviction (number or percentage)."),
      minAvailable: f("IntOrString", "Pods that must stay available after an eviction (number or percentage)."),
      selector: f("LabelSelector", "Pods protected."),
      unhealthyPodEvictionPolicy: f("string", "When unhealthy pods may be evicted.", {
        enum: ["IfHealthyBudget", "AlwaysAllow"],
      }),
    }),
    PodDisruptionBudgetStatus: partial<PodDisruptionBudgetStatus>("Observed state of a budget.", {
      currentHealthy: req("int32", "Healthy pods."),
      desiredHealthy: req("int32", "Healthy pods required."),
      disruptionsAllowed: req("int32", "Evictions allowed now."),
      expectedPods: req("int32", "Pods counted."),
      observedGeneration: f("int64", "metadata.generation last acted on."),
    }),
  },
};
