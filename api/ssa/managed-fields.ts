// metadata.managedFields ⇄ a list of manager entries. An entry is identified by its manager,
// operation and subresource, plus its apiVersion for Update entries (an applier keeps one entry
// whatever version it applies with). Entries are stored sorted as Kubernetes sorts them: Apply
// before Update, then by time, manager, apiVersion and subresource.
import type { FieldError } from "../errors.ts";
import { isObject } from "../types.ts";
import { fromFieldsV1, isEmpty, toFieldsV1, union, type FieldSet } from "./fieldset.ts";

export interface ManagerEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource: string;
  /** RFC 3339, second precision; absent when the entry never changed the object. */
  time?: string;
  fieldsType?: string;
  fields: FieldSet;
}

export const isApply = (entry: Pick<ManagerEntry, "operation">) => entry.operation === "Apply";

export function identityOf(entry: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">): string {
  return JSON.stringify([entry.manager, entry.operation, isApply(entry) ? "" : entry.apiVersion, entry.subresource]);
}

const stringField = (entry: Record<string, unknown>, name: string): string => {
  const value = entry[name];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new Error(`managedFields ${name} must be a string`);
  return value;
};

/** Parses stored (or client-sent) managedFields; throws an Error when they are malformed. */
export function decodeManagedFields(list: unknown): ManagerEntry[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error("managedFields must be a list");
  const seen = new Set<string>();
  return list.map((raw) => {
    if (!isObject(raw)) throw new Error("a managedFields entry must be an object");
    const entry: ManagerEntry = {
      manager: stringField(raw, "manager"),
      operation: stringField(raw, "operation"),
      apiVersion: stringField(raw, "apiVersion"),
      subresource: stringField(raw, "subresource"),
      fields: raw.fieldsV1 === undefined || raw.fieldsV1 === null ? fromFieldsV1({}) : fromFieldsV1(raw.fieldsV1),
    };
    const time = stringField(raw, "time");
    if (time !== "") entry.time = time;
    const fieldsType = stringField(raw, "fieldsType");
    if (fieldsType !== "") entry.fieldsType = fieldsType;
    const id = identityOf(entry);
    if (seen.has(id)) throw new Error(`duplicate managedFields entry for manager ${JSON.stringify(entry.manager)}`);
    seen.add(id);
    return entry;
  });
}

const seconds = (time: string | undefined) => {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
};

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareEntries(a: ManagerEntry, b: ManagerEntry): number {
  return (
    byText(a.operation, b.operation) ||
    seconds(a.time) - seconds(b.time) ||
    byText(a.manager, b.manager) ||
    byText(a.apiVersion, b.apiVersion) ||
    byText(a.subresource, b.subresource)
  );
}

/** The entries that are stored, in their stored order: those owning nothing are dropped. */
export const storedEntries = (entries: readonly ManagerEntry[]): ManagerEntry[] =>
  entries.filter((entry) => !isEmpty(entry.fields)).sort(compareEntries);

/** The managedFields to store; undefined when no entry is left. */
export function encodeManagedFields(entries: readonly ManagerEntry[]): unknown[] | undefined {
  const kept = storedEntries(entries);
  if (kept.length === 0) return undefined;
  return kept.map((entry) => {
    const out: Record<string, unknown> = { manager: entry.manager, operation: entry.operation };
    out.apiVersion = entry.apiVersion;
    if (entry.time !== undefined) out.time = entry.time;
    out.fieldsType = entry.fieldsType ?? "FieldsV1";
    out.fieldsV1 = toFieldsV1(entry.fields);
    if (entry.subresource !== "") out.subresource = entry.subresource;
    return out;
  });
}

/** ObjectMeta validation of the entries that will be stored. */
export function validateManagedFields(entries: readonly ManagerEntry[]): FieldError[] {
  const errors: FieldError[] = [];
  storedEntries(entries).forEach((entry, i) => {
    const at = `metadata.managedFields[${i}]`;
    if (entry.operation !== "Apply" && entry.operation !== "Update") {
      errors.push({
        field: `${at}.operation`,
        type: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(entry.operation)}: must be \`Apply\` or \`Update\``,
      });
    }
    if (entry.fieldsType !== undefined && entry.fieldsType !== "FieldsV1") {
      errors.push({
        field: `${at}.fieldsType`,
        type: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(entry.fieldsType)}: must be \`FieldsV1\``,
      });
    }
  });
  return errors;
}

/** Kubernetes keeps at most this many Update entries; older ones merge into one per apiVersion. */
export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES = "ancient-changes";

export function capUpdateManagers(entries: ManagerEntry[]): ManagerEntry[] {
  const updaters = entries.filter((entry) => !isApply(entry) && !isEmpty(entry.fields));
  if (updaters.length <= MAX_UPDATE_MANAGERS) return entries;
  updaters.sort((a, b) => seconds(a.time) - seconds(b.time) || byText(a.manager, b.manager));
  const out = entries.filter((entry) => isApply(entry) || isEmpty(entry.fields));
  const buckets = new Map<string, ManagerEntry>();
  let count = updaters.length;
  let i = 0;
  for (; i < updaters.length && count > MAX_UPDATE_MANAGERS; i++) {
    const entry = updaters[i];
    const bucket = buckets.get(entry.apiVersion);
    if (bucket) {
      bucket.fields = union(bucket.fields, entry.fields);
      bucket.time = entry.time ?? bucket.time;
      count--;
    } else {
      buckets.set(entry.apiVersion, { ...entry, manager: ANCIENT_CHANGES, subresource: "" });
    }
  }
  const rest: ManagerEntry[] = [];
  for (const entry of updaters.slice(i)) {
    const bucket = entry.manager === ANCIENT_CHANGES && !entry.subresource ? buckets.get(entry.apiVersion) : undefined;
    if (!bucket) rest.push(entry);
    else {
      bucket.fields = union(bucket.fields, entry.fields);
      bucket.time = entry.time ?? bucket.time;
    }
  }
  return [...out, ...buckets.values(), ...rest];
}
