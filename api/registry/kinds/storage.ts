// storage.k8s.io/v1 resources.
import type { KubeObject } from "../../types.ts";
import { validateStorageClass, validateStorageClassUpdate } from "../../validation/storage.ts";
import { setDefaultString } from "../defaults/set.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

function defaultStorageClass(sc: KubeObject): void {
  setDefaultString(sc, "reclaimPolicy", "Delete");
  setDefaultString(sc, "volumeBindingMode", "Immediate");
}

const storageclasses = defineResource({
  group: "storage.k8s.io",
  version: "v1",
  resource: "storageclasses",
  kind: "StorageClass",
  namespaced: false,
  shortNames: ["sc"],
  strategy: {
    prepareForCreate: defaultStorageClass,
    prepareForUpdate: defaultStorageClass,
    validate: validateStorageClass,
    validateUpdate: validateStorageClassUpdate,
  },
});

export const storageResources: ResourceDef[] = [storageclasses];
