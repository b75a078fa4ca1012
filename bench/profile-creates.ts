// Where the control plane's CPU goes during ConfigMap creates: the production bundle on workerd
// with its inspector open, 16 clients creating 2,400 ConfigMaps (after 400 to warm up) into NS
// namespaces, a V8 CPU profile of the isolate meanwhile, printed as the functions with the most
// self and total time. CALLERS=fn:line,… (bundle lines, from the output) adds who calls those.
// Not part of the figures (the profiler slows the isolate down).
//
//   NS=1 node bench/profile-creates.ts
//   NS=50 CALLERS=get:33345 node bench/profile-creates.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configMap, startBenchRuntime } from "./lib/control-plane.ts";
import { openPool, runLoad, sendOne } from "./lib/load.ts";
import { callersOf, startProfiler, topSelfTime, topTotalTime } from "./lib/profiler.ts";

const NS = Number(process.env.NS ?? 1);
const workDir = mkdtempSync(join(tmpdir(), "flotilla-profile-"));
const rt = await startBenchRuntime(workDir, { inspectorPort: 9230 });
const { url, token } = rt;
const headers = { authorization: `Bearer ${token}`, accept: "application/json", "content-type": "application/json" };
const pool = openPool(url, 16);
for (let i = 0; i < NS; i++)
  await sendOne(pool, {
    method: "POST",
    path: "/clusters/bench/api/v1/namespaces",
    headers,
    body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: `ns${i}` } }),
  });
await runLoad(pool, 16, 400, (i) => ({
  method: "POST",
  path: `/clusters/bench/api/v1/namespaces/ns${i % NS}/configmaps`,
  headers,
  body: configMap(`ns${i % NS}`, `warm-${i}`, i),
}));
const profiler = await startProfiler(9230);
const result = await runLoad(pool, 16, 2400, (i) => ({
  method: "POST",
  path: `/clusters/bench/api/v1/namespaces/ns${i % NS}/configmaps`,
  headers,
  body: configMap(`ns${i % NS}`, `cm-${i}`, i),
}));
const profile = await profiler.stop();
console.log(`rate ${result.rate.toFixed(0)}/s p99 ${result.latency.p99.toFixed(1)}`);
console.log(["self:", ...topSelfTime(profile, 45), "", "total:", ...topTotalTime(profile, 90)].join("\n"));
for (const spec of (process.env.CALLERS ?? "").split(",").filter(Boolean)) {
  const [f, l] = spec.split(":");
  console.log(`callers of ${spec}:`, callersOf(profile, f, Number(l)).slice(0, 15).join("\n  "));
}
await pool.close();
await rt.dispose();
rmSync(workDir, { recursive: true, force: true });
