// rbac.authorization.k8s.io/v1: Roles, ClusterRoles and their bindings.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { deepEqual } from "./equal.ts";
import { invalidEach, invalidValue, notSupported, required } from "./field.ts";
import { dns1123Label, dns1123Subdomain, pathSegmentName } from "./names.ts";
import { validateLabelSelector } from "./selectors.ts";
import { asArray, asString, isRecord } from "./shape.ts";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

export function validatePolicyRule(rule: unknown, namespaced: boolean, path: string): FieldError[] {
  if (!isRecord(rule)) return [invalidValue(path, rule, "must be an object")];
  const errors: FieldError[] = [];
  if (asArray(rule.verbs).length === 0) errors.push(required(`${path}.verbs`, "verbs must contain at least one value"));
  const urls = asArray(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced)
      errors.push(invalidValue(`${path}.nonResourceURLs`, urls, "namespaced rules cannot apply to non-resource URLs"));
    if (
      asArray(rule.apiGroups).length > 0 ||
      asArray(rule.resources).length > 0 ||
      asArray(rule.resourceNames).length > 0
    ) {
      errors.push(
        invalidValue(
          `${path}.nonResourceURLs`,
          urls,
          "rules cannot apply to both regular resources and non-resource URLs",
        ),
      );
    }
    return errors;
  }
  if (asArray(rule.apiGroups).length === 0)
    errors.push(required(`${path}.apiGroups`, "resource rules must supply at least one api group"));
  if (asArray(rule.resources).length === 0)
    errors.push(required(`${path}.resources`, "resource rules must supply at least one resource"));
  return errors;
}

const rulesErrors = (obj: KubeObject, namespaced: boolean) =>
  asArray(obj.rules).flatMap((rule, i) => validatePolicyRule(rule, namespaced, `rules[${i}]`));

export const validateRole = (role: KubeObject) => rulesErrors(role, true);

export function validateClusterRole(role: KubeObject): FieldError[] {
  const errors = rulesErrors(role, false);
  const aggregation = role.aggregationRule;
  if (isRecord(aggregation)) {
    const selectors = asArray(aggregation.clusterRoleSelectors);
    for (const [i, selector] of selectors.entries()) {
      errors.push(...validateLabelSelector(selector, `aggregationRule.clusterRoleSelectors[${i}]`));
    }
  }
  return errors;
}

const SUBJECT_KINDS = ["ServiceAccount", "User", "Group"];

function validateSubject(subject: unknown, namespaced: boolean, path: string): FieldError[] {
  if (!isRecord(subject)) return [invalidValue(path, subject, "must be an object")];
  const errors: FieldError[] = [];
  const name = asString(subject.name);
  const kind = asString(subject.kind);
  const apiGroup = asString(subject.apiGroup);
  if (name === "") errors.push(required(`${path}.name`));
  if (kind === "ServiceAccount") {
    if (name !== "") errors.push(...invalidEach(`${path}.name`, name, dns1123Subdomain(name)));
    if (apiGroup !== "") errors.push(notSupported(`${path}.apiGroup`, apiGroup, [""]));
    const namespace = asString(subject.namespace);
    // A RoleBinding may leave it empty (its own namespace); a ClusterRoleBinding cannot.
    if (!namespaced && namespace === "") errors.push(required(`${path}.namespace`));
    if (namespace !== "") errors.push(...invalidEach(`${path}.namespace`, namespace, dns1123Label(namespace)));
  } else if (kind === "User" || kind === "Group") {
    if (apiGroup !== RBAC_GROUP) errors.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
  } else {
    errors.push(notSupported(`${path}.kind`, kind, SUBJECT_KINDS));
  }
  return errors;
}

function validateBinding(binding: KubeObject, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const roleRef = isRecord(binding.roleRef) ? binding.roleRef : undefined;
  if (!roleRef) errors.push(required("roleRef"));
  else {
    const apiGroup = asString(roleRef.apiGroup);
    if (apiGroup !== RBAC_GROUP) errors.push(notSupported("roleRef.apiGroup", apiGroup, [RBAC_GROUP]));
    const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
    const kind = asString(roleRef.kind);
    if (!kinds.includes(kind)) errors.push(notSupported("roleRef.kind", kind, kinds));
    const name = asString(roleRef.name);
    if (name === "") errors.push(required("roleRef.name"));
    else errors.push(...invalidEach("roleRef.name", name, pathSegmentName(name)));
  }
  for (const [i, subject] of asArray(binding.subjects).entries())
    errors.push(...validateSubject(subject, namespaced, `subjects[${i}]`));
  return errors;
}

export const validateRoleBinding = (binding: KubeObject) => validateBinding(binding, true);
export const validateClusterRoleBinding = (binding: KubeObject) => validateBinding(binding, false);

/** Re-pointing a binding would silently change what its subjects may do; delete and recreate instead. */
export const validateBindingUpdate = (binding: KubeObject, old: KubeObject): FieldError[] =>
  deepEqual(binding.roleRef, old.roleRef) ? [] : [invalidValue("roleRef", binding.roleRef, "cannot change roleRef")];
