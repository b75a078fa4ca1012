// Shared helpers for building Table columns and cells.
import type { LabelSelector } from "kubernetes-types/meta/v1";
import type { ColumnDefinition } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { formatAge } from "./age.ts";

type ColumnType = ColumnDefinition["type"];

/** A column definition; `priority` 1 means it only shows with `-o wide`. */
export const col = (
  name: string,
  type: ColumnType,
  description: string,
  priority = 0,
  format = "",
): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});

export const nameColumn = col("Name", "string", "Name of the object, unique within its namespace.", 0, "name");
export const ageColumn = col("Age", "string", "Time since the object was created.");
export const createdAtColumn = col("Created At", "date", "When the object was created.");

/** Views a stored object through a typed lens (fields stay optional). */
export const view = <T>(obj: KubeObject): T => obj as unknown as T;

export const ageOf = (obj: KubeObject, now: Date): string => formatAge(obj.metadata.creationTimestamp, now);

/** RFC3339 in UTC without fractional seconds, as the "Created At" column prints it. */
export function rfc3339(value: string | undefined): string {
  const t = value ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) return "0001-01-01T00:00:00Z";
  return new Date(t).toISOString().replace(/\.\d+Z$/, "Z");
}

export const createdAtOf = (obj: KubeObject): string => rfc3339(obj.metadata.creationTimestamp);

/** `s` itself, or `fallback` when empty or missing. */
export const orElse = (s: string | undefined | null, fallback: string): string => (s ? s : fallback);

/** "a=1,b=2" with keys sorted; "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/** The selector in label-query syntax ("app=web,tier in (a,b),!legacy"); "" when it selects everything or nothing. */
export function selectorString(selector: LabelSelector | undefined): string {
  if (!selector) return "";
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...new Set(expr.values ?? [])].sort().join(",");
    const text =
      expr.operator === "In"
        ? `${expr.key} in (${values})`
        : expr.operator === "NotIn"
          ? `${expr.key} notin (${values})`
          : expr.operator === "Exists"
            ? expr.key
            : expr.operator === "DoesNotExist"
              ? `!${expr.key}`
              : `${expr.key} ${expr.operator} (${values})`;
    reqs.push({ key: expr.key, text });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(",");
}

/** Like `selectorString` but "<none>" when empty. */
export const formatLabelSelector = (selector: LabelSelector | undefined): string =>
  orElse(selectorString(selector), "<none>");

/** Container names and images, each comma-joined. */
export function containerCells(containers: Array<{ name: string; image?: string }> | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(","), list.map((c) => c.image ?? "").join(",")];
}

/** Joins a capped list, appending " + N more..." when truncated; "<unset>" when empty. */
export function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const joined = list.join(",");
  if (more) return `${joined} + ${count - max} more...`;
  return joined === "" ? "<unset>" : joined;
}

/** "True"/"False", or "<unset>" for a missing optional boolean. */
export const boolPtr = (b: boolean | undefined): string => (b === undefined ? "<unset>" : b ? "True" : "False");

/** An int-or-string value as text. */
export const intOrString = (v: number | string | undefined): string => (v === undefined ? "" : String(v));

/** Finite number or 0. */
export const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** Lower-cased "kind.group/name" (group omitted for core), or just the name without a kind. */
export function resourceName(apiVersion: string | undefined, kind: string | undefined, name: string): string {
  if (!kind) return name;
  const slash = (apiVersion ?? "").indexOf("/");
  const group = slash >= 0 ? apiVersion!.slice(0, slash) : "";
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${name}`;
}

/** IP and port joined, IPv6 addresses bracketed. */
export const joinHostPort = (host: string, port: number | string): string =>
  host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;

/** The status of the first condition of `type`, if any. */
export function conditionStatus(conditions: Array<{ type: string; status: string }> | undefined, type: string) {
  return conditions?.find((c) => c.type === type)?.status;
}

/** Load-balancer ingress points (IP, else hostname), de-duplicated and sorted, comma-joined. */
export function loadBalancerAddresses(ingress: Array<{ ip?: string; hostname?: string }> | undefined): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    const addr = i.ip || i.hostname;
    if (addr) set.add(addr);
  }
  return [...set].sort().join(",");
}
