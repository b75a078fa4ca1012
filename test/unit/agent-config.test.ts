import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { connectionFromKubeconfig } from "../../federation-agent/config.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");

const kubeconfig = (cluster: object, user: object, extra: object = {}) =>
  stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "other", cluster: { server: "https://other.example" } },
      { name: "east", cluster },
    ],
    users: [{ name: "east-admin", user }],
    contexts: [
      { name: "other", context: { cluster: "other", user: "east-admin" } },
      { name: "east", context: { cluster: "east", user: "east-admin" } },
    ],
    "current-context": "east",
    ...extra,
  });

const noFiles = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

describe("connectionFromKubeconfig", () => {
  it("takes the current context's server and token; a trailing slash goes", () => {
    const text = kubeconfig({ server: "https://10.0.0.1:6443/" }, { token: "abc" });
    expect(connectionFromKubeconfig(text, { path: "/k/config", readFile: noFiles })).toEqual({
      server: "https://10.0.0.1:6443",
      token: "abc",
    });
  });

  it("honours --context over current-context", () => {
    const text = kubeconfig({ server: "https://east.example" }, { token: "abc" });
    expect(connectionFromKubeconfig(text, { path: "/k/config", context: "other", readFile: noFiles }).server).toBe(
      "https://other.example",
    );
  });

  it("decodes inline CA and client certificate data, and insecure-skip-tls-verify", () => {
    const text = kubeconfig(
      { server: "https://east.example", "certificate-authority-data": b64("CA PEM"), "insecure-skip-tls-verify": true },
      { "client-certificate-data": b64("CERT PEM"), "client-key-data": b64("KEY PEM") },
    );
    expect(connectionFromKubeconfig(text, { path: "/k/config", readFile: noFiles })).toEqual({
      server: "https://east.example",
      token: "",
      tls: { ca: "CA PEM", cert: "CERT PEM", key: "KEY PEM", insecureSkipVerify: true },
    });
  });

  it("reads files named relative to the kubeconfig's directory", () => {
    const files: Record<string, string> = { "/k/ca.crt": "CA", "/etc/token": "tok\n" };
    const text = kubeconfig(
      { server: "https://east.example", "certificate-authority": "ca.crt" },
      { tokenFile: "/etc/token" },
    );
    expect(connectionFromKubeconfig(text, { path: "/k/config", readFile: (p) => files[p] })).toEqual({
      server: "https://east.example",
      token: "tok",
      tls: { ca: "CA" },
    });
  });

  it("says what is missing", () => {
    const noUser = kubeconfig({ server: "https://east.example" }, {});
    expect(() => connectionFromKubeconfig(noUser, { path: "/k/config", readFile: noFiles })).toThrow(
      /no token or client certificate/,
    );
    const text = kubeconfig({ server: "https://east.example" }, { token: "t" });
    expect(() => connectionFromKubeconfig(text, { path: "/k/config", context: "nope", readFile: noFiles })).toThrow(
      'no context "nope"',
    );
    const noCurrent = kubeconfig({ server: "https://east.example" }, { token: "t" }, { "current-context": "" });
    expect(() => connectionFromKubeconfig(noCurrent, { path: "/k/config", readFile: noFiles })).toThrow(/--context/);
  });
});
