// Where a member's API is: this deployment (in-process) or another server.
import { describe, expect, it } from "vitest";
import { parseMemberEndpoint } from "../../api/federation/member-endpoint.ts";

describe("parseMemberEndpoint", () => {
  it("a /clusters/<name> endpoint on loopback or one of our hosts is local", () => {
    expect(parseMemberEndpoint("https://127.0.0.1:8787/clusters/east")).toEqual({
      kind: "local",
      cluster: "east",
      base: "https://127.0.0.1:8787/clusters/east",
    });
    expect(parseMemberEndpoint("https://localhost:8787/clusters/west/")).toMatchObject({
      kind: "local",
      cluster: "west",
    });
    expect(parseMemberEndpoint("https://flotilla.example.com/clusters/a", ["flotilla.example.com"])).toMatchObject({
      kind: "local",
      cluster: "a",
    });
  });

  it("the bare host of this deployment is local too (the member token names its cluster)", () => {
    expect(parseMemberEndpoint("https://127.0.0.1:8787")).toEqual({ kind: "local", base: "https://127.0.0.1:8787" });
  });

  it("anything else is remote; non-URLs and other schemes are invalid", () => {
    expect(parseMemberEndpoint("https://k8s.example.com:6443")).toEqual({
      kind: "remote",
      base: "https://k8s.example.com:6443",
    });
    expect(parseMemberEndpoint("https://127.0.0.1:8787/some/prefix")).toMatchObject({ kind: "remote" });
    expect(parseMemberEndpoint(undefined)).toMatchObject({ kind: "invalid" });
    expect(parseMemberEndpoint("not a url")).toMatchObject({ kind: "invalid" });
    expect(parseMemberEndpoint("ftp://127.0.0.1/clusters/a")).toMatchObject({ kind: "invalid" });
  });
});
