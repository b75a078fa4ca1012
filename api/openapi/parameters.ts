// Request parameters, described once and shared by the v3 and v2 renderers.
export interface ParamSpec {
  name: string;
  in: "path" | "query";
  type: "string" | "integer" | "boolean";
  description: string;
  required?: boolean;
  uniqueItems?: boolean;
}

const q = (name: string, type: ParamSpec["type"], description: string): ParamSpec => ({
  name,
  in: "query",
  type,
  description,
  uniqueItems: true,
});

export const P = {
  name: {
    name: "name",
    in: "path",
    type: "string",
    description: "Name of the object.",
    required: true,
    uniqueItems: true,
  },
  namespace: {
    name: "namespace",
    in: "path",
    type: "string",
    description: "Namespace the object lives in.",
    required: true,
    uniqueItems: true,
  },
  pretty: q("pretty", "string", "When 'true', the JSON response is indented."),
  // list / watch
  allowWatchBookmarks: q(
    "allowWatchBookmarks",
    "boolean",
    "Ask for BOOKMARK events on a watch (the server may still omit them).",
  ),
  continue: q("continue", "string", "Token from a previous page's metadata.continue, to fetch the next page."),
  fieldSelector: q("fieldSelector", "string", "Only return objects whose fields match, e.g. metadata.name=web."),
  labelSelector: q("labelSelector", "string", "Only return objects whose labels match, e.g. app=web,tier!=db."),
  limit: q("limit", "integer", "Maximum number of items in one page; metadata.continue fetches the rest."),
  resourceVersion: q(
    "resourceVersion",
    "string",
    'Read at (or after) this version: unset means latest, "0" means any.',
  ),
  resourceVersionMatch: q(
    "resourceVersionMatch",
    "string",
    "How resourceVersion is compared on a list: Exact or NotOlderThan.",
  ),
  sendInitialEvents: q(
    "sendInitialEvents",
    "boolean",
    "Start a watch with ADDED events for the current state, then a bookmark.",
  ),
  timeoutSeconds: q("timeoutSeconds", "integer", "End the list or watch call after this many seconds."),
  watch: q("watch", "boolean", "Stream ADDED, MODIFIED and DELETED events instead of returning a list."),
  // writes
  dryRun: q("dryRun", "string", "When set to All, the request is validated and answered but nothing is stored."),
  fieldManager: q("fieldManager", "string", "Name of the actor making the change, recorded in managedFields."),
  fieldValidation: q(
    "fieldValidation",
    "string",
    "What to do with unknown or duplicate fields in the body: Ignore drops them, Warn drops them and returns a warning each, Strict rejects the request.",
  ),
  force: q(
    "force",
    "boolean",
    "Server-side apply only: take over fields owned by other managers instead of reporting a conflict.",
  ),
  // delete
  gracePeriodSeconds: q(
    "gracePeriodSeconds",
    "integer",
    "Seconds to wait before the object is removed; 0 means at once.",
  ),
  propagationPolicy: q("propagationPolicy", "string", "What happens to dependents: Orphan, Background or Foreground."),
  // pod connections and logs
  container: q("container", "string", "Container to use; may be omitted when the pod has only one."),
  follow: q("follow", "boolean", "Keep the log stream open and send new lines as they are written."),
  previous: q("previous", "boolean", "Read the log of the previous, terminated instance of the container."),
  tailLines: q("tailLines", "integer", "Only the last this many lines of the log."),
  timestamps: q("timestamps", "boolean", "Prefix every log line with its RFC 3339 timestamp."),
  sinceSeconds: q("sinceSeconds", "integer", "Only log lines newer than this many seconds."),
  limitBytes: q("limitBytes", "integer", "Stop after this many bytes of log."),
  command: q("command", "string", "Command to run; repeat the parameter for each argument."),
  stdin: q("stdin", "boolean", "Attach standard input."),
  stdout: q("stdout", "boolean", "Attach standard output."),
  stderr: q("stderr", "boolean", "Attach standard error."),
  tty: q("tty", "boolean", "Allocate a terminal; standard error is then merged into standard output."),
  ports: q("ports", "integer", "Pod port to forward; repeat for several."),
  path: q("path", "string", "Path to request on the target."),
} satisfies Record<string, ParamSpec>;

export const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.pretty,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
export const CREATE_PARAMS = [P.pretty, P.dryRun, P.fieldManager, P.fieldValidation];
export const PATCH_PARAMS = [...CREATE_PARAMS, P.force];
export const DELETE_PARAMS = [P.pretty, P.dryRun, P.gracePeriodSeconds, P.propagationPolicy];
