// Object metadata and the other shared apimachinery types.
import type {
  Condition,
  DeleteOptions,
  LabelSelector,
  LabelSelectorRequirement,
  ListMeta,
  ManagedFieldsEntry,
  ObjectMeta,
  OwnerReference,
  Preconditions,
  Status,
  StatusCause,
  StatusDetails,
} from "kubernetes-types/meta/v1";
import { complete, f, req, scalar, untyped, type SchemaModule } from "./dsl.ts";

export const meta: SchemaModule = {
  pkg: "io.k8s.apimachinery.pkg.apis.meta.v1",
  types: {
    ObjectMeta: complete<ObjectMeta>("Metadata every persisted object carries: identity, labels, ownership.", {
      annotations: f("{}string", "Free-form string key/value pairs for tools and people; not used for selection."),
      creationTimestamp: f("Time", "When the server created the object (RFC 3339, UTC). Set by the server."),
      deletionGracePeriodSeconds: f("int64", "Grace period granted when deletion was requested. Set by the server."),
      deletionTimestamp: f(
        "Time",
        "When deletion was requested; the object goes away once its finalizers are gone. Set by the server.",
      ),
      finalizers: f("[]string", "Keys that must all be removed before a deleted object is actually removed.", {
        patchStrategy: "merge",
        listType: "set",
      }),
      generateName: f("string", "Prefix for a server-generated name, used when name is empty on create."),
      generation: f("int64", "Counter of changes to the desired state (spec). Set by the server."),
      labels: f("{}string", "Key/value pairs used to organize and select objects."),
      managedFields: f(
        "[]ManagedFieldsEntry",
        "Which field manager owns which fields (server-side apply bookkeeping).",
      ),
      name: f("string", "Name, unique per kind within a namespace. Usually cannot be changed."),
      namespace: f("string", "Namespace the object belongs to; empty for cluster-scoped kinds."),
      ownerReferences: f("[]OwnerReference", "Objects this one depends on; it is garbage-collected when they go.", {
        mergeKey: "uid",
        listType: "map",
        listMapKeys: ["uid"],
      }),
      resourceVersion: f("string", "Opaque version of this object, for optimistic concurrency and watches."),
      selfLink: f("string", "Unused legacy field; always empty."),
      uid: f("string", "Unique identifier of this object for its whole life. Set by the server."),
    }),
    OwnerReference: complete<OwnerReference>("Points at an owning object in the same namespace.", {
      apiVersion: req("string", "API version of the owner."),
      blockOwnerDeletion: f("boolean", "With foreground deletion, the owner waits for this object to go first."),
      controller: f("boolean", "This owner is the managing controller (at most one owner may be)."),
      kind: req("string", "Kind of the owner."),
      name: req("string", "Name of the owner."),
      uid: req("string", "UID of the owner."),
    }),
    ManagedFieldsEntry: complete<ManagedFieldsEntry>("One field manager's ownership record.", {
      apiVersion: f("string", "Version of the object the field set refers to."),
      fieldsType: f("string", "Format of fieldsV1; always FieldsV1."),
      fieldsV1: f("FieldsV1", "The set of owned fields."),
      manager: f("string", "Name of the field manager."),
      operation: f("string", "Apply or Update.", { enum: ["Apply", "Update"] }),
      subresource: f("string", "Subresource the change was made through, if any."),
      time: f("Time", "When this entry last changed."),
    }),
    FieldsV1: scalar("A set of field paths, encoded as nested JSON objects.", "object"),
    Time: scalar("A timestamp in RFC 3339 form, second precision.", "string", "date-time"),
    MicroTime: scalar("A timestamp in RFC 3339 form, microsecond precision.", "string", "date-time"),
    ListMeta: complete<ListMeta>("Metadata of a list response.", {
      continue: f("string", "Token for the next page; empty on the last page."),
      remainingItemCount: f("int64", "Estimated number of items after this page, when known."),
      resourceVersion: f("string", "Version of the collection this list was read at; start a watch from it."),
      selfLink: f("string", "Unused legacy field; always empty."),
    }),
    LabelSelector: complete<LabelSelector>(
      "Selects objects by label. Terms are ANDed; an empty selector selects everything.",
      {
        matchExpressions: f("[]LabelSelectorRequirement", "Set-based requirements."),
        matchLabels: f("{}string", "Exact key=value requirements."),
      },
    ),
    LabelSelectorRequirement: complete<LabelSelectorRequirement>("One set-based label requirement.", {
      key: req("string", "Label key."),
      operator: req("string", "How key relates to values.", { enum: ["In", "NotIn", "Exists", "DoesNotExist"] }),
      values: f("[]string", "Values for In and NotIn; must be empty for Exists and DoesNotExist."),
    }),
    Condition: complete<Condition>("One aspect of an object's current state.", {
      lastTransitionTime: req("Time", "When status last changed."),
      message: req("string", "Human-readable details."),
      observedGeneration: f("int64", "metadata.generation this condition was computed for."),
      reason: req("string", "CamelCase reason for the last transition."),
      status: req("string", "True, False or Unknown.", { enum: ["True", "False", "Unknown"] }),
      type: req("string", "Condition type, CamelCase."),
    }),
    Status: complete<Status>("Result of an operation that does not return an object, or an error.", {
      apiVersion: f("string", "Always v1."),
      code: f("int32", "HTTP status code."),
      details: f("StatusDetails", "Extra information about the failure."),
      kind: f("string", "Always Status."),
      message: f("string", "Human-readable description."),
      metadata: f("ListMeta", "Unused list metadata."),
      reason: f("string", "Machine-readable reason, e.g. NotFound, AlreadyExists, Conflict, Invalid."),
      status: f("string", "Success or Failure."),
    }),
    StatusDetails: complete<StatusDetails>("Which object a Status is about and why it failed.", {
      causes: f("[]StatusCause", "Individual problems, e.g. one per invalid field."),
      group: f("string", "API group of the object."),
      kind: f("string", "Kind (or resource) of the object."),
      name: f("string", "Name of the object."),
      retryAfterSeconds: f("int32", "Suggested wait before retrying."),
      uid: f("string", "UID of the object."),
    }),
    StatusCause: complete<StatusCause>("One problem behind a failure.", {
      field: f("string", "Path of the offending field, e.g. spec.containers[0].image."),
      message: f("string", "Human-readable description."),
      reason: f("string", "Machine-readable reason, e.g. FieldValueInvalid."),
    }),
    DeleteOptions: complete<DeleteOptions>("Options of a delete request.", {
      apiVersion: f("string", "Usually v1."),
      dryRun: f("[]string", "All: check the request but change nothing."),
      gracePeriodSeconds: f("int64", "Seconds to wait before removal; 0 means at once."),
      kind: f("string", "DeleteOptions."),
      orphanDependents: f("boolean", "Deprecated; use propagationPolicy."),
      preconditions: f("Preconditions", "Delete only if these still match."),
      propagationPolicy: f("string", "What happens to dependents.", { enum: ["Orphan", "Background", "Foreground"] }),
    }),
    Preconditions: complete<Preconditions>("Conditions a delete is made under.", {
      resourceVersion: f("string", "Required resourceVersion."),
      uid: f("string", "Required UID."),
    }),
    Patch: scalar("A patch body: JSON patch, merge patch, strategic merge patch or apply configuration.", "object"),
    WatchEvent: untyped("One event of a watch stream.", {
      object: req("io.k8s.apimachinery.pkg.runtime.RawExtension", "The object (or a Status for ERROR events)."),
      type: req("string", "ADDED, MODIFIED, DELETED, BOOKMARK or ERROR."),
    }),
  },
};

export const resource: SchemaModule = {
  pkg: "io.k8s.apimachinery.pkg.api.resource",
  types: {
    Quantity: scalar(
      'An amount with an optional suffix: "500m" (milli), "1.5", "128Mi", "2Gi", "1e3". Integers are accepted too.',
      "string",
    ),
  },
};

export const intstr: SchemaModule = {
  pkg: "io.k8s.apimachinery.pkg.util.intstr",
  types: {
    IntOrString: scalar(
      'Either an integer or a string (e.g. a port number or a port name, 1 or "25%").',
      "string",
      "int-or-string",
    ),
  },
};

export const runtime: SchemaModule = {
  pkg: "io.k8s.apimachinery.pkg.runtime",
  types: { RawExtension: scalar("An embedded object of any kind.", "object") },
};
