// A CustomResourceDefinition turned into the ResourceDefs the generic store serves:
// one per served version, with the version's schema for defaulting, pruning and
// validation, its subresources and its printer columns.
import { customColumnsTable } from "../printers/index.ts";
import { defineResource } from "../registry/define.ts";
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { applyDefaults } from "./defaults.ts";
import { pruneObject } from "./prune.ts";
import type { JSONSchemaProps } from "./schema.ts";
import { validateCustomObject } from "./validate.ts";

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: object;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: Array<{
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
    format?: string;
  }>;
}

export interface CrdSpec {
  group: string;
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  scope: "Namespaced" | "Cluster";
  versions: CrdVersion[];
}

export const CRD_KEY = "customresourcedefinitions.apiextensions.k8s.io";

export const crdSpecOf = (crd: KubeObject) => crd.spec as CrdSpec;

/** An established CRD serves its versions; one being deleted still serves reads and deletes. */
export function crdToResourceDefs(crd: KubeObject): ResourceDef[] {
  const spec = crdSpecOf(crd);
  return spec.versions
    .filter((version) => version.served)
    .map((version) => {
      const schema = version.schema?.openAPIV3Schema ?? {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
      };
      const shape = (obj: KubeObject) => {
        pruneObject(obj, schema);
        applyDefaults(obj, schema);
      };
      const def = defineResource({
        group: spec.group,
        version: version.name,
        resource: spec.names.plural,
        kind: spec.names.kind,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        listKind: spec.names.listKind ?? `${spec.names.kind}List`,
        namespaced: spec.scope !== "Cluster",
        shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [],
        subresources: [
          ...(version.subresources?.status ? (["status"] as const) : []),
          ...(version.subresources?.scale ? (["scale"] as const) : []),
        ],
        ...(version.subresources?.scale ? { scale: version.subresources.scale } : {}),
        strategy: {
          prepareForCreate: shape,
          prepareForUpdate: shape,
          validate: (obj) => validateCustomObject(obj, schema),
          validateStatusUpdate: (obj) => {
            shape(obj);
            return validateCustomObject(obj, schema);
          },
        },
        table: customColumnsTable(version.additionalPrinterColumns ?? []),
      });
      return { ...def, customSchema: schema as Record<string, unknown> };
    });
}
