// apiextensions.k8s.io/v1 CustomResourceDefinitions.
import type { FieldError } from "../../errors.ts";
import type { CrdSpec } from "../../crd/resource-defs.ts";
import type { KubeObject } from "../../types.ts";
import { dns1123Label, dns1123Subdomain } from "../../validation/names.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

export const CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

const required = (field: string): FieldError => ({ field, type: "FieldValueRequired", message: "Required value" });
const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  field,
  type: "FieldValueInvalid",
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
});

function validateCrd(crd: KubeObject): FieldError[] {
  const spec = (crd.spec ?? {}) as Partial<CrdSpec>;
  const errors: FieldError[] = [];
  if (!spec.group) errors.push(required("spec.group"));
  else if (dns1123Subdomain(spec.group).length > 0 || !spec.group.includes(".")) {
    errors.push(invalidValue("spec.group", spec.group, "should be a domain with at least one dot"));
  }
  const names = spec.names;
  if (!names?.plural) errors.push(required("spec.names.plural"));
  else if (dns1123Label(names.plural).length > 0)
    errors.push(invalidValue("spec.names.plural", names.plural, "a lowercase RFC 1123 label"));
  if (!names?.kind) errors.push(required("spec.names.kind"));
  if (names?.plural && spec.group && crd.metadata.name !== `${names.plural}.${spec.group}`) {
    errors.push(invalidValue("metadata.name", crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    errors.push({
      field: "spec.scope",
      type: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(spec.scope ?? "")}: supported values: "Cluster", "Namespaced"`,
    });
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) errors.push(required("spec.versions"));
  if (versions.filter((v) => v.storage).length !== 1) {
    errors.push(
      invalidValue(
        "spec.versions",
        versions.map((v) => v.name),
        "must have exactly one version marked as storage version",
      ),
    );
  }
  versions.forEach((version, i) => {
    if (!version.name) errors.push(required(`spec.versions[${i}].name`));
    if (!version.schema?.openAPIV3Schema)
      errors.push({
        ...required(`spec.versions[${i}].schema.openAPIV3Schema`),
        message: "Required value: schemas are required",
      });
  });
  return errors;
}

function validateCrdUpdate(crd: KubeObject, old: KubeObject): FieldError[] {
  const spec = crd.spec as Partial<CrdSpec>;
  const before = old.spec as Partial<CrdSpec>;
  const errors: FieldError[] = [];
  if (spec.scope !== before.scope)
    errors.push({
      field: "spec.scope",
      type: "FieldValueInvalid",
      message: `Invalid value: ${JSON.stringify(spec.scope)}: field is immutable`,
    });
  if (spec.group !== before.group)
    errors.push({
      field: "spec.group",
      type: "FieldValueInvalid",
      message: `Invalid value: ${JSON.stringify(spec.group)}: field is immutable`,
    });
  return errors;
}

const crds = defineResource({
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  subresources: ["status"],
  strategy: {
    prepareForCreate(crd) {
      // Deleting a CRD first removes every object of it (the cleanup controller), then the CRD.
      const finalizers = new Set(crd.metadata.finalizers ?? []);
      finalizers.add(CRD_CLEANUP_FINALIZER);
      crd.metadata.finalizers = [...finalizers];
    },
    validate: validateCrd,
    validateUpdate: validateCrdUpdate,
  },
});

export const apiextensionsResources: ResourceDef[] = [crds];
