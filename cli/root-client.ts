// Calls to the deployment's cluster registry with the root administrator's token.
import { Agent, fetch } from "undici";
import { isLoopbackServer } from "../node-daemon/api/client.ts";
import { rootToken, serverUrl } from "./paths.ts";

const BASE = "/apis/tenancy.flotilla.dev/v1alpha1/logicalclusters";

export interface RootClientOptions {
  server?: string;
  token?: string;
}

export class RootClient {
  readonly server: string;
  private readonly token: string;

  private readonly dispatcher: Agent;

  constructor(options: RootClientOptions = {}) {
    this.server = (options.server ?? serverUrl()).replace(/\/$/, "");
    this.token = options.token ?? rootToken();
    this.dispatcher = new Agent({ connect: { rejectUnauthorized: !isLoopbackServer(this.server) } });
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(this.server + path, {
      dispatcher: this.dispatcher,
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (e.g. a proxy error page): keep the text.
    }
    return { status: response.status, body: parsed };
  }

  private static fail(what: string, result: { status: number; body: any }): never {
    const message = typeof result.body === "object" && result.body?.message ? result.body.message : String(result.body);
    throw new Error(`${what}: ${message} (HTTP ${result.status})`);
  }

  /** Creates the cluster; answers false when it already existed. */
  async createCluster(name: string, type: "Standard" | "Federation" = "Standard"): Promise<boolean> {
    const result = await this.call("POST", BASE, {
      apiVersion: "tenancy.flotilla.dev/v1alpha1",
      kind: "LogicalCluster",
      metadata: { name },
      spec: { type },
    });
    if (result.status === 201) return true;
    if (result.status === 409) return false;
    RootClient.fail(`creating cluster ${name}`, result);
  }

  async listClusters(): Promise<Array<{ name: string; type: string; phase: string; created: string }>> {
    const result = await this.call("GET", BASE);
    if (result.status !== 200) RootClient.fail("listing clusters", result);
    return result.body.items.map((item: any) => ({
      name: item.metadata.name,
      type: item.spec?.type ?? "Standard",
      phase: item.status?.phase ?? "",
      created: item.metadata.creationTimestamp,
    }));
  }

  async deleteCluster(name: string): Promise<void> {
    const result = await this.call("DELETE", `${BASE}/${encodeURIComponent(name)}`);
    if (result.status !== 200 && result.status !== 202) RootClient.fail(`deleting cluster ${name}`, result);
  }

  async mintToken(cluster: string, role: "admin" | "node" = "admin", subject?: string): Promise<string> {
    const result = await this.call("POST", `${BASE}/${encodeURIComponent(cluster)}/token`, { spec: { role, subject } });
    if (result.status !== 201) RootClient.fail(`minting a token for cluster ${cluster}`, result);
    return result.body.status.token;
  }

  /** Server-side applies `object` at `path` of a cluster's API (created when missing). */
  async applyIn(cluster: string, path: string, object: unknown): Promise<void> {
    const response = await fetch(
      `${this.server}/clusters/${encodeURIComponent(cluster)}${path}?fieldManager=flotilla&force=true`,
      {
        dispatcher: this.dispatcher,
        method: "PATCH",
        headers: {
          authorization: `Bearer ${this.token}`,
          "content-type": "application/apply-patch+yaml",
          accept: "application/json",
        },
        body: JSON.stringify(object),
      },
    );
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = JSON.parse(text).message ?? text;
      } catch {
        // Not a Status: show the text.
      }
      throw new Error(`applying ${path} in cluster ${cluster}: ${message} (HTTP ${response.status})`);
    }
  }

  /** Whether `path` of a cluster's API exists (200) or not (404). */
  async existsIn(cluster: string, path: string): Promise<boolean> {
    const response = await fetch(`${this.server}/clusters/${encodeURIComponent(cluster)}${path}`, {
      dispatcher: this.dispatcher,
      headers: { authorization: `Bearer ${this.token}`, accept: "application/json" },
    });
    const text = await response.text();
    if (response.status === 404) return false;
    if (!response.ok) throw new Error(`reading ${path} in cluster ${cluster}: ${text} (HTTP ${response.status})`);
    return true;
  }

  /** Deletes `path` of a cluster's API; a missing object is fine. */
  async deleteIn(cluster: string, path: string): Promise<void> {
    const response = await fetch(`${this.server}/clusters/${encodeURIComponent(cluster)}${path}`, {
      dispatcher: this.dispatcher,
      method: "DELETE",
      headers: { authorization: `Bearer ${this.token}`, accept: "application/json" },
    });
    const text = await response.text();
    if (!response.ok && response.status !== 404)
      throw new Error(`deleting ${path} in cluster ${cluster}: ${text} (HTTP ${response.status})`);
  }

  async tokenWorks(cluster: string, token: string): Promise<boolean> {
    const response = await fetch(`${this.server}/clusters/${cluster}/api`, {
      dispatcher: this.dispatcher,
      headers: { authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    return response.ok;
  }
}
