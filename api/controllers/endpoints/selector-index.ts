// Which selecting objects (Services, PodDisruptionBudgets) choose which Pods, kept in memory
// so a Pod's change can name the selectors it affects: those it matches now and those it
// matched before (a label change moves a Pod out of a Service).
import type { KubeObject } from "../../types.ts";

export type PodMatcher = (pod: KubeObject) => boolean;

export class SelectorIndex {
  private readonly matchers = new Map<string, PodMatcher>();
  private readonly lastMatched = new Map<string, Set<string>>();

  /** Records (or forgets, with undefined) the selector of the object called `name`. */
  setSelector(name: string, matcher: PodMatcher | undefined): void {
    if (matcher) this.matchers.set(name, matcher);
    else this.matchers.delete(name);
  }

  names(): string[] {
    return [...this.matchers.keys()];
  }

  /** The selectors a Pod's change concerns; `pod` undefined when it was deleted. */
  podChanged(podName: string, pod: KubeObject | undefined): string[] {
    const before = this.lastMatched.get(podName) ?? new Set<string>();
    const now = new Set<string>();
    if (pod) for (const [name, matches] of this.matchers) if (matches(pod)) now.add(name);
    if (now.size > 0) this.lastMatched.set(podName, now);
    else this.lastMatched.delete(podName);
    return [...new Set([...before, ...now])];
  }
}
