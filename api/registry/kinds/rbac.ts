// rbac.authorization.k8s.io/v1 resources. RBAC names are path segments, so
// "system:controller:foo" style names are allowed.
import type { KubeObject } from "../../types.ts";
import { nameIsPathSegment } from "../../validation/names.ts";
import {
  RBAC_GROUP,
  validateBindingUpdate,
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from "../../validation/rbac.ts";
import { isRecord } from "../../validation/shape.ts";
import { objectsIn, setDefaultString } from "../defaults/set.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const rbac = { group: RBAC_GROUP, version: "v1", nameRule: nameIsPathSegment };

/** roleRef and User/Group subjects belong to the RBAC group unless said otherwise. */
function defaultBinding(binding: KubeObject): void {
  if (isRecord(binding.roleRef)) setDefaultString(binding.roleRef, "apiGroup", RBAC_GROUP);
  for (const subject of objectsIn(binding, "subjects")) {
    if (subject.kind === "User" || subject.kind === "Group") setDefaultString(subject, "apiGroup", RBAC_GROUP);
  }
}

const bindingStrategy = (validate: (obj: KubeObject) => ReturnType<typeof validateRoleBinding>) => ({
  prepareForCreate: defaultBinding,
  prepareForUpdate: defaultBinding,
  validate,
  validateUpdate: validateBindingUpdate,
});

const roles = defineResource({ ...rbac, resource: "roles", kind: "Role", strategy: { validate: validateRole } });

const rolebindings = defineResource({
  ...rbac,
  resource: "rolebindings",
  kind: "RoleBinding",
  strategy: bindingStrategy(validateRoleBinding),
});

const clusterroles = defineResource({
  ...rbac,
  resource: "clusterroles",
  kind: "ClusterRole",
  namespaced: false,
  strategy: { validate: validateClusterRole },
});

const clusterrolebindings = defineResource({
  ...rbac,
  resource: "clusterrolebindings",
  kind: "ClusterRoleBinding",
  namespaced: false,
  strategy: bindingStrategy(validateClusterRoleBinding),
});

export const rbacResources: ResourceDef[] = [roles, rolebindings, clusterroles, clusterrolebindings];
