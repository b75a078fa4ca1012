// The framework's cycle (sampling, scoring, tie-breaks), FailedScheduling messages, preemption
// and the scheduling queue.
import { describe, expect, it } from "vitest";
import { fitErrorMessage } from "../../api/scheduler/fit-error.ts";
import { numFeasibleNodesToFind, Scheduler, type Diagnosis } from "../../api/scheduler/framework.ts";
import { pickCandidate, preempt, type Candidate } from "../../api/scheduler/plugins/default-preemption.ts";
import { SchedulingQueue } from "../../api/scheduler/queue.ts";
import { defaultProfile } from "../../api/scheduler/registry.ts";
import { Nominator } from "../../api/scheduler/nominator.ts";
import { ListSnapshot } from "../../api/scheduler/snapshot.ts";
import { unresolvable, unschedulable } from "../../api/scheduler/status.ts";
import { nodeInfo, pod } from "./scheduler-fixtures.ts";

describe("numFeasibleNodesToFind", () => {
  it.each([
    [50, 50],
    [100, 100],
    [1000, 420], // 50 - 1000/125 = 42 %
    [5000, 500], // 10 %
    [10_000, 500], // floor of 5 %
    [20_000, 1000],
  ])("%i nodes → look for %i", (nodes, want) => {
    expect(numFeasibleNodesToFind(nodes)).toBe(want);
  });
});

describe("fitErrorMessage", () => {
  const diagnosis = (statuses: Array<[string, ReturnType<typeof unschedulable>]>, post?: string): Diagnosis => ({
    numAllNodes: statuses.length,
    nodeStatuses: new Map(statuses),
    unschedulablePlugins: new Set(),
    ...(post ? { postFilterMsg: post } : {}),
  });
  it("sorts the reason histogram and appends the preemption outcome", () => {
    const d = diagnosis(
      [
        ["a", unschedulable("Insufficient cpu")],
        ["b", unschedulable("Insufficient cpu")],
        ["c", unresolvable("node(s) had untolerated taint {key: value}")],
      ],
      "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(fitErrorMessage(d)).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {key: value}, 2 Insufficient cpu. " +
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });
  it("counts every reason of a node", () => {
    const d = diagnosis([["a", unschedulable("Insufficient cpu", "Insufficient memory")]]);
    expect(fitErrorMessage(d)).toBe("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.");
  });
  it("no nodes at all", () => {
    expect(fitErrorMessage(diagnosis([]))).toBe("no nodes available to schedule pods");
  });
});

describe("Scheduler.schedule", () => {
  it("picks the least allocated node", () => {
    const nodes = [
      nodeInfo("busy", { cpu: "4" }, [pod("x", { cpu: "3" })]),
      nodeInfo("idle", { cpu: "4" }),
      nodeInfo("half", { cpu: "4" }, [pod("y", { cpu: "2" })]),
    ];
    const result = new Scheduler(defaultProfile()).schedule(pod("p", { cpu: "500m" }), new ListSnapshot(nodes));
    expect(result.node).toBe("idle");
  });

  it("breaks ties at random among equal nodes", () => {
    const nodes = [nodeInfo("a"), nodeInfo("b"), nodeInfo("c")];
    const seen = new Set<string>();
    let seed = 0;
    const random = () => (seed = (seed * 9301 + 49297) % 233280) / 233280;
    const scheduler = new Scheduler(defaultProfile(), random);
    for (let i = 0; i < 30; i++) seen.add(scheduler.schedule(pod(`p${i}`), new ListSnapshot(nodes)).node ?? "");
    expect([...seen].sort()).toEqual(["a", "b", "c"]);
  });

  it("samples a share of big clusters and rotates where it starts", () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => nodeInfo(`n${i}`));
    const scheduler = new Scheduler(defaultProfile());
    const first = scheduler.schedule(pod("a"), new ListSnapshot(nodes));
    expect(first).toMatchObject({ evaluatedNodes: 420, feasibleNodes: 420 });
    const second = scheduler.schedule(pod("b"), new ListSnapshot(nodes));
    expect(second).toMatchObject({ evaluatedNodes: 420 });
  });

  it("reports every node's rejection when nothing fits", () => {
    const nodes = [
      nodeInfo("small", { cpu: "1" }),
      nodeInfo("tainted", { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }),
    ];
    const result = new Scheduler(defaultProfile()).schedule(pod("p", { cpu: "2" }), new ListSnapshot(nodes));
    expect(result.node).toBeUndefined();
    if (result.node !== undefined) return;
    expect(fitErrorMessage(result.diagnosis)).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: v}.",
    );
    expect([...result.diagnosis.unschedulablePlugins].sort()).toEqual(["NodeResourcesFit", "TaintToleration"]);
  });

  it("tries the nominated node first", () => {
    const nodes = [nodeInfo("a"), nodeInfo("b"), nodeInfo("c")];
    const nominated = { ...pod("p"), nominatedNodeName: "c" };
    expect(new Scheduler(defaultProfile()).schedule(nominated, new ListSnapshot(nodes))).toMatchObject({
      node: "c",
      evaluatedNodes: 1,
    });
  });
});

describe("nominated pods (room reserved by preemption)", () => {
  /** Nodes plus pods nominated to them, as the scheduler cache answers it. */
  const snapshotWith = (nodes: ReturnType<typeof nodeInfo>[], nominated: Array<[ReturnType<typeof pod>, string]>) => {
    const nominator = new Nominator();
    for (const [p, node] of nominated) nominator.set(p, node);
    return Object.assign(new ListSnapshot(nodes), {
      nominatedAhead: (node: string, p: ReturnType<typeof pod>) => nominator.ahead(node, p),
    });
  };

  it("a pod of lower priority does not take the room a nominated pod waits for", () => {
    const preemptor = pod("preemptor", { cpu: "1500m", priority: 100 });
    const snapshot = snapshotWith([nodeInfo("a", { cpu: "2" })], [[preemptor, "a"]]);
    const result = new Scheduler(defaultProfile()).schedule(pod("low", { cpu: "1", priority: 0 }), snapshot);
    expect(result.node).toBeUndefined();
    expect(fitErrorMessage(result.node === undefined ? result.diagnosis : ({} as Diagnosis))).toBe(
      "0/1 nodes are available: 1 Insufficient cpu.",
    );
  });

  it("a pod of lower priority still fits beside it, and one of higher priority ignores it", () => {
    const preemptor = pod("preemptor", { cpu: "1", priority: 100 });
    const snapshot = snapshotWith([nodeInfo("a", { cpu: "2" })], [[preemptor, "a"]]);
    const scheduler = new Scheduler(defaultProfile());
    expect(scheduler.schedule(pod("small", { cpu: "1", priority: 0 }), snapshot).node).toBe("a");
    expect(scheduler.schedule(pod("urgent", { cpu: "2", priority: 1000 }), snapshot).node).toBe("a");
  });

  it("the nominated pod itself is not in its own way", () => {
    const preemptor = { ...pod("preemptor", { cpu: "2", priority: 100 }), nominatedNodeName: "a" };
    const snapshot = snapshotWith([nodeInfo("a", { cpu: "2" })], [[preemptor, "a"]]);
    expect(new Scheduler(defaultProfile()).schedule(preemptor, snapshot).node).toBe("a");
  });

  it("the Nominator keeps one nomination per pod and forgets cleared ones", () => {
    const nominator = new Nominator();
    const p = pod("p", { priority: 5 });
    const low = pod("low", { priority: 1 });
    nominator.set(p, "a");
    nominator.set(p, "b");
    expect(nominator.ahead("a", low)).toEqual([]);
    expect(nominator.ahead("b", low).map((x) => x.name)).toEqual(["p"]);
    expect(nominator.ahead("b", pod("higher", { priority: 9 }))).toEqual([]);
    nominator.set(p, "");
    expect(nominator.size).toBe(0);
    expect(nominator.ahead("b", low)).toEqual([]);
  });
});

describe("DefaultPreemption", () => {
  const profile = defaultProfile();
  const run = (incoming: ReturnType<typeof pod>, nodes: ReturnType<typeof nodeInfo>[], budgets = []) => {
    const snapshot = new ListSnapshot(nodes);
    const result = new Scheduler(profile).schedule(incoming, snapshot);
    if (result.node !== undefined) throw new Error("it fits");
    return preempt(profile, incoming, snapshot, result.diagnosis, budgets);
  };

  it("evicts the fewest, lowest-priority pods needed, and reprieves the rest", () => {
    const nodes = [
      nodeInfo("n1", { cpu: "2" }, [pod("low-a", { cpu: "1", priority: 1 }), pod("low-b", { cpu: "1", priority: 2 })]),
      nodeInfo("n2", { cpu: "2" }, [pod("mid", { cpu: "2", priority: 50 })]),
    ];
    const result = run(pod("high", { cpu: "1", priority: 100 }), nodes);
    expect("candidate" in result && result.candidate.node).toBe("n1");
    expect("candidate" in result && result.candidate.victims.map((v) => v.name)).toEqual(["low-a"]);
  });

  it("never preempts equal or higher priority", () => {
    const nodes = [nodeInfo("n1", { cpu: "1" }, [pod("peer", { cpu: "1", priority: 10 })])];
    expect(run(pod("p", { cpu: "1", priority: 10 }), nodes)).toEqual({
      message: "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      clearNomination: true,
    });
  });

  it("unresolvable nodes are not helpful; preemptionPolicy Never is not eligible", () => {
    const nodes = [nodeInfo("tainted", { taints: [{ key: "k", effect: "NoSchedule" }] })];
    expect(run(pod("p", { priority: 100 }), nodes)).toMatchObject({
      message: "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    });
    const polite = pod("polite", { cpu: "2", priority: 100, spec: { preemptionPolicy: "Never" } });
    expect(run(polite, [nodeInfo("n", { cpu: "1" })])).toEqual({
      message: "preemption: not eligible due to preemptionPolicy=Never.",
      clearNomination: false,
    });
  });

  it("prefers victims whose PodDisruptionBudget allows the disruption", () => {
    const nodes = [
      nodeInfo("guarded", { cpu: "1" }, [pod("g", { cpu: "1", priority: 1, labels: { app: "guarded" } })]),
      nodeInfo("free", { cpu: "1" }, [pod("f", { cpu: "1", priority: 1, labels: { app: "free" } })]),
    ];
    const budgets = [
      {
        namespace: "default",
        selector: [{ key: "app", operator: "Equals" as const, values: ["guarded"] }],
        disruptionsAllowed: 0,
      },
    ];
    const result = run(pod("p", { cpu: "1", priority: 100 }), nodes, budgets as never);
    expect("candidate" in result && result.candidate.node).toBe("free");
  });

  it("picks by PDB violations, then highest victim priority, then priority sum (which counts victims first)", () => {
    const victim = (priority: number) => pod(`v${priority}`, { priority });
    const c = (node: string, victims: number[], pdbViolations = 0): Candidate => ({
      node,
      victims: victims.map(victim),
      pdbViolations,
    });
    expect(pickCandidate([c("a", [1], 1), c("b", [5])])?.node).toBe("b");
    expect(pickCandidate([c("a", [9]), c("b", [5, 5])])?.node).toBe("b");
    expect(pickCandidate([c("a", [5, 5]), c("b", [5, 1])])?.node).toBe("b");
    expect(pickCandidate([c("a", [5, 1]), c("b", [5, 2])])?.node).toBe("a");
    expect(pickCandidate([c("a", [5, 1, 1]), c("b", [5, 2])])?.node).toBe("b");
  });
});

describe("SchedulingQueue", () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("pops by priority, then by arrival", () => {
    const t = clock();
    const q = new SchedulingQueue(t.now);
    q.add(pod("low", { priority: 1 }));
    t.advance(1);
    q.add(pod("high", { priority: 100 }));
    t.advance(1);
    q.add(pod("low-later", { priority: 1 }));
    expect([q.pop()?.name, q.pop()?.name, q.pop()?.name, q.pop()]).toEqual(["high", "low", "low-later", undefined]);
  });

  it("unschedulable pods wait for an event that may help, then back off", () => {
    const t = clock();
    const q = new SchedulingQueue(t.now);
    q.add(pod("p"));
    const p = q.pop()!;
    q.unschedulable(p.key, new Set(["TaintToleration"]));
    expect(q.states()).toEqual({ "default/p": "unschedulable" });
    // A pod deletion frees resources, but this pod was rejected for a taint.
    expect(q.onEvent("AssignedPodDelete")).toBe(0);
    expect(q.onEvent("NodeUpdate")).toBe(1);
    expect(q.states()).toEqual({ "default/p": "backoff" });
    expect(q.nextBackoffExpiry()).toBe(t.now() + 1000);
    t.advance(1000);
    q.flushBackoff();
    expect(q.pop()?.name).toBe("p");
    // The second failure doubles the backoff.
    q.unschedulable(p.key, new Set(["NodeResourcesFit"]));
    q.onEvent("AssignedPodDelete");
    expect(q.nextBackoffExpiry()).toBe(t.now() + 2000);
  });

  it("a node event wakes a pod its node affinity kept out only if that node now matches it", () => {
    const t = clock();
    const q = new SchedulingQueue(t.now);
    q.add(pod("p"));
    const p = q.pop()!;
    q.unschedulable(p.key, new Set(["NodeAffinity"]));
    expect(q.onEvent("NodeUpdate", () => false)).toBe(0);
    expect(q.states()).toEqual({ "default/p": "unschedulable" });
    expect(q.onEvent("NodeUpdate", (candidate) => candidate.name === "p")).toBe(1);
    // Rejected for other reasons too: any node change may help, as before.
    const other = pod("q");
    q.add(other);
    q.pop();
    q.pop();
    q.unschedulable(other.key, new Set(["NodeAffinity", "NodeResourcesFit"]));
    expect(q.onEvent("NodeAdd", () => false)).toBe(1);
  });

  it("an event during the pod's cycle sends it to backoff instead of waiting", () => {
    const t = clock();
    const q = new SchedulingQueue(t.now);
    q.add(pod("p"));
    const p = q.pop()!;
    q.onEvent("NodeAdd");
    q.unschedulable(p.key, new Set(["NodeResourcesFit"]));
    expect(q.states()).toEqual({ "default/p": "backoff" });
  });

  it("a pod update retries it only when its spec or labels changed", () => {
    const t = clock();
    const q = new SchedulingQueue(t.now);
    const p = pod("p");
    q.add(p);
    q.pop();
    q.unschedulable(p.key, new Set(["NodeAffinity"]));
    q.add({ ...p, nominatedNodeName: "x" });
    expect(q.states()).toEqual({ "default/p": "unschedulable" });
    t.advance(5000);
    q.add({ ...p, signature: "changed" });
    expect(q.states()).toEqual({ "default/p": "active" });
  });
});
