// Node selection: spec.nodeSelector and node affinity's nodeSelectorTerms
// (terms are ORed; a term's expressions and fields are ANDed; an empty term matches nothing).
import { asArray, asString, isRecord } from "../validation/shape.ts";
import type { NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from "./types.ts";

const parseRequirements = (value: unknown): NodeSelectorRequirement[] =>
  asArray(value)
    .filter(isRecord)
    .map((r) => ({
      key: asString(r.key),
      operator: asString(r.operator),
      values: asArray(r.values).filter((v): v is string => typeof v === "string"),
    }));

export function parseNodeSelectorTerm(value: unknown): NodeSelectorTerm {
  const term = isRecord(value) ? value : {};
  return {
    matchExpressions: parseRequirements(term.matchExpressions),
    matchFields: parseRequirements(term.matchFields),
  };
}

export const parseNodeSelectorTerms = (value: unknown): NodeSelectorTerm[] => asArray(value).map(parseNodeSelectorTerm);

export const parsePreferredTerms = (value: unknown): PreferredSchedulingTerm[] =>
  asArray(value)
    .filter(isRecord)
    .map((p) => ({ weight: typeof p.weight === "number" ? p.weight : 0, term: parseNodeSelectorTerm(p.preference) }));

const integer = (value: string | undefined): number | undefined =>
  value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;

function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (req.operator) {
    case "In":
      return value !== undefined && req.values.includes(value);
    case "NotIn":
      return value === undefined || !req.values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      const actual = integer(value);
      const bound = integer(req.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return req.operator === "Gt" ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

export function termMatches(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  for (const req of term.matchExpressions) {
    if (!requirementMatches(req, Object.hasOwn(labels, req.key) ? labels[req.key] : undefined)) return false;
  }
  for (const req of term.matchFields) {
    if (req.key !== "metadata.name" || !requirementMatches(req, nodeName)) return false;
  }
  return true;
}

export const anyTermMatches = (terms: readonly NodeSelectorTerm[], labels: Record<string, string>, nodeName: string) =>
  terms.some((term) => termMatches(term, labels, nodeName));

/** spec.nodeSelector: every key must be present with exactly that value. */
export function nodeSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>) {
  if (!selector) return true;
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}
