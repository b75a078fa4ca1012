// What a pod worker knows about one container of its pod (by name, across restarts).
import type { Container } from "kubernetes-types/core/v1";
import type { ContainerInfo } from "../runtime/types.ts";
import type { ContainerProbes } from "./probes/prober.ts";
import type { ContainerView } from "./status.ts";

export interface Slot {
  spec: Container;
  init: boolean;
  /** A sidecar (restartable init container). */
  restartable: boolean;
  latest?: ContainerInfo;
  previous?: ContainerInfo;
  /** Why no container runs, when known (CrashLoopBackOff, ErrImagePull, CreateContainerConfigError…). */
  waiting?: { reason: string; message?: string };
  probes?: ContainerProbes;
  /** The container id the probes watch. */
  probesFor?: string;
  /** A failed liveness/startup probe or hook asked for a restart: the Killing message. */
  restartRequest?: string;
  pullFailedAt?: number;
  /** When the last BackOff event went out (they are recorded at most every few seconds). */
  backoffEventAt?: number;
  /** When each recent event (reason and message) went out, to space out repeats. */
  recentEvents?: Map<string, number>;
  /** Termination messages of ended containers, by container id ("" when there was none). */
  messages?: Map<string, string>;
}

export function newSlot(spec: Container, init: boolean): Slot {
  return { spec, init, restartable: init && spec.restartPolicy === "Always" };
}

export function viewOf(slot: Slot): ContainerView {
  const running = slot.latest?.state === "running";
  return {
    name: slot.spec.name,
    image: slot.spec.image ?? "",
    restartable: slot.restartable,
    latest: slot.latest,
    previous: slot.previous,
    waiting: slot.waiting,
    ready: running && slot.probesFor === slot.latest?.id && (slot.probes?.ready ?? false),
    started: running && slot.probesFor === slot.latest?.id && (slot.probes?.started ?? false),
  };
}
