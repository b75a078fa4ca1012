// Field selectors (`?fieldSelector=`): comma-separated `field=value`, `field==value`
// or `field!=value` terms, all of which must hold. Values may escape `\`, `,` and `=`
// with a backslash. Which fields a resource supports is decided by its caller.
import { badRequest } from "../errors.ts";

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** Splits on commas that are not escaped; escapes stay in place for the term parser. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] === "\\") i++;
    else if (input[i] === ",") {
      terms.push(input.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(input.slice(start));
  return terms;
}

/** The first unescaped operator; "!=" and "==" win over "=" at the same position. */
function splitTerm(term: string): { lhs: string; op: "=" | "!="; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === "\\") {
      i++;
      continue;
    }
    const two = term.slice(i, i + 2);
    if (two === "!=") return { lhs: term.slice(0, i), op: "!=", rhs: term.slice(i + 2) };
    if (two === "==") return { lhs: term.slice(0, i), op: "=", rhs: term.slice(i + 2) };
    if (term[i] === "=") return { lhs: term.slice(0, i), op: "=", rhs: term.slice(i + 1) };
  }
  return undefined;
}

function unescapeValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\") {
      const escaped = value[i + 1];
      if (escaped !== "\\" && escaped !== "," && escaped !== "=")
        throw badRequest(`invalid field selector: invalid escape sequence: \\${escaped ?? ""}`);
      out += escaped;
      i++;
    } else if (ch === "," || ch === "=") {
      throw badRequest(`invalid field selector: unescaped character '${ch}' in value ${JSON.stringify(value)}`);
    } else {
      out += ch;
    }
  }
  return out;
}

/** Parses `?fieldSelector=`; "" selects everything. Malformed input is a 400. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === "") continue;
    const parts = splitTerm(term);
    // Field names never contain spaces, so tolerate them around the name; values stay verbatim.
    const field = parts?.lhs.trim();
    if (!parts || !field) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    requirements.push({ field, op: parts.op, value: unescapeValue(parts.rhs) });
  }
  return requirements;
}

/** True when every requirement holds; a field the object lacks reads as "". */
export function matchesFields(
  requirements: FieldRequirement[],
  getField: (field: string) => string | undefined,
): boolean {
  return requirements.every((req) => {
    const actual = getField(req.field) ?? "";
    return req.op === "=" ? actual === req.value : actual !== req.value;
  });
}

/** Rejects selectors on fields the resource cannot filter by, as kube-apiserver does (400). */
export function checkFieldsSupported(requirements: FieldRequirement[], supported: ReadonlySet<string>): void {
  for (const req of requirements) {
    if (!supported.has(req.field)) throw badRequest(`field label not supported: ${req.field}`);
  }
}

const escapeValue = (value: string) => value.replace(/[\\,=]/g, (ch) => `\\${ch}`);

/** The string form of a parsed selector; parses back to the same requirements. */
export function formatFieldSelector(requirements: FieldRequirement[]): string {
  return requirements.map((req) => `${req.field}${req.op}${escapeValue(req.value)}`).join(",");
}
