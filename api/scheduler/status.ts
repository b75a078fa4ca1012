// Plugin results. Success is `null`; a rejection names its code and reasons.
import type { Status } from "./types.ts";

export const unschedulable = (...reasons: string[]): Status => ({ code: "Unschedulable", reasons });

/** Rejections that removing pods (preemption) cannot fix. */
export const unresolvable = (...reasons: string[]): Status => ({ code: "UnschedulableAndUnresolvable", reasons });

export const errorStatus = (reason: string): Status => ({ code: "Error", reasons: [reason] });

/** Result of a PreFilter: run the plugin's Filter, skip it for this pod, or reject on every node. */
export type PreFilterResult = null | "skip" | Status;
