// What a pod worker knows about one container of its pod (by name, across restarts).
import type { Container, EphemeralContainer } from "kubernetes-types/core/v1";
import type { ContainerInfo } from "../runtime/types.ts";
import type { ContainerProbes } from "./probes/prober.ts";
import type { ContainerView } from "./status.ts";

export interface Slot {
  spec: Container;
  init: boolean;
  /** From spec.ephemeralContainers: started once, never restarted, no probes. */
  ephemeral: boolean;
  /** An ephemeral container's targetContainerName: whose process namespace it joins. */
  target?: string;
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
  return { spec, init, ephemeral: false, restartable: init && spec.restartPolicy === "Always" };
}

export function newEphemeralSlot(spec: EphemeralContainer): Slot {
  const { targetContainerName, ...container } = spec;
  return {
    spec: container,
    init: false,
    ephemeral: true,
    restartable: false,
    target: targetContainerName || undefined,
  };
}

/** Which container an event is about (its fieldPath). */
export const containerRef = (slot: Slot) => ({ name: slot.spec.name, init: slot.init, ephemeral: slot.ephemeral });

/** Same container kind: an init, regular or ephemeral container never stands in for another. */
export const sameKind = (slot: Slot, c: { init: boolean; ephemeral: boolean }) =>
  c.init === slot.init && c.ephemeral === slot.ephemeral;

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
