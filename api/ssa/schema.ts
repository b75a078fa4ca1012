// How server-side apply sees each field, derived from the strategic-merge metadata
// (../patch/smp-schema): as Kubernetes does when a field has no `x-kubernetes-list-type`, a list
// with patch strategy `merge` and a merge key is an associative list keyed by it, a `merge` list of
// scalars is a set, every other list is atomic; maps are granular unless their patch strategy is
// `replace`. A few fields whose list-map keys or map type differ from their patch tags are listed
// here by type name.
import { SMP_TYPES, fieldOf, schemaForKind, type Schema } from "../patch/smp-schema/index.ts";

export type { Schema };

export interface FieldShape {
  /** Metadata of the value (of each item, for a list). */
  schema: Schema;
  /** How a list value is merged and owned. */
  list: "atomic" | "set" | "map";
  /** Key fields of an associative list. */
  keys: readonly string[];
  /** Values key fields take when an item omits them (the API defaults). */
  keyDefaults: Readonly<Record<string, unknown>>;
  /** A map (or struct) owned and replaced as a whole. */
  atomic: boolean;
}

const NO_DEFAULTS: Readonly<Record<string, unknown>> = {};
const PROTOCOL_DEFAULT = { protocol: "TCP" };

/** The shape of a map with metadata `schema`: granular. Also the shape of an object root and of list items. */
export const mapShape = (schema: Schema): FieldShape => ({
  schema,
  list: "atomic",
  keys: [],
  keyDefaults: NO_DEFAULTS,
  atomic: false,
});

interface Override {
  keys?: readonly string[];
  keyDefaults?: Readonly<Record<string, unknown>>;
  atomic?: boolean;
}

/** Type name → field → what the OpenAPI markers say where they differ from the patch tags. */
const OVERRIDES: Record<string, Record<string, Override>> = {
  Container: { ports: { keys: ["containerPort", "protocol"], keyDefaults: PROTOCOL_DEFAULT } },
  ServiceSpec: {
    ports: { keys: ["port", "protocol"], keyDefaults: PROTOCOL_DEFAULT },
    selector: { atomic: true },
  },
  PodSpec: {
    topologySpreadConstraints: { keys: ["topologyKey", "whenUnsatisfiable"] },
    nodeSelector: { atomic: true },
  },
  // LabelSelector is an atomic struct; ReplicationController's selector an atomic map.
  DeploymentSpec: { selector: { atomic: true } },
  TemplatedSpec: { selector: { atomic: true } },
};

let overridesByType: Map<object, Record<string, Override>> | undefined;

function overrideOf(parent: Schema, key: string): Override | undefined {
  if (parent === undefined) return undefined;
  overridesByType ??= new Map(
    Object.entries(OVERRIDES).flatMap(([name, fields]) =>
      Object.hasOwn(SMP_TYPES, name) ? [[SMP_TYPES[name] as object, fields] as const] : [],
    ),
  );
  const fields = overridesByType.get(parent);
  return fields && Object.hasOwn(fields, key) ? fields[key] : undefined;
}

/** The shape of field `key` of a map whose metadata is `parent`. */
export function fieldShape(parent: Schema, key: string): FieldShape {
  const { meta, schema } = fieldOf(parent, key);
  const override = overrideOf(parent, key);
  const mergeKey = meta.strategy === "merge" ? meta.mergeKey : undefined;
  const list = meta.strategy !== "merge" ? "atomic" : mergeKey !== undefined ? "map" : "set";
  return {
    schema,
    list,
    keys: list === "map" ? (override?.keys ?? [mergeKey!]) : [],
    keyDefaults: override?.keyDefaults ?? NO_DEFAULTS,
    atomic: meta.strategy === "replace" || override?.atomic === true,
  };
}

/** The shape of a whole object of a kind; kinds without metadata (custom resources) are all granular maps and atomic lists. */
export const rootShape = (apiVersion: string, kind: string): FieldShape => mapShape(schemaForKind(apiVersion, kind));
