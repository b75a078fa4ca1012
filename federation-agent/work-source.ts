// The agent's feed of Works: every Work in the federation labelled for its member, listed and
// then watched from the list's resourceVersion (a chunked HTTP watch, which any API server and
// any proxy between the member and the federation carries).
import { WORK_CLUSTER_LABEL, type Work } from "../api/federation/types.ts";
import type { ApiClient } from "../node-daemon/api/client.ts";
import type { ListWatchSource, WatchEvent } from "../node-daemon/informer/informer.ts";

const WORKS_PATH = "/apis/work.karmada.io/v1alpha1/works";

export class WorkSource implements ListWatchSource<Work> {
  private readonly api: ApiClient;
  private readonly selector: string;

  constructor(api: ApiClient, clusterName: string) {
    this.api = api;
    this.selector = encodeURIComponent(`${WORK_CLUSTER_LABEL}=${clusterName}`);
  }

  async list(signal: AbortSignal): Promise<{ items: Work[]; resourceVersion: string }> {
    const list = await this.api.get(`${WORKS_PATH}?labelSelector=${this.selector}`, { signal });
    return { items: list?.items ?? [], resourceVersion: list?.metadata?.resourceVersion ?? "" };
  }

  async watch(resourceVersion: string, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<Work>>> {
    // The server ends a watch after timeoutSeconds; a spread keeps a fleet of agents apart.
    const timeout = 240 + Math.floor(Math.random() * 120);
    const lines = await this.api.lines(
      `${WORKS_PATH}?labelSelector=${this.selector}&watch=true&allowWatchBookmarks=true` +
        `&resourceVersion=${encodeURIComponent(resourceVersion)}&timeoutSeconds=${timeout}`,
      { signal },
    );
    return parse(lines);
  }
}

async function* parse(lines: AsyncIterable<string>): AsyncGenerator<WatchEvent<Work>> {
  for await (const line of lines) yield JSON.parse(line) as WatchEvent<Work>;
}
