// coordination.k8s.io/v1 Leases (node heartbeats, leader election).
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField } from "./container.ts";
import { invalidValue } from "./field.ts";
import { nonNegative, positive } from "./numbers.ts";
import { isRecord } from "./shape.ts";

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function validateLease(lease: KubeObject): FieldError[] {
  const spec = isRecord(lease.spec) ? lease.spec : {};
  const errors = [
    ...positive(spec.leaseDurationSeconds, "spec.leaseDurationSeconds"),
    ...nonNegative(spec.leaseTransitions, "spec.leaseTransitions"),
    ...enumField(spec.strategy, "spec.strategy", ["OldestEmulationVersion"]),
  ];
  for (const field of ["acquireTime", "renewTime"] as const) {
    const value = spec[field];
    if (value !== undefined && value !== null && (typeof value !== "string" || !MICRO_TIME.test(value))) {
      errors.push(
        invalidValue(`spec.${field}`, value, "must be an RFC 3339 timestamp with up to microsecond precision"),
      );
    }
  }
  return errors;
}
