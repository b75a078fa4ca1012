// Server-side apply and field management (metadata.managedFields).
export { applyConfiguration, BEFORE_FIRST_APPLY, type ApplyRequest, type ApplyResult } from "./apply.ts";
export { recordUpdate, type RecordedFields, type UpdateRecord } from "./update.ts";
export { applyOptions, managerFromUserAgent, writeManager, type ApplyOptions, type OptionsKind } from "./options.ts";
export type { WriteScope } from "./scope.ts";
export type { Target } from "./owned-part.ts";
export { LAST_APPLIED_ANNOTATION } from "./last-applied.ts";
