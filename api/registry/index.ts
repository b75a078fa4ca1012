// The built-in resources Flotilla serves, and lookups over them.
import { printers } from "../printers/index.ts";
import { resourceKey } from "./define.ts";
import { apiextensionsResources } from "./kinds/apiextensions.ts";
import { appsResources } from "./kinds/apps.ts";
import { autoscalingResources } from "./kinds/autoscaling.ts";
import { batchResources } from "./kinds/batch.ts";
import { coordinationResources } from "./kinds/coordination.ts";
import { coreResources } from "./kinds/core.ts";
import { discoveryResources } from "./kinds/discovery.ts";
import { eventsResources } from "./kinds/events.ts";
import { karmadaResources } from "./kinds/karmada.ts";
import { networkingResources } from "./kinds/networking.ts";
import { policyResources } from "./kinds/policy.ts";
import { rbacResources } from "./kinds/rbac.ts";
import { schedulingResources } from "./kinds/scheduling.ts";
import { storageResources } from "./kinds/storage.ts";
import type { ResourceDef } from "./types.ts";

export { resourceKey } from "./define.ts";

/** Kinds with a printer get kubectl's usual columns; the rest show NAME and AGE. */
const withPrinter = (def: ResourceDef): ResourceDef => ({ ...def, table: printers[resourceKey(def)] ?? def.table });

export const builtinResources: ResourceDef[] = [
  ...coreResources,
  ...appsResources,
  ...batchResources,
  ...coordinationResources,
  ...discoveryResources,
  ...eventsResources,
  ...rbacResources,
  ...policyResources,
  ...networkingResources,
  ...autoscalingResources,
  ...schedulingResources,
  ...storageResources,
  ...apiextensionsResources,
  ...karmadaResources,
].map(withPrinter);

const byKey = new Map(builtinResources.map((def) => [resourceKey(def), def]));
const byGroupVersionResource = new Map(
  builtinResources.map((def) => [`${def.group}/${def.version}/${def.resource}`, def]),
);
const byGroupKind = new Map(builtinResources.map((def) => [`${def.group}/${def.kind}`, def]));

export const findResource = (group: string, version: string, resource: string): ResourceDef | undefined =>
  byGroupVersionResource.get(`${group}/${version}/${resource}`);

/** `group` "" is the core group. */
export const findByKind = (group: string, kind: string): ResourceDef | undefined => byGroupKind.get(`${group}/${kind}`);

/** By resourceKey ("pods", "deployments.apps"), as stores record resources. */
export const findByKey = (key: string): ResourceDef | undefined => byKey.get(key);
