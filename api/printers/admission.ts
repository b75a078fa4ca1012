// Tables for admissionregistration.k8s.io and flowcontrol.apiserver.k8s.io kinds.
import type {
  MutatingWebhookConfiguration,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from "kubernetes-types/admissionregistration/v1";
import type { FlowSchema, PriorityLevelConfiguration } from "kubernetes-types/flowcontrol/v1";
import type { TableConvertor } from "../registry/types.ts";
import { ageColumn, ageOf, col, nameColumn, num, selectorString, view } from "./format.ts";

/** Mutating and validating webhook configurations share one layout. */
export const webhookConfigurationTable: TableConvertor = {
  columns: [nameColumn, col("Webhooks", "integer", "Number of webhooks in the configuration."), ageColumn],
  cells: (obj, now) => [
    obj.metadata.name,
    (view<MutatingWebhookConfiguration>(obj).webhooks ?? []).length,
    ageOf(obj, now),
  ],
};

export const validatingAdmissionPolicyTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Validations", "integer", "Number of validation expressions."),
    col("ParamKind", "string", "apiVersion/kind of the parameter resource."),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = view<ValidatingAdmissionPolicy>(obj).spec;
    const pk = spec?.paramKind;
    return [
      obj.metadata.name,
      (spec?.validations ?? []).length,
      pk ? `${pk.apiVersion ?? ""}/${pk.kind ?? ""}` : "<unset>",
      ageOf(obj, now),
    ];
  },
};

export const validatingAdmissionPolicyBindingTable: TableConvertor = {
  columns: [
    nameColumn,
    col("PolicyName", "string", "The bound policy."),
    col("ParamRef", "string", "The parameter resource the binding supplies."),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = view<ValidatingAdmissionPolicyBinding>(obj).spec;
    const ref = spec?.paramRef;
    let param = "<unset>";
    if (ref?.name) param = `${ref.namespace || "*"}/${ref.name}`;
    else if (ref?.selector) param = selectorString(ref.selector);
    return [obj.metadata.name, spec?.policyName ?? "", param, ageOf(obj, now)];
  },
};

export const flowSchemaTable: TableConvertor = {
  columns: [
    nameColumn,
    col("PriorityLevel", "string", "The priority level requests are assigned to."),
    col("MatchingPrecedence", "string", "Lower values are matched first."),
    col("DistinguisherMethod", "string", "How flows are told apart."),
    ageColumn,
    col("MissingPL", "string", "Whether the priority level does not exist."),
  ],
  cells(obj, now) {
    const fs = view<FlowSchema>(obj);
    const dangling = fs.status?.conditions?.find((c) => c.type === "Dangling");
    return [
      obj.metadata.name,
      fs.spec?.priorityLevelConfiguration?.name ?? "",
      num(fs.spec?.matchingPrecedence),
      fs.spec?.distinguisherMethod?.type ?? "<none>",
      ageOf(obj, now),
      dangling?.status ?? "?",
    ];
  },
};

export const priorityLevelConfigurationTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Type", "string", "Exempt or Limited."),
    col("NominalConcurrencyShares", "string", "Share of the server's concurrency."),
    col("Queues", "string", "Number of queues."),
    col("HandSize", "string", "Queues dealt to each flow."),
    col("QueueLengthLimit", "string", "Requests allowed waiting per queue."),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = view<PriorityLevelConfiguration>(obj).spec;
    const limited = spec?.limited;
    const queuing = limited?.limitResponse?.queuing;
    const none = "<none>";
    return [
      obj.metadata.name,
      spec?.type ?? "",
      limited ? num(limited.nominalConcurrencyShares) : none,
      queuing ? num(queuing.queues) : none,
      queuing ? num(queuing.handSize) : none,
      queuing ? num(queuing.queueLengthLimit) : none,
      ageOf(obj, now),
    ];
  },
};
