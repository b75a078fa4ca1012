import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import {
  validateEphemeralContainersOnCreate,
  validateEphemeralContainersUpdate,
} from "../../api/validation/ephemeral-containers.ts";
import { validatePodSpec } from "../../api/validation/pod.ts";
import { validatePodUpdate } from "../../api/validation/pod-update.ts";
import { validatePodTemplate } from "../../api/validation/template.ts";
import { prepareUpdate } from "../../api/lifecycle/update.ts";
import { prepareCreate } from "../../api/lifecycle/create.ts";
import { findResource } from "../../api/registry/index.ts";

const debug = (overrides: Record<string, unknown> = {}) => ({
  name: "debugger",
  image: "busybox:1",
  imagePullPolicy: "IfNotPresent",
  terminationMessagePolicy: "File",
  stdin: true,
  tty: true,
  ...overrides,
});

const spec = (ephemeralContainers: unknown[], overrides: Record<string, unknown> = {}) => ({
  restartPolicy: "Always",
  dnsPolicy: "ClusterFirst",
  volumes: [{ name: "data", emptyDir: {} }],
  initContainers: [{ name: "init", image: "busybox:1" }],
  containers: [{ name: "app", image: "nginx:1.27" }],
  ephemeralContainers,
  ...overrides,
});

const render = (s: unknown) => validatePodSpec(s, "spec").map((e) => `${e.field}: ${e.message}`);

const NOT_FOR_EPHEMERAL = "Forbidden: cannot be set for an Ephemeral Container";

describe("ephemeral containers in a pod spec", () => {
  it("accepts what kubectl debug sends", () => {
    expect(render(spec([debug({ resources: {}, terminationMessagePath: "/dev/termination-log" })]))).toEqual([]);
    expect(render(spec([debug({ targetContainerName: "app" })]))).toEqual([]);
    expect(
      render(spec([debug({ env: [{ name: "A", value: "1" }], volumeMounts: [{ name: "data", mountPath: "/d" }] })])),
    ).toEqual([]);
  });

  it.each<[string, unknown[], string[]]>([
    [
      "a name that is not a DNS-1123 label",
      [debug({ name: "Debug_1" })],
      [
        `spec.ephemeralContainers[0].name: Invalid value: "Debug_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    ["no name", [debug({ name: "" })], ["spec.ephemeralContainers[0].name: Required value"]],
    ["no image", [debug({ image: "" })], ["spec.ephemeralContainers[0].image: Required value"]],
    ["the name of a container", [debug({ name: "app" })], ['spec.ephemeralContainers[0].name: Duplicate value: "app"']],
    [
      "the name of an init container",
      [debug({ name: "init" })],
      ['spec.ephemeralContainers[0].name: Duplicate value: "init"'],
    ],
    [
      "the name of another ephemeral container",
      [debug(), debug()],
      ['spec.ephemeralContainers[1].name: Duplicate value: "debugger"'],
    ],
    [
      "ports",
      [debug({ ports: [{ containerPort: 80, protocol: "TCP" }] })],
      [`spec.ephemeralContainers[0].ports: ${NOT_FOR_EPHEMERAL}`],
    ],
    [
      "probes",
      [
        debug({
          livenessProbe: { exec: { command: ["true"] } },
          readinessProbe: { exec: { command: ["true"] } },
          startupProbe: { exec: { command: ["true"] } },
        }),
      ],
      [
        `spec.ephemeralContainers[0].livenessProbe: ${NOT_FOR_EPHEMERAL}`,
        `spec.ephemeralContainers[0].readinessProbe: ${NOT_FOR_EPHEMERAL}`,
        `spec.ephemeralContainers[0].startupProbe: ${NOT_FOR_EPHEMERAL}`,
      ],
    ],
    [
      "lifecycle hooks",
      [debug({ lifecycle: { preStop: { exec: { command: ["true"] } } } })],
      [`spec.ephemeralContainers[0].lifecycle: ${NOT_FOR_EPHEMERAL}`],
    ],
    [
      "resources",
      [debug({ resources: { limits: { cpu: "1" } } })],
      [`spec.ephemeralContainers[0].resources: ${NOT_FOR_EPHEMERAL}`],
    ],
    [
      "a restart policy",
      [debug({ restartPolicy: "Always" })],
      [`spec.ephemeralContainers[0].restartPolicy: ${NOT_FOR_EPHEMERAL}`],
    ],
    [
      "a sub-path mount",
      [debug({ volumeMounts: [{ name: "data", mountPath: "/d", subPath: "x" }] })],
      [`spec.ephemeralContainers[0].volumeMounts[0].subPath: ${NOT_FOR_EPHEMERAL}`],
    ],
    [
      "a mount of a missing volume",
      [debug({ volumeMounts: [{ name: "nope", mountPath: "/d" }] })],
      ['spec.ephemeralContainers[0].volumeMounts[0].name: Not found: "nope"'],
    ],
    ["a bad env var", [debug({ env: [{ name: "" }] })], ["spec.ephemeralContainers[0].env[0].name: Required value"]],
    [
      "a target that is not a container",
      [debug({ targetContainerName: "missing" })],
      ['spec.ephemeralContainers[0].targetContainerName: Not found: "missing"'],
    ],
    [
      "a target that is another ephemeral container",
      [debug({ name: "first" }), debug({ name: "second", targetContainerName: "first" })],
      ['spec.ephemeralContainers[1].targetContainerName: Not found: "first"'],
    ],
    ["not an object", ["debugger"], ['spec.ephemeralContainers[0]: Invalid value: "debugger": must be an object']],
  ])("rejects %s", (_, list, expected) => {
    expect(render(spec(list))).toEqual(expected);
  });

  it("are refused on create and in pod templates", () => {
    const pod: KubeObject = { metadata: { name: "p" }, spec: spec([debug()]) };
    expect(validateEphemeralContainersOnCreate(pod)).toEqual([
      { field: "spec.ephemeralContainers", type: "FieldValueForbidden", message: "Forbidden: cannot be set on create" },
    ]);
    expect(validateEphemeralContainersOnCreate({ metadata: { name: "p" }, spec: spec([]) })).toEqual([]);
    const template = { metadata: { labels: { a: "b" } }, spec: spec([debug()]) };
    expect(
      validatePodTemplate(template, "spec.template", { restartPolicies: ["Always"] }).map(
        (e) => `${e.field}: ${e.message}`,
      ),
    ).toEqual(["spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template"]);
  });
});

describe("pods/ephemeralcontainers update rules", () => {
  const pod = (list: unknown[], annotations?: Record<string, string>): KubeObject => ({
    metadata: { name: "p", ...(annotations ? { annotations } : {}) },
    spec: spec(list),
  });
  const messages = (next: KubeObject, old: KubeObject) =>
    validateEphemeralContainersUpdate(next, old).map((e) => `${e.field}: ${e.message}`);

  it.each<[string, unknown[], unknown[], string[]]>([
    ["adding the first", [], [debug()], []],
    ["adding another", [debug()], [debug(), debug({ name: "second" })], []],
    ["adding in another order", [debug()], [debug({ name: "second" }), debug()], []],
    ["sending the same ones", [debug()], [debug()], []],
    [
      "changing one",
      [debug()],
      [debug({ image: "busybox:2" })],
      [
        'spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be changed\n  changed: debugger.image',
      ],
    ],
    [
      "removing one",
      [debug(), debug({ name: "second" })],
      [debug()],
      ['spec.ephemeralContainers: Forbidden: existing ephemeral containers "second" may not be removed'],
    ],
  ])("%s", (_, before, after, expected) => {
    expect(messages(pod(after), pod(before))).toEqual(expected);
  });

  it("refuses static (mirror) pods", () => {
    const old = pod([], { "kubernetes.io/config.mirror": "abc" });
    expect(messages(pod([debug()]), old)).toEqual([": Forbidden: static pods do not support ephemeral containers"]);
  });
});

describe("the pod's own update and the subresource's write", () => {
  const pods = findResource("", "v1", "pods")!;
  const stored = (): KubeObject =>
    prepareCreate(
      pods,
      { apiVersion: "v1", kind: "Pod", metadata: { name: "web", labels: { app: "web" } }, spec: spec([]) },
      "default",
      { now: new Date("2026-01-01T00:00:00Z"), newUid: () => "uid-1" },
    );

  it("forbids adding or changing ephemeral containers through the pod itself", () => {
    const old = stored();
    const next = structuredClone(old);
    (next.spec as Record<string, unknown>).ephemeralContainers = [debug()];
    expect(validatePodUpdate(next, old).map((e) => e.field)).toEqual(["spec"]);
    expect(validatePodUpdate(next, old)[0]!.message).toContain("changed: spec.ephemeralContainers");
  });

  it("refuses a pod created with ephemeral containers", () => {
    const body = { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: spec([debug()]) };
    expect(() => prepareCreate(pods, body, "default", { now: new Date(), newUid: () => "u" })).toThrow(
      /spec.ephemeralContainers: Forbidden: cannot be set on create/,
    );
  });

  it("takes only spec.ephemeralContainers from the body, defaulted", () => {
    const old = stored();
    const body = structuredClone(old);
    body.metadata.labels = { app: "other" };
    const bodySpec = body.spec as Record<string, unknown>;
    bodySpec.activeDeadlineSeconds = 5;
    bodySpec.ephemeralContainers = [{ name: "debugger", image: "busybox:latest", stdin: true }];
    body.status = { phase: "Failed" };
    const { object, changed } = prepareUpdate(pods, body, old, "ephemeralcontainers");
    expect(changed).toBe(true);
    expect(object.metadata.labels).toEqual({ app: "web" });
    expect(object.status).toEqual(old.status);
    const objectSpec = object.spec as Record<string, unknown>;
    expect(objectSpec.activeDeadlineSeconds).toBeUndefined();
    expect(objectSpec.ephemeralContainers).toEqual([
      {
        name: "debugger",
        image: "busybox:latest",
        stdin: true,
        imagePullPolicy: "Always",
        terminationMessagePath: "/dev/termination-log",
        terminationMessagePolicy: "File",
        resources: {},
      },
    ]);
  });

  it("checks resourceVersion preconditions and the new containers", () => {
    const old = stored();
    old.metadata.resourceVersion = "7";
    const stale = structuredClone(old);
    stale.metadata.resourceVersion = "6";
    expect(() => prepareUpdate(pods, stale, old, "ephemeralcontainers")).toThrow(/modified/);
    const invalid = structuredClone(old);
    (invalid.spec as Record<string, unknown>).ephemeralContainers = [debug({ name: "app" })];
    expect(() => prepareUpdate(pods, invalid, old, "ephemeralcontainers")).toThrow(/Duplicate value: "app"/);
  });
});
