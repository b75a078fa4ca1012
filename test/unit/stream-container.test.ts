import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import type { KubeObject } from "../../api/types.ts";
import { streamContainer } from "../../api/tunnel/stream-container.ts";

const pod = (containers: string[], annotations?: Record<string, string>): KubeObject => ({
  metadata: { name: "web", ...(annotations ? { annotations } : {}) },
  spec: {
    initContainers: [{ name: "init" }],
    containers: containers.map((name) => ({ name })),
    ephemeralContainers: [{ name: "debugger-x1" }],
  },
});

const failure = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return `${err.code} ${err.message}`;
    throw err;
  }
  return "no error";
};

describe("the container of a log/exec/attach request", () => {
  it.each<[string, KubeObject, string | null, string]>([
    ["a named regular container", pod(["app", "side"]), "side", "side"],
    ["a named init container", pod(["app"]), "init", "init"],
    ["a named ephemeral container (kubectl debug)", pod(["app", "side"]), "debugger-x1", "debugger-x1"],
    ["the only regular container", pod(["app"]), null, "app"],
    [
      "the default-container annotation",
      pod(["app", "side"], { "kubectl.kubernetes.io/default-container": "side" }),
      null,
      "side",
    ],
  ])("picks %s", (_, p, requested, expected) => {
    expect(streamContainer(p, requested)).toBe(expected);
  });

  it("never defaults to an ephemeral container", () => {
    const p = pod(["app", "side"], { "kubectl.kubernetes.io/default-container": "debugger-x1" });
    expect(failure(() => streamContainer(p, null))).toBe(
      "400 a container name must be specified for pod web, choose one of: [app side]",
    );
  });

  it("refuses a container the pod does not have", () => {
    expect(failure(() => streamContainer(pod(["app"]), "nope"))).toBe("400 container nope is not valid for pod web");
  });
});
