// A small JSONPath evaluator for CRD additionalPrinterColumns:
// `.a.b`, `.a[0].b`, `.a[-1]`, `.a[*].b`, `.a['x.y']`, `.a\.b`, `.*`, and filters such as
// `.a[?(@.type=="Ready")].status` (==, !=, <, <=, >, >=, or bare `@.field` for existence).

export type Step =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "filter"; path: Step[]; op?: string; value?: unknown };

export class JSONPathError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === "true" || t === "false") return t === "true";
  if (t === "null") return null;
  const n = Number(t);
  if (t !== "" && !Number.isNaN(n)) return n;
  throw new JSONPathError(`unsupported literal ${t}`);
}

function parseFilter(body: string): Step {
  const m = /^\s*@((?:\.[^\s=!<>]+)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/.exec(body);
  if (!m) throw new JSONPathError(`unsupported filter ${body}`);
  const path = m[1] ? parse(m[1]) : [];
  return m[2] ? { kind: "filter", path, op: m[2], value: parseLiteral(m[3]!) } : { kind: "filter", path };
}

/** Index of the `]` closing the bracket opened at `start`, skipping quoted text and nested parentheses. */
function closingBracket(src: string, start: number): number {
  let quote = "";
  let depth = 0;
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "]" && depth === 0) return i;
  }
  throw new JSONPathError("unterminated [");
}

/** Parses a path like `.status.conditions[?(@.type=="Ready")].status`; surrounding `{}` are allowed. */
export function parse(path: string): Step[] {
  let src = path.trim();
  if (src.startsWith("{") && src.endsWith("}")) src = src.slice(1, -1).trim();
  if (src.startsWith("$")) src = src.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ".") {
      if (src[i + 1] === ".") throw new JSONPathError("recursive descent is not supported");
      i++;
      let name = "";
      while (i < src.length && src[i] !== "." && src[i] !== "[") {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        name += src[i];
        i++;
      }
      if (name === "*") steps.push({ kind: "wildcard" });
      else if (name !== "") steps.push({ kind: "field", name });
    } else if (c === "[") {
      const end = closingBracket(src, i);
      const body = src.slice(i + 1, end).trim();
      i = end + 1;
      if (body === "*") steps.push({ kind: "wildcard" });
      else if (/^-?\d+$/.test(body)) steps.push({ kind: "index", index: Number(body) });
      else if (/^(['"]).*\1$/.test(body)) steps.push({ kind: "field", name: body.slice(1, -1) });
      else if (body.startsWith("?(") && body.endsWith(")")) steps.push(parseFilter(body.slice(2, -1)));
      else throw new JSONPathError(`unsupported subscript [${body}]`);
    } else {
      throw new JSONPathError(`unexpected ${c} in ${path}`);
    }
  }
  return steps;
}

function compare(left: unknown, op: string, right: unknown): boolean {
  if (op === "==") return left === right;
  if (op === "!=") return left !== right;
  if (typeof left === "number" && typeof right === "number") {
    return op === "<" ? left < right : op === "<=" ? left <= right : op === ">" ? left > right : left >= right;
  }
  return false;
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case "field":
      return isRecord(value) && step.name in value ? [value[step.name]] : [];
    case "index": {
      if (!Array.isArray(value)) return [];
      const i = step.index < 0 ? value.length + step.index : step.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case "wildcard":
      return Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
    case "filter": {
      if (!Array.isArray(value)) return [];
      return value.filter((item) => {
        const found = evaluate(step.path, item);
        if (!step.op) return found.length > 0;
        return found.length > 0 && compare(found[0], step.op, step.value);
      });
    }
  }
}

/** All values the path selects in `data`, in document order. */
export function evaluate(steps: Step[], data: unknown): unknown[] {
  let current: unknown[] = [data];
  for (const step of steps) current = current.flatMap((v) => apply(step, v));
  return current;
}
