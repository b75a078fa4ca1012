// core/v1 Namespaces.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { invalidEach } from "./field.ts";
import { qualifiedName } from "./names.ts";
import { asArray, isRecord } from "./shape.ts";

/** spec.finalizers name the parties that must clean up before the namespace goes away. */
export function validateNamespace(ns: KubeObject): FieldError[] {
  const spec = isRecord(ns.spec) ? ns.spec : {};
  const errors: FieldError[] = [];
  for (const [i, finalizer] of asArray(spec.finalizers).entries()) {
    const name = String(finalizer);
    // "kubernetes" is the built-in one; anything else must be domain-qualified.
    const problems = qualifiedName(name);
    if (problems.length === 0 && name !== "kubernetes" && !name.includes("/")) {
      problems.push("name is neither a standard finalizer name nor is it fully qualified");
    }
    errors.push(...invalidEach(`spec.finalizers[${i}]`, name, problems));
  }
  return errors;
}
