// The 409 an apply gets when it would change fields other managers own: one
// `FieldManagerConflict` cause per field, and kube-apiserver's message.
import { StatusError, type StatusCause } from "../errors.ts";
import { members, type FieldSet } from "./fieldset.ts";
import type { ManagerEntry } from "./managed-fields.ts";
import { renderPath, type Path } from "./path.ts";

export interface Conflict {
  manager: ManagerEntry;
  path: Path;
}

/** `"kubectl"`, `"kubectl-client-side-apply" using apps/v1`, `"x" with subresource "status" using v1`. */
export function describeManager(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === "Update") text += ` using ${entry.apiVersion}`;
  return text;
}

/** Every conflicting field, manager by manager (in manager order), fields in path order. */
export function conflictsOf(perManager: ReadonlyArray<{ manager: ManagerEntry; fields: FieldSet }>): Conflict[] {
  const sorted = [...perManager].sort((a, b) => {
    const x = describeManager(a.manager);
    const y = describeManager(b.manager);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return sorted.flatMap(({ manager, fields }) => members(fields).map((path) => ({ manager, path })));
}

export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.manager)}`,
    field: renderPath(c.path),
  }));
  return new StatusError(409, "Conflict", conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const [only] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${describeManager(only.manager)}: ${renderPath(only.path)}`;
  }
  const lines: string[] = [];
  let previous: string | undefined;
  for (const conflict of conflicts) {
    const who = describeManager(conflict.manager);
    if (who !== previous) lines.push(`conflicts with ${who}:`);
    previous = who;
    lines.push(`- ${renderPath(conflict.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}
