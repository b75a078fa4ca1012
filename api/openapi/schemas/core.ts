// The core ("") group, version v1.
import { coreTypes } from "./core-other.ts";
import { podTypes } from "./core-pod.ts";
import type { SchemaModule } from "./dsl.ts";

export const core: SchemaModule = { pkg: "io.k8s.api.core.v1", types: { ...podTypes, ...coreTypes } };
