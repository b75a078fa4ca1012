import { describe, expect, it } from "vitest";
import { printerFor, printers } from "../../api/printers/index.ts";
import type { TableConvertor } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";

const now = new Date("2024-06-01T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Cells keyed by column name. */
function row(table: TableConvertor, obj: unknown): Record<string, unknown> {
  const cells = table.cells(obj as KubeObject, now);
  expect(cells).toHaveLength(table.columns.length);
  return Object.fromEntries(table.columns.map((c, i) => [c.name, cells[i]]));
}

const names = (table: TableConvertor, priority = 0) =>
  table.columns.filter((c) => c.priority === priority).map((c) => c.name);

describe("every printer", () => {
  it("starts with a name-formatted Name column (events keep it last, wide)", () => {
    for (const [key, table] of Object.entries(printers)) {
      const name = table.columns.find((c) => c.format === "name");
      expect(name, key).toBeDefined();
      expect(name!.type).toBe("string");
      if (!key.startsWith("events")) expect(table.columns[0], key).toBe(name);
    }
  });
  it("falls back to NAME / CREATED AT", () => {
    const table = printerFor("example.com", "widgets");
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ["Name", "string"],
      ["Created At", "date"],
    ]);
    const obj = { metadata: { name: "w", creationTimestamp: "2024-05-01T10:00:00.123Z" } };
    expect(table.cells(obj, now)).toEqual(["w", "2024-05-01T10:00:00Z"]);
  });
});

describe("pods", () => {
  const pods = printers.pods!;
  const base = (status: object, spec: object = {}, meta: object = {}) => ({
    metadata: { name: "web-1", namespace: "default", creationTimestamp: ago(3 * HOUR + 5 * MIN), ...meta },
    spec: { containers: [{ name: "app", image: "nginx" }], ...spec },
    status,
  });

  it("has kube's columns", () => {
    expect(names(pods)).toEqual(["Name", "Ready", "Status", "Restarts", "Age"]);
    expect(names(pods, 1)).toEqual(["IP", "Node", "Nominated Node", "Readiness Gates"]);
  });

  it("prints a running pod", () => {
    const pod = base(
      {
        phase: "Running",
        podIP: "10.0.0.5",
        podIPs: [{ ip: "10.0.0.5" }],
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [
          { name: "app", ready: true, restartCount: 0, state: { running: { startedAt: ago(HOUR) } } },
        ],
      },
      { nodeName: "node-a" },
    );
    expect(row(pods, pod)).toEqual({
      Name: "web-1",
      Ready: "1/1",
      Status: "Running",
      Restarts: "0",
      Age: "3h5m",
      IP: "10.0.0.5",
      Node: "node-a",
      "Nominated Node": "<none>",
      "Readiness Gates": "<none>",
    });
  });

  it("prints a crash-looping pod with the last restart age", () => {
    const pod = base(
      {
        phase: "Running",
        containerStatuses: [
          {
            name: "app",
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(5 * MIN) } },
          },
        ],
      },
      { readinessGates: [{ conditionType: "example.com/gate" }] },
    );
    const r = row(pods, pod);
    expect(r.Ready).toBe("0/1");
    expect(r.Status).toBe("CrashLoopBackOff");
    expect(r.Restarts).toBe("3 (5m ago)");
    expect(r.IP).toBe("<none>");
    expect(r["Readiness Gates"]).toBe("0/1");
  });

  it("prints init progress", () => {
    const spec = {
      initContainers: [
        { name: "migrate", image: "busybox" },
        { name: "warm", image: "busybox" },
      ],
    };
    const waiting = base(
      {
        phase: "Pending",
        initContainerStatuses: [
          {
            name: "migrate",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: "Completed" } },
          },
          { name: "warm", ready: false, restartCount: 0, state: { running: {} } },
        ],
        containerStatuses: [
          { name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
        ],
      },
      spec,
    );
    expect(row(pods, waiting).Status).toBe("Init:1/2");
    const failing = base(
      {
        phase: "Pending",
        initContainerStatuses: [
          { name: "migrate", restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } } },
          { name: "warm", restartCount: 0, state: { waiting: { reason: "PodInitializing" } } },
        ],
      },
      spec,
    );
    expect(row(pods, failing)).toMatchObject({ Status: "Init:CrashLoopBackOff", Restarts: "2" });
    const exited = base(
      { phase: "Pending", initContainerStatuses: [{ name: "migrate", state: { terminated: { exitCode: 3 } } }] },
      spec,
    );
    expect(row(pods, exited).Status).toBe("Init:ExitCode:3");
  });

  it("counts started sidecars as containers", () => {
    const pod = base(
      {
        phase: "Running",
        conditions: [{ type: "Initialized", status: "True" }],
        initContainerStatuses: [{ name: "proxy", ready: true, started: true, restartCount: 1, state: { running: {} } }],
        containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: { running: {} } }],
      },
      { initContainers: [{ name: "proxy", image: "envoy", restartPolicy: "Always" }] },
    );
    expect(row(pods, pod)).toMatchObject({ Ready: "2/2", Status: "Running", Restarts: "1" });
  });

  it("prints Terminating once deletion starts", () => {
    const pod = base(
      { phase: "Running", containerStatuses: [{ name: "app", ready: true, state: { running: {} } }] },
      {},
      { deletionTimestamp: ago(0) },
    );
    expect(row(pods, pod).Status).toBe("Terminating");
    const lost = base({ phase: "Running", reason: "NodeLost" }, {}, { deletionTimestamp: ago(0) });
    expect(row(pods, lost).Status).toBe("Unknown");
  });

  it("prints Completed for a finished pod, and keeps it despite deletion", () => {
    const pod = base(
      {
        phase: "Succeeded",
        containerStatuses: [
          { name: "app", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        ],
      },
      {},
      { deletionTimestamp: ago(0) },
    );
    expect(row(pods, pod)).toMatchObject({ Ready: "0/1", Status: "Completed" });
  });

  it("prints the scheduling gate and the phase of a fresh pod", () => {
    expect(row(pods, base({ phase: "Pending" })).Status).toBe("Pending");
    const gated = base({
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
    });
    expect(row(pods, gated).Status).toBe("SchedulingGated");
    const creating = base({
      phase: "Pending",
      containerStatuses: [{ name: "app", ready: false, state: { waiting: { reason: "ContainerCreating" } } }],
    });
    expect(row(pods, creating).Status).toBe("ContainerCreating");
  });
});

describe("deployments and replica sets", () => {
  const deployment = {
    metadata: { name: "web", creationTimestamp: ago(2 * 24 * HOUR) },
    spec: {
      replicas: 3,
      selector: {
        matchLabels: { app: "web" },
        matchExpressions: [{ key: "tier", operator: "In", values: ["front", "edge"] }],
      },
      template: {
        spec: {
          containers: [
            { name: "app", image: "nginx:1.27" },
            { name: "sidecar", image: "envoy:1.30" },
          ],
        },
      },
    },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };

  it("prints READY as ready/desired and the wide columns", () => {
    const table = printers["deployments.apps"]!;
    expect(names(table)).toEqual(["Name", "Ready", "Up-to-date", "Available", "Age"]);
    expect(row(table, deployment)).toEqual({
      Name: "web",
      Ready: "2/3",
      "Up-to-date": 3,
      Available: 2,
      Age: "2d",
      Containers: "app,sidecar",
      Images: "nginx:1.27,envoy:1.30",
      Selector: "app=web,tier in (edge,front)",
    });
  });

  it("prints replica sets and their selector", () => {
    const rs = { ...deployment, metadata: { name: "web-5d9c", creationTimestamp: ago(MIN) } };
    expect(row(printers["replicasets.apps"]!, rs)).toMatchObject({
      Desired: 3,
      Current: 3,
      Ready: 2,
      Age: "60s",
      Selector: "app=web,tier in (edge,front)",
    });
  });

  it("prints stateful sets, daemon sets and controller revisions", () => {
    const sts = { ...deployment, status: { readyReplicas: 1 } };
    expect(row(printers["statefulsets.apps"]!, sts)).toMatchObject({ Ready: "1/3" });
    const ds = {
      metadata: { name: "agent", creationTimestamp: ago(HOUR) },
      spec: {
        selector: { matchLabels: { app: "agent" } },
        template: {
          spec: { nodeSelector: { "kubernetes.io/os": "linux" }, containers: [{ name: "a", image: "a:1" }] },
        },
      },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2 },
    };
    expect(row(printers["daemonsets.apps"]!, ds)).toMatchObject({
      Desired: 2,
      Current: 2,
      Ready: 1,
      "Up-to-date": 2,
      Available: 0,
      "Node Selector": "kubernetes.io/os=linux",
      Selector: "app=agent",
    });
    const rev = {
      metadata: {
        name: "web-7f9",
        creationTimestamp: ago(HOUR),
        ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "u", controller: true }],
      },
      revision: 2,
    };
    expect(row(printers["controllerrevisions.apps"]!, rev)).toMatchObject({
      Controller: "statefulset.apps/web",
      Revision: 2,
    });
  });
});

describe("services", () => {
  const services = printers.services!;
  const svc = (spec: object, status: object = {}) => ({
    metadata: { name: "web", creationTimestamp: ago(10 * MIN) },
    spec,
    status,
  });

  it("prints a ClusterIP service", () => {
    expect(
      row(
        services,
        svc({
          type: "ClusterIP",
          clusterIP: "10.96.0.10",
          clusterIPs: ["10.96.0.10"],
          ports: [
            { port: 80, protocol: "TCP" },
            { port: 53, protocol: "UDP" },
          ],
          selector: { app: "web", tier: "front" },
        }),
      ),
    ).toEqual({
      Name: "web",
      Type: "ClusterIP",
      "Cluster-IP": "10.96.0.10",
      "External-IP": "<none>",
      "Port(s)": "80/TCP,53/UDP",
      Age: "10m",
      Selector: "app=web,tier=front",
    });
  });

  it("prints node ports and load balancer addresses", () => {
    const lb = svc(
      { type: "LoadBalancer", clusterIPs: ["10.96.1.1"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }] },
      { loadBalancer: { ingress: [{ ip: "203.0.113.7" }] } },
    );
    expect(row(services, lb)).toMatchObject({ "External-IP": "203.0.113.7", "Port(s)": "80:30080/TCP" });
    const pending = svc({ type: "LoadBalancer", clusterIPs: ["10.96.1.1"], ports: [] });
    expect(row(services, pending)).toMatchObject({
      "External-IP": "<pending>",
      "Port(s)": "<none>",
      Selector: "<none>",
    });
    const headless = svc({ type: "ClusterIP", clusterIP: "None", clusterIPs: ["None"] });
    expect(row(services, headless)["Cluster-IP"]).toBe("None");
    const ext = svc({ type: "ExternalName", externalName: "db.example.com" });
    expect(row(services, ext)).toMatchObject({ "Cluster-IP": "<none>", "External-IP": "db.example.com" });
  });

  it("prints endpoints with a cap of three", () => {
    const ep = {
      metadata: { name: "web", creationTimestamp: ago(MIN) },
      subsets: [
        {
          addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }, { ip: "10.0.0.3" }, { ip: "fd00::4" }],
          ports: [{ port: 8080 }],
        },
      ],
    };
    expect(row(printers.endpoints!, ep).Endpoints).toBe("10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 1 more...");
    expect(row(printers.endpoints!, { metadata: { name: "x" } }).Endpoints).toBe("<none>");
    const slice = {
      metadata: { name: "web-abc" },
      addressType: "IPv4",
      ports: [{ port: 8080 }, { name: "metrics" }],
      endpoints: [{ addresses: ["10.0.0.1"] }, { addresses: ["10.0.0.2"] }],
    };
    expect(row(printers["endpointslices.discovery.k8s.io"]!, slice)).toMatchObject({
      AddressType: "IPv4",
      Ports: "8080,metrics",
      Endpoints: "10.0.0.1,10.0.0.2",
    });
  });
});

describe("nodes", () => {
  const node = (conditions: object[], extra: object = {}) => ({
    metadata: {
      name: "node-a",
      creationTimestamp: ago(30 * 24 * HOUR),
      labels: {
        "node-role.kubernetes.io/control-plane": "",
        "node-role.kubernetes.io/worker": "",
        "kubernetes.io/os": "linux",
      },
    },
    status: {
      conditions,
      addresses: [
        { type: "Hostname", address: "node-a" },
        { type: "InternalIP", address: "192.168.1.10" },
      ],
      nodeInfo: {
        kubeletVersion: "v1.30.2",
        osImage: "Ubuntu 22.04.4 LTS",
        kernelVersion: "6.5.0-1020",
        containerRuntimeVersion: "containerd://1.7.18",
      },
    },
    ...extra,
  });

  it("prints a ready node", () => {
    expect(row(printers.nodes!, node([{ type: "Ready", status: "True" }]))).toEqual({
      Name: "node-a",
      Status: "Ready",
      Roles: "control-plane,worker",
      Age: "30d",
      Version: "v1.30.2",
      "Internal-IP": "192.168.1.10",
      "External-IP": "<none>",
      "OS-Image": "Ubuntu 22.04.4 LTS",
      "Kernel-Version": "6.5.0-1020",
      "Container-Runtime": "containerd://1.7.18",
    });
  });

  it("prints NotReady, Unknown and SchedulingDisabled", () => {
    expect(row(printers.nodes!, node([{ type: "Ready", status: "Unknown" }])).Status).toBe("NotReady");
    expect(row(printers.nodes!, node([], { spec: { unschedulable: true } })).Status).toBe("Unknown,SchedulingDisabled");
  });
});

describe("jobs and cron jobs", () => {
  const job = (status: object, spec: object = {}, meta: object = {}) => ({
    metadata: { name: "pi", creationTimestamp: ago(10 * MIN), ...meta },
    spec: {
      completions: 3,
      parallelism: 1,
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "abc" } },
      template: { spec: { containers: [{ name: "pi", image: "perl:5.34" }] } },
      ...spec,
    },
    status,
  });

  it("prints a running job", () => {
    expect(row(printers["jobs.batch"]!, job({ startTime: ago(4 * MIN), succeeded: 1, active: 1 }))).toEqual({
      Name: "pi",
      Status: "Running",
      Completions: "1/3",
      Duration: "4m",
      Age: "10m",
      Containers: "pi",
      Images: "perl:5.34",
      Selector: "batch.kubernetes.io/controller-uid=abc",
    });
  });

  it("prints complete, failed, suspended and not-yet-started jobs", () => {
    const complete = job({
      startTime: ago(10 * MIN),
      completionTime: ago(10 * MIN - 75_000),
      succeeded: 3,
      conditions: [{ type: "Complete", status: "True" }],
    });
    expect(row(printers["jobs.batch"]!, complete)).toMatchObject({
      Status: "Complete",
      Completions: "3/3",
      Duration: "75s",
    });
    const failed = job({ startTime: ago(MIN), conditions: [{ type: "Failed", status: "True" }] });
    expect(row(printers["jobs.batch"]!, failed).Status).toBe("Failed");
    const suspended = job({ conditions: [{ type: "Suspended", status: "True" }] });
    expect(row(printers["jobs.batch"]!, suspended)).toMatchObject({ Status: "Suspended", Duration: "" });
    const parallel = job({}, { completions: undefined, parallelism: 4 });
    expect(row(printers["jobs.batch"]!, parallel).Completions).toBe("0/1 of 4");
  });

  it("prints cron jobs", () => {
    const cj = {
      metadata: { name: "nightly", creationTimestamp: ago(24 * HOUR) },
      spec: {
        schedule: "0 3 * * *",
        suspend: false,
        jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "busybox" }] } } } },
      },
      status: { lastScheduleTime: ago(9 * HOUR), active: [{ name: "nightly-1" }] },
    };
    expect(row(printers["cronjobs.batch"]!, cj)).toEqual({
      Name: "nightly",
      Schedule: "0 3 * * *",
      Timezone: "<none>",
      Suspend: "False",
      Active: 1,
      "Last Schedule": "9h",
      Age: "24h",
      Containers: "c",
      Images: "busybox",
      Selector: "<none>",
    });
  });
});

describe("other kinds", () => {
  it("prints events with kube's column order", () => {
    const table = printers.events!;
    expect(names(table)).toEqual(["Last Seen", "Type", "Reason", "Object", "Message"]);
    const ev = {
      metadata: { name: "web-1.17d", namespace: "default" },
      involvedObject: { kind: "Pod", name: "web-1", fieldPath: "spec.containers{app}" },
      reason: "Pulled",
      message: 'Successfully pulled image "nginx"\n',
      type: "Normal",
      source: { component: "kubelet", host: "node-a" },
      firstTimestamp: ago(5 * MIN),
      lastTimestamp: ago(MIN),
      count: 2,
    };
    expect(row(table, ev)).toEqual({
      "Last Seen": "60s",
      Type: "Normal",
      Reason: "Pulled",
      Object: "pod/web-1",
      Subobject: "spec.containers{app}",
      Source: "kubelet, node-a",
      Message: 'Successfully pulled image "nginx"',
      "First Seen": "5m",
      Count: 2,
      Name: "web-1.17d",
    });
    const v1 = {
      metadata: { name: "e2" },
      regarding: { kind: "Node", name: "node-a" },
      note: "Starting kubelet.",
      reason: "Starting",
      type: "Normal",
      eventTime: ago(2 * MIN),
      reportingController: "kubelet",
      reportingInstance: "node-a",
    };
    expect(row(printers["events.events.k8s.io"]!, v1)).toMatchObject({
      "Last Seen": "2m",
      Object: "node/node-a",
      Message: "Starting kubelet.",
      Source: "kubelet, node-a",
      Count: 1,
    });
  });

  it("prints config, secrets, volumes and quotas", () => {
    const meta = { name: "x", creationTimestamp: ago(MIN) };
    expect(row(printers.configmaps!, { metadata: meta, data: { a: "1", b: "2" }, binaryData: { c: "" } }).Data).toBe(3);
    expect(
      row(printers.secrets!, { metadata: meta, type: "kubernetes.io/tls", data: { "tls.crt": "", "tls.key": "" } }),
    ).toMatchObject({
      Type: "kubernetes.io/tls",
      Data: 2,
    });
    const pvc = {
      metadata: meta,
      spec: { volumeName: "pv-1", storageClassName: "standard", accessModes: ["ReadWriteOnce"] },
      status: { phase: "Bound", capacity: { storage: "1024Mi" }, accessModes: ["ReadWriteMany", "ReadWriteOnce"] },
    };
    expect(row(printers.persistentvolumeclaims!, pvc)).toMatchObject({
      Status: "Bound",
      Volume: "pv-1",
      Capacity: "1Gi",
      "Access Modes": "RWO,RWX",
      StorageClass: "standard",
      VolumeAttributesClass: "<unset>",
      VolumeMode: "<unset>",
    });
    const pv = {
      metadata: meta,
      spec: {
        capacity: { storage: "5Gi" },
        accessModes: ["ReadWriteOncePod"],
        persistentVolumeReclaimPolicy: "Retain",
        claimRef: { namespace: "default", name: "data" },
        volumeMode: "Filesystem",
      },
      status: { phase: "Bound" },
    };
    expect(row(printers.persistentvolumes!, pv)).toMatchObject({
      Capacity: "5Gi",
      "Access Modes": "RWOP",
      "Reclaim Policy": "Retain",
      Claim: "default/data",
      StorageClass: "",
      VolumeMode: "Filesystem",
    });
    const rq = {
      metadata: meta,
      status: {
        hard: { "limits.cpu": "2", pods: "10", "requests.memory": "1Gi" },
        used: { "limits.cpu": "500m", pods: "3" },
      },
    };
    expect(row(printers.resourcequotas!, rq)).toMatchObject({
      Request: "pods: 3/10, requests.memory: 0/1Gi",
      Limit: "limits.cpu: 500m/2",
    });
  });

  it("prints rbac, storage classes, PDBs, HPAs and priority classes", () => {
    const meta = { name: "x", creationTimestamp: ago(MIN) };
    expect(
      row(printers["roles.rbac.authorization.k8s.io"]!, {
        metadata: { name: "r", creationTimestamp: "2024-05-01T10:00:00Z" },
      }),
    ).toEqual({
      Name: "r",
      "Created At": "2024-05-01T10:00:00Z",
    });
    const rb = {
      metadata: meta,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [
        { kind: "User", name: "alice" },
        { kind: "Group", name: "devs" },
        { kind: "ServiceAccount", name: "ci", namespace: "build" },
        { kind: "User", name: "bob" },
      ],
    };
    expect(row(printers["rolebindings.rbac.authorization.k8s.io"]!, rb)).toMatchObject({
      Role: "ClusterRole/view",
      Users: "alice, bob",
      Groups: "devs",
      ServiceAccounts: "build/ci",
    });
    const sc = {
      metadata: { ...meta, name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
    };
    expect(row(printers["storageclasses.storage.k8s.io"]!, sc)).toMatchObject({
      Name: "standard (default)",
      ReclaimPolicy: "Delete",
      VolumeBindingMode: "WaitForFirstConsumer",
      AllowVolumeExpansion: false,
    });
    const pdb = { metadata: meta, spec: { minAvailable: "50%" }, status: { disruptionsAllowed: 1 } };
    expect(row(printers["poddisruptionbudgets.policy"]!, pdb)).toMatchObject({
      "Min Available": "50%",
      "Max Unavailable": "N/A",
      "Allowed Disruptions": 1,
    });
    const hpa = {
      metadata: meta,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "512Mi" } } },
        ],
      },
      status: {
        currentReplicas: 2,
        currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 20 } } }],
      },
    };
    expect(row(printers["horizontalpodautoscalers.autoscaling"]!, hpa)).toMatchObject({
      Reference: "Deployment/web",
      Targets: "cpu: 20%/50%, memory: <unknown>/512Mi",
      MinPods: "1",
      MaxPods: 10,
      Replicas: 2,
    });
    const v1 = {
      metadata: meta,
      spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 3, targetCPUUtilizationPercentage: 80 },
      status: { currentReplicas: 1 },
    };
    expect(row(printers["horizontalpodautoscalers.autoscaling"]!, v1).Targets).toBe("cpu: <unknown>/80%");
    const pc = { metadata: meta, value: 1000, globalDefault: true, preemptionPolicy: "Never" };
    expect(row(printers["priorityclasses.scheduling.k8s.io"]!, pc)).toMatchObject({
      Value: 1000,
      "Global-Default": true,
      PreemptionPolicy: "Never",
    });
    const lease = { metadata: meta, spec: { holderIdentity: "node-a" } };
    expect(row(printers["leases.coordination.k8s.io"]!, lease).Holder).toBe("node-a");
  });
});
