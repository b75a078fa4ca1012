// Path elements of a field set, spelled as FieldsV1 spells them, and the dotted form Kubernetes
// prints in conflict messages (`.spec.template.spec.containers[name="web"].image`).
//
//   f:<name>          a field of a map or struct
//   k:<json object>   an item of an associative list, by its key fields (sorted by name)
//   v:<json scalar>   an item of a set (a list of unique scalars)
//   i:<index>         an item of a list by position (only read from stored managedFields)

export type PathElement = string;
export type Path = readonly PathElement[];

export const fieldElement = (name: string): PathElement => "f:" + name;

export const valueElement = (value: unknown): PathElement => "v:" + JSON.stringify(value);

/** `k:` element of an associative-list item; `key` holds its key fields' values. */
export function keyElement(key: Record<string, unknown>): PathElement {
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(key).sort()) sorted[name] = key[name];
  return "k:" + JSON.stringify(sorted);
}

const isScalar = (value: unknown) =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** Whether `element` is a well-formed path element (used when decoding stored FieldsV1). */
export function isValidElement(element: string): boolean {
  const prefix = element.slice(0, 2);
  const body = element.slice(2);
  if (prefix === "f:") return body.length > 0;
  if (prefix === "i:") return /^\d+$/.test(body);
  if (prefix !== "k:" && prefix !== "v:") return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (prefix === "v:") return isScalar(parsed);
  return (
    typeof parsed === "object" &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed as Record<string, unknown>).every(isScalar)
  );
}

const KIND_ORDER: Record<string, number> = { "f:": 0, "k:": 1, "v:": 2, "i:": 3 };

/** The order of elements in a set: fields first (by name), then keys, values, indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  const ka = KIND_ORDER[a.slice(0, 2)] ?? 4;
  const kb = KIND_ORDER[b.slice(0, 2)] ?? 4;
  if (ka !== kb) return ka - kb;
  if (ka === 3) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A scalar as Kubernetes prints it in a path: strings quoted, numbers and booleans bare. */
const renderScalar = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : String(value));

function renderElement(element: PathElement): string {
  const body = element.slice(2);
  switch (element.slice(0, 2)) {
    case "f:":
      return "." + body;
    case "k:": {
      const key = JSON.parse(body) as Record<string, unknown>;
      return (
        "[" +
        Object.entries(key)
          .map(([name, value]) => `${name}=${renderScalar(value)}`)
          .join(",") +
        "]"
      );
    }
    case "v:":
      return "[=" + renderScalar(JSON.parse(body)) + "]";
    default:
      return "[" + body + "]";
  }
}

/** `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`. */
export const renderPath = (path: Path): string => path.map(renderElement).join("");
