// Event tables (core v1 and events.k8s.io/v1 share one layout, as in kube-apiserver).
import type { Event as CoreEvent } from "kubernetes-types/core/v1";
import type { Event as EventsEvent } from "kubernetes-types/events/v1";
import type { TableConvertor } from "../registry/types.ts";
import { formatAge } from "./age.ts";
import { col, view } from "./format.ts";

/** The fields the event table reads, in core v1 terms. */
function fromEventsV1(e: EventsEvent): CoreEvent {
  return {
    metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    eventTime: e.eventTime,
    series: e.series,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
    action: e.action,
  };
}

/** "component, instance", preferring the legacy source fields over the reporting ones. */
function eventSource(e: CoreEvent): string {
  const component = e.source?.component || e.reportingComponent || "";
  const instance = e.source?.host || e.reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
}

function eventCells(e: CoreEvent, now: Date): unknown[] {
  const firstSeen = formatAge(e.firstTimestamp || e.eventTime, now);
  let lastSeen = e.lastTimestamp ? formatAge(e.lastTimestamp, now) : firstSeen;
  let count = e.count ?? 0;
  if (e.series) {
    lastSeen = formatAge(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // events without a series are singletons
  }
  const target = e.involvedObject;
  const kind = (target?.kind ?? "").toLowerCase();
  return [
    lastSeen,
    e.type ?? "",
    e.reason ?? "",
    target?.name ? `${kind}/${target.name}` : kind,
    target?.fieldPath ?? "",
    eventSource(e),
    (e.message ?? "").trim(),
    firstSeen,
    count,
    e.metadata?.name ?? "",
  ];
}

const eventColumns = [
  col("Last Seen", "string", "Time since the event was last observed."),
  col("Type", "string", "Normal or Warning."),
  col("Reason", "string", "Short machine-readable cause."),
  col("Object", "string", "The object the event is about."),
  col("Subobject", "string", "Field path within the object, such as a container.", 1),
  col("Source", "string", "The component that reported the event.", 1),
  col("Message", "string", "Human-readable description."),
  col("First Seen", "string", "Time since the event was first observed.", 1),
  col("Count", "string", "How many times the event occurred.", 1),
  col("Name", "string", "Name of the event object.", 1, "name"),
];

export const eventTable: TableConvertor = {
  columns: eventColumns,
  cells: (obj, now) => eventCells(view<CoreEvent>(obj), now),
};

export const eventsV1Table: TableConvertor = {
  columns: eventColumns,
  cells: (obj, now) => eventCells(fromEventsV1(view<EventsEvent>(obj)), now),
};
