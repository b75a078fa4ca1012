// core/v1 Nodes.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { forbidden, invalidValue } from "./field.ts";
import { CIDR_ERROR, isCIDR } from "./ip.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";
import { validateTaints } from "./tolerations.ts";

const specOf = (obj: KubeObject): JsonObject => (isRecord(obj.spec) ? obj.spec : {});

export function validateNode(node: KubeObject): FieldError[] {
  const spec = specOf(node);
  const errors = validateTaints(spec.taints, "spec.taints");
  const podCIDR = asString(spec.podCIDR);
  if (podCIDR !== "" && !isCIDR(podCIDR)) errors.push(invalidValue("spec.podCIDR", podCIDR, CIDR_ERROR));
  const cidrs = asArray(spec.podCIDRs);
  for (const [i, cidr] of cidrs.entries()) {
    if (typeof cidr !== "string" || !isCIDR(cidr)) errors.push(invalidValue(`spec.podCIDRs[${i}]`, cidr, CIDR_ERROR));
  }
  // At most one range per IP family.
  if (cidrs.length > 2)
    errors.push(invalidValue("spec.podCIDRs", cidrs, "may specify no more than one CIDR for each IP family"));
  return errors;
}

/** Pod CIDRs and the provider ID are assigned once; changing them would strand running pods. */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(node);
  const oldSpec = specOf(old);
  const errors: FieldError[] = [];
  const oldCIDRs = asArray(oldSpec.podCIDRs);
  if (oldCIDRs.length > 0 && JSON.stringify(asArray(spec.podCIDRs)) !== JSON.stringify(oldCIDRs)) {
    errors.push(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'));
  }
  const oldPodCIDR = asString(oldSpec.podCIDR);
  if (oldPodCIDR !== "" && asString(spec.podCIDR) !== oldPodCIDR && oldCIDRs.length === 0) {
    errors.push(forbidden("spec.podCIDR", 'node updates may not change podCIDR except from "" to valid'));
  }
  const oldProvider = asString(oldSpec.providerID);
  if (oldProvider !== "" && asString(spec.providerID) !== oldProvider) {
    errors.push(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'));
  }
  return errors;
}
