// propagateDeps: what a workload's pod template needs in its namespace.
import { describe, expect, it } from "vitest";
import { dependenciesOf } from "../../api/federation/dependencies.ts";

const podSpec = {
  serviceAccountName: "runner",
  imagePullSecrets: [{ name: "registry" }],
  volumes: [
    { name: "a", configMap: { name: "settings" } },
    { name: "b", secret: { secretName: "tls" } },
    { name: "c", persistentVolumeClaim: { claimName: "data" } },
    { name: "d", projected: { sources: [{ configMap: { name: "bundle" } }, { secret: { name: "keys" } }] } },
  ],
  initContainers: [{ name: "init", envFrom: [{ configMapRef: { name: "init-env" } }] }],
  containers: [
    {
      name: "app",
      env: [
        { name: "A", valueFrom: { configMapKeyRef: { name: "settings", key: "a" } } },
        { name: "B", valueFrom: { secretKeyRef: { name: "password", key: "b" } } },
        { name: "C", value: "plain" },
      ],
      envFrom: [{ secretRef: { name: "env-secret" } }],
    },
  ],
};

const names = (deps: { resource: string; name: string }[]) => deps.map((d) => `${d.resource}/${d.name}`);

describe("dependenciesOf", () => {
  it("finds every ConfigMap, Secret, claim and ServiceAccount a Deployment's pods use, once each", () => {
    const deployment = { metadata: { name: "web" }, spec: { template: { spec: podSpec } } };
    expect(names(dependenciesOf("Deployment", deployment))).toEqual([
      "configmaps/bundle",
      "configmaps/init-env",
      "configmaps/settings",
      "persistentvolumeclaims/data",
      "secrets/env-secret",
      "secrets/keys",
      "secrets/password",
      "secrets/registry",
      "secrets/tls",
      "serviceaccounts/runner",
    ]);
  });

  it("reads a CronJob's job template and a Pod's own spec; the default ServiceAccount is not a dependency", () => {
    const spec = { serviceAccountName: "default", volumes: [{ name: "a", configMap: { name: "cron-config" } }] };
    const cronJob = { metadata: { name: "c" }, spec: { jobTemplate: { spec: { template: { spec } } } } };
    expect(names(dependenciesOf("CronJob", cronJob))).toEqual(["configmaps/cron-config"]);
    expect(names(dependenciesOf("Pod", { metadata: { name: "p" }, spec }))).toEqual(["configmaps/cron-config"]);
  });

  it("kinds without pods have none", () => {
    expect(dependenciesOf("ConfigMap", { metadata: { name: "x" }, data: {} })).toEqual([]);
    expect(dependenciesOf("Service", { metadata: { name: "x" }, spec: { selector: { a: "b" } } })).toEqual([]);
  });
});
