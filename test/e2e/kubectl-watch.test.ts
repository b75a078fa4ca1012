// kubectl get -w: Table-mode watches, namespaced and across namespaces.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  configMap,
  createNamespace,
  eventually,
  kubectlOk,
  kubectlStream,
  stopAllStreams,
  watchEstablished,
  type KubectlStream,
} from "./kubectl.ts";

afterEach(stopAllStreams);

/** Data rows whose first columns are exactly `cells` (the header and blank lines never match). */
const rowsStartingWith = (stream: KubectlStream, ...cells: string[]) =>
  stream.lines.filter((line) => {
    const columns = line.trim().split(/\s+/);
    return cells.every((cell, i) => columns[i] === cell);
  });

describe.each(["1.30", "1.33"])("kubectl %s get -w", (version) => {
  const tag = version.replace(".", "");
  const ns = `watch-${tag}`;
  const ns2 = `watch-${tag}-b`;
  const create = (namespace: string, name: string) =>
    kubectlOk(["create", "-n", namespace, "-f", "-"], { version, input: configMap(name) });
  const watch = async (args: string[]) => {
    const stream = kubectlStream(["get", ...args, "-w", "-v=6"], { version });
    await eventually(() => watchEstablished(stream), 20_000, `kubectl get ${args.join(" ")} -w to start watching`);
    return stream;
  };

  beforeAll(async () => {
    await createNamespace(ns, { version });
    await createNamespace(ns2, { version });
    await create(ns, "existing");
  });

  it("get cm -w lists, then prints objects created and changed afterwards", async () => {
    const stream = await watch(["cm", "-n", ns]);
    await eventually(() => rowsStartingWith(stream, "existing").length === 1, 20_000, "the listed ConfigMap");
    expect(stream.lines[0].trim().split(/\s+/)).toEqual(["NAME", "DATA", "AGE"]);
    await create(ns, "later");
    await eventually(() => rowsStartingWith(stream, "later", "0").length === 1, 20_000, "a row for the new ConfigMap");
    await kubectlOk(["patch", "cm", "later", "-n", ns, "--type=merge", "-p", '{"data":{"a":"1","b":"2"}}'], {
      version,
    });
    await eventually(() => rowsStartingWith(stream, "later", "2").length === 1, 20_000, "a row for the change");
    // The watch is still the same process, and nothing else in the namespace was printed.
    expect(stream.child.exitCode).toBeNull();
    expect(rowsStartingWith(stream, "existing")).toHaveLength(1);
  });

  it("get cm -A -w prints changes in every namespace", async () => {
    const stream = await watch(["cm", "-A"]);
    await eventually(() => rowsStartingWith(stream, ns, "existing").length === 1, 20_000, "the listed ConfigMap");
    expect(stream.lines[0].trim().split(/\s+/)).toEqual(["NAMESPACE", "NAME", "DATA", "AGE"]);
    await create(ns, "across-1");
    await create(ns2, "across-2");
    await eventually(
      () =>
        rowsStartingWith(stream, ns, "across-1").length === 1 && rowsStartingWith(stream, ns2, "across-2").length === 1,
      20_000,
      "rows for both namespaces",
    );
    // Events arrive in revision order: the first create is printed first.
    const order = stream.lines.findIndex((line) => line.includes("across-1"));
    expect(order).toBeLessThan(stream.lines.findIndex((line) => line.includes("across-2")));
  });

  it("--watch-only prints only what changes", async () => {
    const stream = await watch(["cm", "-n", ns, "--watch-only"]);
    expect(stream.lines.filter((line) => line.trim() !== "")).toEqual([]);
    await create(ns, "only-new");
    await eventually(() => rowsStartingWith(stream, "only-new").length === 1, 20_000, "a row for the new ConfigMap");
    expect(rowsStartingWith(stream, "existing")).toHaveLength(0);
  });

  it("--output-watch-events names ADDED, MODIFIED and DELETED", async () => {
    const stream = await watch(["cm", "-n", ns, "--watch-only", "--output-watch-events"]);
    await create(ns, "evented");
    await kubectlOk(["label", "cm", "evented", "-n", ns, "x=y"], { version });
    await kubectlOk(["delete", "cm", "evented", "-n", ns], { version });
    await eventually(() => rowsStartingWith(stream, "DELETED", "evented").length === 1, 20_000, "the DELETED event");
    expect(
      stream.lines
        .map((line) => line.trim().split(/\s+/))
        .filter((columns) => columns[1] === "evented")
        .map((columns) => columns[0]),
    ).toEqual(["ADDED", "MODIFIED", "DELETED"]);
  });

  it("get -w with a label selector prints only matching objects", async () => {
    const stream = await watch(["cm", "-n", ns, "-l", "watched=yes", "--watch-only"]);
    await kubectlOk(["create", "-n", ns, "-f", "-"], { version, input: configMap("unlabelled") });
    await kubectlOk(["create", "-n", ns, "-f", "-"], { version, input: configMap("labelled", {}, { watched: "yes" }) });
    await eventually(() => rowsStartingWith(stream, "labelled").length === 1, 20_000, "the labelled ConfigMap");
    expect(rowsStartingWith(stream, "unlabelled")).toHaveLength(0);
  });
});
