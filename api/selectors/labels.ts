// Label selectors: the `?labelSelector=` string syntax (equality- and set-based),
// the structured metav1.LabelSelector found in object specs, matching, and the
// canonical string form written to `status.selector` by scale subresources.
import { labelValue, qualifiedName } from "../validation/names.ts";
import { badRequest } from "../errors.ts";

export type LabelOperator = "Equals" | "NotEquals" | "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";

export interface Requirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and de-duplicated; empty for Exists/DoesNotExist, one integer for Gt/Lt. */
  values: string[];
}

/** All requirements must hold (AND). An empty selector matches everything. */
export type LabelSelector = Requirement[];

/** metav1.LabelSelector as it appears in JSON. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorExpression[] | null;
}

export interface LabelSelectorExpression {
  key: string;
  operator: string; // "In" | "NotIn" | "Exists" | "DoesNotExist" on the wire
  values?: string[] | null;
}

// Key and value validation: the same rules as object metadata (api/validation/names.ts).
export { qualifiedName as validateQualifiedName, labelValue as validateLabelValue } from "../validation/names.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Gt/Lt compare as 64-bit integers, as Kubernetes does; anything else is "not a number". */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** Why a requirement is invalid (Kubernetes' wording), or undefined when it is fine. */
function requirementProblem(key: string, operator: LabelOperator, values: readonly string[]): string | undefined {
  const keyErrors = qualifiedName(key);
  if (keyErrors.length > 0) return `key: Invalid value: ${JSON.stringify(key)}: ${keyErrors.join("; ")}`;
  const valuesText = `values: Invalid value: ${JSON.stringify(values)}`;
  switch (operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) return `${valuesText}: for 'in', 'notin' operators, values set can't be empty`;
      break;
    case "Equals":
    case "NotEquals":
      if (values.length !== 1) return `${valuesText}: exact-match compatibility requires one single value`;
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length !== 0) return `${valuesText}: values set must be empty for exists and does not exist`;
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) return `${valuesText}: for 'Gt', 'Lt' operators, exactly one value is required`;
      if (parseInt64(values[0]!) === undefined)
        return `values[0]: Invalid value: ${JSON.stringify(values[0])}: for 'Gt', 'Lt' operators, the value must be an integer`;
      break;
  }
  for (const [i, value] of values.entries()) {
    const errors = labelValue(value);
    if (errors.length > 0) return `values[${i}][${key}]: Invalid value: ${JSON.stringify(value)}: ${errors.join("; ")}`;
  }
  return undefined;
}

/** A validated requirement; `context` prefixes the 400 message when it is not. */
function newRequirement(key: string, operator: LabelOperator, values: readonly string[], context = ""): Requirement {
  const problem = requirementProblem(key, operator, values);
  if (problem !== undefined) throw badRequest(context + problem);
  return { key, operator, values: [...new Set(values)].sort() };
}

/** Canonical order (by key, stable) so the string form is deterministic. */
function sortByKey(selector: LabelSelector): LabelSelector {
  return [...selector].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---------------------------------------------------------------------------
// String syntax: lexer.

type TokenKind = "id" | "eos" | "," | "(" | ")" | "!" | "=" | "==" | "!=" | ">" | "<";

interface Token {
  kind: TokenKind;
  text: string;
}

const SPECIAL = new Set(["=", "!", "(", ")", ",", ">", "<"]);
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (true) {
    while (i < input.length && WHITESPACE.has(input[i]!)) i++;
    if (i >= input.length) break;
    const ch = input[i]!;
    if (SPECIAL.has(ch)) {
      // The only two-character symbols are "==" and "!=".
      const pair = input.slice(i, i + 2);
      const text = pair === "==" || pair === "!=" ? pair : ch;
      tokens.push({ kind: text as TokenKind, text });
      i += text.length;
      continue;
    }
    const start = i;
    while (i < input.length && !SPECIAL.has(input[i]!) && !WHITESPACE.has(input[i]!)) i++;
    // "in" and "notin" stay identifiers here: they are keywords only in operator position,
    // so `in=x` and `a in (notin)` still parse.
    tokens.push({ kind: "id", text: input.slice(start, i) });
  }
  tokens.push({ kind: "eos", text: "" });
  return tokens;
}

// ---------------------------------------------------------------------------
// String syntax: parser.

const BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

/** Parses `?labelSelector=`; malformed input is a 400 with a Kubernetes-style message. */
export function parseLabelSelector(input: string): LabelSelector {
  const tokens = lex(input);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[Math.min(pos++, tokens.length - 1)]!;
  const fail = (message: string): never => {
    throw badRequest(message);
  };

  const parseIdentifierList = (): string[] => {
    const values: string[] = [];
    while (true) {
      const tok = next();
      if (tok.kind === "id") {
        values.push(tok.text);
        const after = peek();
        if (after.kind === ")") return values;
        if (after.kind !== ",") fail(`found '${after.text}', expected: ',' or ')'`);
      } else if (tok.kind === ",") {
        // A comma with nothing before or after it stands for the empty value: "(,a)", "(a,)", "(a,,b)".
        if (values.length === 0) values.push("");
        const after = peek();
        if (after.kind === ")") {
          values.push("");
          return values;
        }
        if (after.kind === ",") {
          next();
          values.push("");
        }
      } else {
        fail(`found '${tok.text}', expected: ',', or identifier`);
      }
    }
  };

  const parseSetValues = (): string[] => {
    const open = next();
    if (open.kind !== "(") fail(`found '${open.text}', expected: '('`);
    const first = peek();
    if (first.kind === ")") {
      next();
      return [];
    }
    if (first.kind !== "id" && first.kind !== ",") fail(`found '${first.text}', expected: ',', ')' or identifier`);
    const values = parseIdentifierList();
    const close = next();
    if (close.kind !== ")") fail(`found '${close.text}', expected: ')'`);
    return values;
  };

  const parseExactValue = (): string[] => {
    const tok = peek();
    if (tok.kind === "eos" || tok.kind === ",") return [""]; // `a=` selects the empty value
    next();
    if (tok.kind !== "id") fail(`found '${tok.text}', expected: identifier`);
    return [tok.text];
  };

  const parseRequirement = (): Requirement => {
    let tok = next();
    const negated = tok.kind === "!";
    if (negated) tok = next();
    if (tok.kind !== "id") fail(`found '${tok.text}', expected: identifier`);
    const key = tok.text;
    const build = (operator: LabelOperator, values: string[]): Requirement =>
      newRequirement(key, operator, values, "unable to parse requirement: ");
    if (negated) return build("DoesNotExist", []);
    const after = peek();
    if (after.kind === "eos" || after.kind === ",") return build("Exists", []);

    const op = next();
    if (op.kind === "id" && op.text === "in") return build("In", parseSetValues());
    if (op.kind === "id" && op.text === "notin") return build("NotIn", parseSetValues());
    if (op.kind === "=" || op.kind === "==") return build("Equals", parseExactValue());
    if (op.kind === "!=") return build("NotEquals", parseExactValue());
    if (op.kind === ">") return build("Gt", parseExactValue());
    if (op.kind === "<") return build("Lt", parseExactValue());
    return fail(`found '${op.text}', expected: ${BINARY_OPERATORS}`);
  };

  const requirements: Requirement[] = [];
  while (true) {
    const tok = peek();
    if (tok.kind === "eos") break;
    if (tok.kind !== "id" && tok.kind !== "!") fail(`found '${tok.text}', expected: !, identifier, or 'end of string'`);
    requirements.push(parseRequirement());
    const sep = next();
    if (sep.kind === "eos") break;
    if (sep.kind !== ",") fail(`found '${sep.text}', expected: ',' or 'end of string'`);
    const following = peek();
    if (following.kind !== "id" && following.kind !== "!")
      fail(`found '${following.text}', expected: identifier after ','`);
  }
  return sortByKey(requirements);
}

// ---------------------------------------------------------------------------
// Structured selectors (metav1.LabelSelector).

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: "In",
  NotIn: "NotIn",
  Exists: "Exists",
  DoesNotExist: "DoesNotExist",
};

/**
 * Converts a metav1.LabelSelector. An absent (null/undefined) selector selects
 * nothing and yields `null`; an empty `{}` selects everything and yields `[]`.
 * Invalid keys, values or operators are a 400.
 */
export function labelSelectorFromObject(obj: LabelSelectorObject | null | undefined): LabelSelector | null {
  if (obj === null || obj === undefined) return null;
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(obj.matchLabels ?? {})) {
    // Objects arrive as untyped JSON; a non-string label value would otherwise slip through the regex.
    if (typeof value !== "string") throw badRequest(`matchLabels[${key}]: Invalid value: must be a string`);
    requirements.push(newRequirement(key, "Equals", [value]));
  }
  for (const expr of obj.matchExpressions ?? []) {
    const operator = Object.hasOwn(EXPRESSION_OPERATORS, expr.operator)
      ? EXPRESSION_OPERATORS[expr.operator]
      : undefined;
    if (!operator) throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    const values = expr.values ?? [];
    if (!Array.isArray(values) || values.some((v) => typeof v !== "string"))
      throw badRequest(`matchExpressions[${expr.key}].values: Invalid value: must be a list of strings`);
    requirements.push(newRequirement(expr.key, operator, values));
  }
  return sortByKey(requirements);
}

// ---------------------------------------------------------------------------
// Matching.

function matchesRequirement(req: Requirement, labels: Record<string, string>): boolean {
  const present = Object.hasOwn(labels, req.key);
  const value = present ? labels[req.key]! : undefined;
  switch (req.operator) {
    case "Equals":
    case "In":
      return present && req.values.includes(value!);
    case "NotEquals":
    case "NotIn":
      // Negative set operators also select objects that lack the label entirely.
      return !present || !req.values.includes(value!);
    case "Exists":
      return present;
    case "DoesNotExist":
      return !present;
    case "Gt":
    case "Lt": {
      if (!present) return false;
      const actual = parseInt64(value!);
      const bound = parseInt64(req.values[0]!);
      if (actual === undefined || bound === undefined) return false;
      return req.operator === "Gt" ? actual > bound : actual < bound;
    }
  }
}

/** True when every requirement holds. A `null` selector (from an absent metav1.LabelSelector) matches nothing. */
export function matchesLabels(selector: LabelSelector | null, labels: Record<string, string> | undefined): boolean {
  if (selector === null) return false;
  const actual = labels ?? {};
  return selector.every((req) => matchesRequirement(req, actual));
}

// ---------------------------------------------------------------------------
// String form.

function formatRequirement(req: Requirement): string {
  switch (req.operator) {
    case "Equals":
      return `${req.key}=${req.values[0]}`;
    case "NotEquals":
      return `${req.key}!=${req.values[0]}`;
    case "In":
      return `${req.key} in (${req.values.join(",")})`;
    case "NotIn":
      return `${req.key} notin (${req.values.join(",")})`;
    case "Exists":
      return req.key;
    case "DoesNotExist":
      return `!${req.key}`;
    case "Gt":
      return `${req.key}>${req.values[0]}`;
    case "Lt":
      return `${req.key}<${req.values[0]}`;
  }
}

/** The canonical string of a parsed selector; parses back to the same requirements. */
export function formatLabelSelector(selector: LabelSelector | null): string {
  if (selector === null) return "";
  return sortByKey(selector).map(formatRequirement).join(",");
}

/** The `status.selector` string for a metav1.LabelSelector, e.g. "app=web,tier in (a,b)". */
export function labelSelectorToString(obj: LabelSelectorObject | null | undefined): string {
  return formatLabelSelector(labelSelectorFromObject(obj));
}
