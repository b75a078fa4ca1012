// work.karmada.io/v1alpha1 Work: manifests for one Pull-mode member and their status there. The
// manifests and statuses are whole objects, kept as written.
import { f, req, untyped, type SchemaModule } from "./dsl.ts";

export const karmadaWorkV1alpha1: SchemaModule = {
  pkg: "io.karmada.work.v1alpha1",
  types: {
    Work: untyped("The manifests one member cluster's agent applies.", {
      spec: req("WorkSpec", "What to apply."),
      status: f("WorkStatus", "What the agent applied, and how it is doing."),
    }),
    WorkSpec: untyped("What to apply.", {
      workload: req("WorkloadTemplate", "The manifests."),
    }),
    WorkloadTemplate: untyped("The manifests.", {
      manifests: f("[]object", "Kubernetes objects to apply to the member."),
    }),
    WorkStatus: untyped("What the agent applied.", {
      conditions: f("[]Condition", "Applied, one per type.", { listType: "map", listMapKeys: ["type"] }),
      manifestStatuses: f("[]object", "Each manifest's status in the member."),
    }),
  },
};
