// `kubectl debug` with ephemeral containers on a real node: the API stores the ephemeral container
// (pods/ephemeralcontainers), the node daemon starts it once in the pod's sandbox and reports it in
// status.ephemeralContainerStatuses, and kubectl attaches to it or reads its logs. The file has a
// logical cluster of its own so no other file's nodes take its pods.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, eventually, kubectlOk, stopAllStreams, type KubectlOptions } from "./kubectl.ts";
import { startProcessNode, type ProcessNode } from "./process-node.ts";

type Obj = Record<string, any>;

const CLUSTER = "debug-node";
const NODE = "dbg-node";
const isRoot = process.getuid?.() === 0;
const VERSIONS = (process.env.E2E_KUBECTL_VERSIONS ?? "1.30,1.33").split(",");

let node: ProcessNode | undefined;
let options: KubectlOptions;
const namespaces: string[] = [];

afterEach(stopAllStreams);

describe.skipIf(!isRoot)("kubectl debug on a real node", () => {
  beforeAll(async () => {
    node = await startProcessNode(CLUSTER, NODE, "10.87.8.0/24");
    options = node.options;
  }, 90_000);

  afterAll(() => node?.stop(namespaces), 120_000);

  describe.each(VERSIONS)("with kubectl %s", (version) => {
    const ok = (args: string[], input?: string) => kubectlOk(args, { ...options, version, input });
    const pod = async (ns: string): Promise<Obj> => JSON.parse(await ok(["get", "pod", "web", "-n", ns, "-o", "json"]));

    it("adds an ephemeral container that runs once, logs, and leaves the pod Running", async () => {
      const ns = `debug-${version.replace(".", "")}`;
      await createNamespace(ns, { ...options, version });
      namespaces.push(ns);
      await ok(["run", "web", "-n", ns, "--image=example/app:1", "--command", "--", "sh", "-c", "sleep 3600"]);
      await ok(["wait", "--for=condition=Ready", "pod/web", "-n", ns, "--timeout=60s"]);

      // Not interactive: kubectl adds the container and returns; its output lands in its log.
      await ok([
        "debug",
        "web",
        "-n",
        ns,
        "--image=example/tools:1",
        "-c",
        "probe",
        "--",
        "sh",
        "-c",
        "echo from-probe",
      ]);
      const probeStatus = async (): Promise<Obj | undefined> =>
        ((await pod(ns)).status?.ephemeralContainerStatuses ?? []).find((s: Obj) => s.name === "probe");
      await eventually(async () => !!(await probeStatus())?.state?.terminated, 30_000, "the probe terminated");
      expect(await probeStatus()).toMatchObject({
        name: "probe",
        restartCount: 0,
        state: { terminated: { exitCode: 0 } },
      });
      expect(await ok(["logs", "web", "-n", ns, "-c", "probe"])).toBe("from-probe\n");
      const after = await pod(ns);
      expect(after.status.phase).toBe("Running");
      expect(after.spec.ephemeralContainers.map((c: Obj) => c.name)).toEqual(["probe"]);

      // Interactive (-i): kubectl attaches to the new container's stdin and output.
      const session = await ok(
        ["debug", "web", "-n", ns, "-i", "--image=example/tools:1", "-c", "shell", "--", "sh"],
        "echo from-shell\nexit\n",
      );
      expect(session).toContain("from-shell");
    });
  });
});
