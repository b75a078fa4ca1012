import { describe, expect, it } from "vitest";
import { discoveryPath, findResource, parseApiVersion, resourcePath } from "../../federation-agent/resource-path.ts";

const appsV1 = {
  kind: "APIResourceList",
  groupVersion: "apps/v1",
  resources: [
    { name: "deployments/status", kind: "Deployment", namespaced: true },
    { name: "deployments", kind: "Deployment", namespaced: true },
    { name: "deployments/scale", kind: "Scale", namespaced: true },
  ],
};

describe("resource paths from discovery", () => {
  it("splits apiVersion into group and version (core has no group)", () => {
    expect(parseApiVersion("v1")).toEqual({ group: "", version: "v1" });
    expect(parseApiVersion("apps/v1")).toEqual({ group: "apps", version: "v1" });
    expect(discoveryPath(parseApiVersion("v1"))).toBe("/api/v1");
    expect(discoveryPath(parseApiVersion("stable.example.com/v1beta1"))).toBe("/apis/stable.example.com/v1beta1");
  });

  it("finds the kind's resource, skipping subresources", () => {
    expect(findResource(appsV1, "Deployment")).toEqual({ name: "deployments", kind: "Deployment", namespaced: true });
    expect(findResource(appsV1, "Scale")).toBeUndefined();
    expect(findResource(appsV1, "StatefulSet")).toBeUndefined();
    expect(findResource(undefined, "Deployment")).toBeUndefined();
  });

  it("builds namespaced and cluster-scoped object paths", () => {
    const gv = parseApiVersion("apps/v1");
    const deployments = { name: "deployments", kind: "Deployment", namespaced: true };
    expect(resourcePath(gv, deployments, "shop", "web")).toBe("/apis/apps/v1/namespaces/shop/deployments/web");
    expect(resourcePath(gv, deployments, "shop")).toBe("/apis/apps/v1/namespaces/shop/deployments");
    const namespaces = { name: "namespaces", kind: "Namespace", namespaced: false };
    expect(resourcePath(parseApiVersion("v1"), namespaces, undefined, "shop")).toBe("/api/v1/namespaces/shop");
  });
});
