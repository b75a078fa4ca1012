// Tables for custom resources from a CRD version's additionalPrinterColumns.
import type { ColumnDefinition, TableConvertor } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { formatAge, parseTime } from "./age.ts";
import { col, nameColumn } from "./format.ts";
import { evaluate, parse } from "./jsonpath.ts";

export interface CustomColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

const COLUMN_TYPES: ReadonlyArray<ColumnDefinition["type"]> = ["string", "integer", "number", "boolean", "date"];

/** Text of a value as a string column shows it. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The cell for one JSON value under a column type; null when the value does not fit the type. */
export function cellFor(type: ColumnDefinition["type"], value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case "string":
      return text(value);
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date":
      if (typeof value !== "string") return null;
      return parseTime(value) === undefined ? "<invalid>" : formatAge(value, now);
  }
}

/**
 * A Table convertor for custom resources: NAME first (unless a column is already called Name), then the
 * given columns; with no columns at all, NAME and AGE (from metadata.creationTimestamp), as for CRDs.
 */
export function customColumnsTable(columns: CustomColumn[]): TableConvertor {
  const given =
    columns.length > 0
      ? columns
      : [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." }];
  const hasName = given.some((c) => c.name.toLowerCase() === "name");
  const defs = given.map((c) => {
    const type = COLUMN_TYPES.find((t) => t === c.type) ?? "string";
    return {
      def: col(c.name, type, c.description ?? "", c.priority ?? 0, c.format ?? ""),
      path: safeParse(c.jsonPath),
    };
  });
  return {
    columns: [...(hasName ? [] : [nameColumn]), ...defs.map((d) => d.def)],
    cells(obj: KubeObject, now: Date) {
      const cells = defs.map(({ def, path }) => {
        if (!path) return null;
        const found = evaluate(path, obj);
        return found.length === 0 ? null : cellFor(def.type, found[0], now);
      });
      return hasName ? cells : [obj.metadata.name, ...cells];
    },
  };
}

function safeParse(path: string) {
  try {
    return parse(path);
  } catch {
    return undefined;
  }
}
