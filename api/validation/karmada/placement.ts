// A policy's placement: where resources may go and how replicas are divided, checked as Karmada's
// webhook (pkg/util/validation ValidatePlacement) and its CRD schema check them.
import type { FieldError } from "../../errors.ts";
import { enumField } from "../container.ts";
import { invalidEach, invalidValue, notSupported, required, tooLong } from "../field.ts";
import { qualifiedName } from "../names.ts";
import { TAINT_EFFECTS } from "../tolerations.ts";
import { asArray, asNumber, asString, isRecord, type JsonObject } from "../shape.ts";
import { isSet, validateClusterAffinity } from "./affinity.ts";

export const SPREAD_FIELDS = ["cluster", "region", "zone", "provider"];
export const REPLICA_SCHEDULING_TYPES = ["Duplicated", "Divided"];
export const DIVISION_PREFERENCES = ["Aggregated", "Weighted"];
const DYNAMIC_WEIGHTS = ["AvailableReplicas"];
const AFFINITY_NAME_MAX = 32;
// Karmada applies tolerations to whole clusters and refuses the numeric comparisons (Lt/Gt).
const TOLERATION_OPERATORS = ["", "Exists", "Equal"];

export function validatePlacement(placement: unknown, path: string): FieldError[] {
  if (!isSet(placement)) return [];
  if (!isRecord(placement)) return [invalidValue(path, placement, "must be an object")];
  const errors: FieldError[] = [];
  if (isSet(placement.clusterAffinity) && isSet(placement.clusterAffinities)) {
    errors.push(invalidValue(path, placement, "clusterAffinities cannot co-exist with clusterAffinity"));
  }
  errors.push(...validateClusterAffinity(placement.clusterAffinity, `${path}.clusterAffinity`));
  errors.push(...validateAffinityTerms(placement.clusterAffinities, `${path}.clusterAffinities`));
  errors.push(...validateSpreadConstraints(placement.spreadConstraints, `${path}.spreadConstraints`));
  errors.push(...validateClusterTolerations(placement.clusterTolerations, `${path}.clusterTolerations`));
  errors.push(...validateReplicaScheduling(placement.replicaScheduling, `${path}.replicaScheduling`));
  return errors;
}

/** Ordered fallback groups: each named (a label key, unique), each a cluster affinity. */
function validateAffinityTerms(terms: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, term] of asArray(terms).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(term)) {
      errors.push(invalidValue(at, term, "must be an object"));
      continue;
    }
    const name = asString(term.affinityName);
    if (name === "") errors.push(required(`${at}.affinityName`));
    else {
      if (name.length > AFFINITY_NAME_MAX) errors.push(tooLong(`${at}.affinityName`, AFFINITY_NAME_MAX));
      errors.push(...invalidEach(at, name, qualifiedName(name)));
    }
    if (names.has(name))
      errors.push(invalidValue(path, terms, "each affinity term in a policy must have a unique name"));
    names.add(name);
    errors.push(...validateClusterAffinity(term, at));
  }
  return errors;
}

/**
 * Karmada's rules: a constraint spreads by a field or by a label, not both; group counts are
 * non-negative with max ≥ min; one constraint per field; and spreading by any field needs the
 * `cluster` one too (it says how many clusters to pick within the groups).
 */
export function validateSpreadConstraints(constraints: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const fields = new Map<string, { reported: boolean }>();
  for (const [i, constraint] of asArray(constraints).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(constraint)) {
      errors.push(invalidValue(at, constraint, "must be an object"));
      continue;
    }
    const field = asString(constraint.spreadByField);
    const label = asString(constraint.spreadByLabel);
    if (field !== "" && !SPREAD_FIELDS.includes(field))
      errors.push(notSupported(`${at}.spreadByField`, field, SPREAD_FIELDS));
    if (field !== "" && label !== "")
      errors.push(invalidValue(at, constraint, "spreadByLabel should not co-exist with spreadByField"));
    const min = asNumber(constraint.minGroups) ?? 0;
    const max = asNumber(constraint.maxGroups) ?? 0;
    if (min < 0) errors.push(invalidValue(at, constraint, "minGroups lower than 0 is not allowed"));
    if (max < 0) errors.push(invalidValue(at, constraint, "maxGroups lower than 0 is not allowed"));
    if (max > 0 && max < min)
      errors.push(invalidValue(at, constraint, "maxGroups lower than minGroups is not allowed"));
    if (field === "") continue;
    const seen = fields.get(field);
    if (seen && !seen.reported) {
      errors.push(invalidValue(path, constraints, `multiple ${field} spread constraints are not allowed`));
      seen.reported = true;
    }
    if (!seen) fields.set(field, { reported: false });
  }
  if (fields.size > 0 && !fields.has("cluster")) {
    errors.push(
      invalidValue(
        path,
        constraints,
        "the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled",
      ),
    );
  }
  return errors;
}

function validateClusterTolerations(tolerations: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, toleration] of asArray(tolerations).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(toleration)) {
      errors.push(invalidValue(at, toleration, "must be an object"));
      continue;
    }
    const operator = asString(toleration.operator);
    if (!TOLERATION_OPERATORS.includes(operator))
      errors.push(notSupported(`${at}.operator`, operator, TOLERATION_OPERATORS));
    const effect = asString(toleration.effect);
    if (effect !== "" && !TAINT_EFFECTS.includes(effect))
      errors.push(notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
  }
  return errors;
}

function validateReplicaScheduling(strategy: unknown, path: string): FieldError[] {
  if (!isSet(strategy)) return [];
  if (!isRecord(strategy)) return [invalidValue(path, strategy, "must be an object")];
  const errors: FieldError[] = [
    ...enumField(strategy.replicaSchedulingType, `${path}.replicaSchedulingType`, REPLICA_SCHEDULING_TYPES),
    ...enumField(strategy.replicaDivisionPreference, `${path}.replicaDivisionPreference`, DIVISION_PREFERENCES),
  ];
  if (isRecord(strategy.weightPreference)) {
    errors.push(...validateWeightPreference(strategy.weightPreference, `${path}.weightPreference`));
  }
  return errors;
}

function validateWeightPreference(preference: JsonObject, path: string): FieldError[] {
  const errors = enumField(preference.dynamicWeight, `${path}.dynamicWeight`, DYNAMIC_WEIGHTS);
  for (const [i, entry] of asArray(preference.staticWeightList).entries()) {
    const at = `${path}.staticWeightList[${i}]`;
    if (!isRecord(entry)) {
      errors.push(invalidValue(at, entry, "must be an object"));
      continue;
    }
    if (!isSet(entry.targetCluster)) errors.push(required(`${at}.targetCluster`));
    else errors.push(...validateClusterAffinity(entry.targetCluster, `${at}.targetCluster`));
    // The CRD's `minimum: 1`, worded as kube-apiserver words schema violations.
    const weight = entry.weight;
    if (!isSet(weight)) errors.push(required(`${at}.weight`));
    else if (typeof weight !== "number" || !Number.isInteger(weight) || weight < 1) {
      errors.push(invalidValue(`${at}.weight`, weight, `${at}.weight in body should be greater than or equal to 1`));
    }
  }
  return errors;
}
