// A workload's spec.selector as a matcher; a malformed one (which validation should have
// refused) selects nothing rather than failing the controller.
import { labelSelectorFromObject, type LabelSelector, type LabelSelectorObject } from "../../selectors/labels.ts";

export function selectorOf(selector: unknown): LabelSelector | null {
  try {
    return labelSelectorFromObject(selector as LabelSelectorObject | null | undefined);
  } catch {
    return null;
  }
}

/** True for a selector that selects everything (`{}`): controllers refuse to act on it. */
export const selectsEverything = (selector: LabelSelector | null): boolean =>
  selector !== null && selector.length === 0;
