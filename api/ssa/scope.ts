// What every managed-fields computation needs to know about the write.
import type { KubeObject } from "../types.ts";
import type { OwnershipScope } from "./owned-part.ts";

export interface WriteScope extends OwnershipScope {
  /** The request's group/version, e.g. `apps/v1`: recorded in the entries. */
  apiVersion: string;
  kind: string;
  /** The write's time (entries record it, at second precision). */
  now: Date;
}

export const subresourceOf = (scope: OwnershipScope): string => (scope.target === "main" ? "" : scope.target);

/** The object as field sets see it: without its managedFields (shallow: nothing is copied deeply). */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _managed, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
