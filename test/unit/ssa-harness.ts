// A tiny in-memory object for server-side apply scenarios: applies and updates in sequence, one
// second apart, storing the managedFields each write produces (no defaulting, no validation).
import { StatusError } from "../../api/errors.ts";
import { applyConfiguration, recordUpdate } from "../../api/ssa/index.ts";
import { members } from "../../api/ssa/fieldset.ts";
import { decodeManagedFields } from "../../api/ssa/managed-fields.ts";
import { renderPath } from "../../api/ssa/path.ts";
import type { KubeObject } from "../../api/types.ts";

export type Obj = Record<string, any>;

export interface Step {
  /** An apply by `manager` of `config`. */
  apply?: Obj;
  /** An update by `manager`: the function edits a copy of the object. */
  update?: (obj: Obj) => void;
  manager: string;
  force?: boolean;
  /** Stores this object as it is (e.g. one written without managedFields). */
  set?: Obj;
  /** The apply must fail with this conflict message. */
  conflict?: string;
}

export class Sim {
  object: KubeObject | undefined;
  private seconds = 0;
  readonly apiVersion: string;
  readonly kind: string;
  readonly statusSubresource: boolean;

  constructor(apiVersion: string, kind: string, statusSubresource = false) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.statusSubresource = statusSubresource;
  }

  private scope() {
    this.seconds += 1;
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      target: "main" as const,
      statusSubresource: this.statusSubresource,
      now: new Date(Date.UTC(2024, 0, 1, 0, 0, this.seconds)),
    };
  }

  apply(manager: string, config: Obj, force = false): void {
    const result = applyConfiguration({
      ...this.scope(),
      live: this.object,
      config: structuredClone(config),
      name: String(config.metadata?.name ?? this.object?.metadata.name ?? "x"),
      namespace: "default",
      manager,
      force,
    });
    const object = result.object;
    if (result.managedFields === undefined) delete object.metadata.managedFields;
    else object.metadata.managedFields = result.managedFields;
    this.object = object;
  }

  update(manager: string, edit: (obj: Obj) => void): void {
    const after = structuredClone(this.object ?? { apiVersion: this.apiVersion, kind: this.kind, metadata: {} });
    edit(after);
    const result = recordUpdate({
      ...this.scope(),
      before: this.object,
      after,
      manager,
      sent: after.metadata.managedFields,
    });
    if (result.errors.length > 0) throw new Error(JSON.stringify(result.errors));
    if (result.managedFields === undefined) delete after.metadata.managedFields;
    else after.metadata.managedFields = result.managedFields;
    this.object = after;
  }

  run(step: Step): void {
    if (step.set) {
      this.object = structuredClone(step.set) as KubeObject;
      return;
    }
    if (step.conflict !== undefined) {
      const err = catchStatus(() => this.apply(step.manager, step.apply!, step.force));
      if (err.code !== 409 || err.message !== step.conflict) throw new Error(`unexpected ${err.code}: ${err.message}`);
      return;
    }
    if (step.apply) this.apply(step.manager, step.apply, step.force);
    else if (step.update) this.update(step.manager, step.update);
  }

  /** Each manager's fields, as Kubernetes prints paths (`.spec.replicas`). */
  owners(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const entry of decodeManagedFields(this.object?.metadata.managedFields)) {
      out[entry.manager] = members(entry.fields).map(renderPath);
    }
    return out;
  }

  /** The object without its managedFields. */
  plain(): Obj {
    const copy = structuredClone(this.object) as Obj;
    delete copy.metadata.managedFields;
    return copy;
  }
}

export function catchStatus(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error("expected a StatusError");
}
