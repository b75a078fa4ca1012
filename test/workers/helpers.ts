// Test client for the workerd suite: calls the Worker in-process, creates logical clusters through
// the root API, and reads chunked watch responses line by line.
import { exports } from "cloudflare:workers";
import type { KubeList, KubeObject, WatchEventType } from "../../api/types.ts";
import { namespacedControllers } from "../../durable-objects/controllers/namespaced/index.ts";

export const BASE = "https://flotilla.test";
export const ROOT_TOKEN = "test-root-token";
export const TENANCY = "/apis/tenancy.flotilla.dev/v1alpha1/logicalclusters";

/** The Worker under test (its default export, through the runtime's loopback). */
const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default;

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

/** A list response whose items are `T`. */
export type ListOf<T> = Omit<KubeList, "items"> & { items: T[] };

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export interface CallOptions {
  method?: string;
  token?: string | null;
  /** A JSON value (serialised) or raw text / bytes. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
}

/** One HTTP call to the Worker. `token: null` sends no Authorization header. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token !== null && options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
  if (options.accept) headers.set("accept", options.accept);
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === "string" || options.body instanceof Uint8Array) body = options.body;
    else body = JSON.stringify(options.body);
    headers.set("content-type", options.contentType ?? "application/json");
  } else if (options.contentType) headers.set("content-type", options.contentType);
  return worker.fetch(new Request(BASE + path, { method: options.method ?? "GET", headers, body }));
}

export interface JsonResult<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A call whose answer is JSON (a Status on failure). */
export async function callJson<T = unknown>(path: string, options: CallOptions = {}): Promise<JsonResult<T>> {
  const response = await call(path, options);
  const text = await response.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`${options.method ?? "GET"} ${path}: ${response.status} with a body that is not JSON: ${text}`);
  }
  return { status: response.status, body, headers: response.headers };
}

/** Asserts the HTTP status of a JSON call; the error names the call and its body. */
export function expectStatus<T>(result: { status: number; body: T }, code: number, what = "request"): T {
  if (result.status !== code) {
    throw new Error(`${what}: expected HTTP ${code}, got ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.body;
}

let counter = 0;
/** A name no other test (or test file) uses: DNS-label safe. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

// ---- the root API ----

export const root = {
  create: (name: string) =>
    callJson<KubeObject | Status>(TENANCY, {
      method: "POST",
      token: ROOT_TOKEN,
      body: { apiVersion: "tenancy.flotilla.dev/v1alpha1", kind: "LogicalCluster", metadata: { name } },
    }),
  get: (name: string) => callJson<KubeObject | Status>(`${TENANCY}/${name}`, { token: ROOT_TOKEN }),
  list: () => callJson<KubeList>(TENANCY, { token: ROOT_TOKEN }),
  delete: (name: string) =>
    callJson<KubeObject | Status>(`${TENANCY}/${name}`, { method: "DELETE", token: ROOT_TOKEN }),
  token: (name: string, role: "admin" | "node" = "admin") =>
    callJson<{ status?: { token?: string } } & Partial<Status>>(`${TENANCY}/${name}/token`, {
      method: "POST",
      token: ROOT_TOKEN,
      body: { spec: { role } },
    }),
};

/**
 * Creates a logical cluster and an admin token for it; answers a client for it. Unless told
 * otherwise, waits until the `default` namespace's controllers have written its system objects.
 */
export async function createCluster(prefix = "c", options: { ready?: boolean } = {}): Promise<Client> {
  const name = uniqueName(prefix);
  expectStatus(await root.create(name), 201, `create logical cluster ${name}`);
  const minted = expectStatus(await root.token(name), 201, `mint a token for ${name}`);
  const token = minted.status?.token;
  if (!token) throw new Error(`no token in ${JSON.stringify(minted)}`);
  const client = new Client(name, token);
  if (options.ready !== false) await client.ready("default");
  return client;
}

// ---- objects the cluster's controllers write on their own ----

/** ConfigMaps every namespace gets from the controllers (root-ca-cert-publisher). */
export const SYSTEM_CONFIGMAPS = new Set(["kube-root-ca.crt"]);

/** The name of the object an event or list item is about (a Table row's object for Table watches). */
function nameOf(object: unknown): string | undefined {
  const o = object as { metadata?: { name?: string }; rows?: { object?: { metadata?: { name?: string } } }[] };
  return o?.metadata?.name ?? o?.rows?.[0]?.object?.metadata?.name;
}

export const isSystemObject = (object: unknown) => SYSTEM_CONFIGMAPS.has(nameOf(object) ?? "");

/** List items without the objects the controllers maintain. */
export const withoutSystem = <T>(items: T[]): T[] => items.filter((item) => !isSystemObject(item));

// ---- a logical cluster's Kubernetes API ----

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: labels ? { name, labels } : { name },
  data,
});

export const cmPath = (namespace: string, name?: string) =>
  `/api/v1/namespaces/${namespace}/configmaps${name === undefined ? "" : `/${name}`}`;

export const PATCH_TYPES = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
} as const;

export class Client {
  readonly cluster: string;
  readonly token: string;

  constructor(cluster: string, token: string) {
    this.cluster = cluster;
    this.token = token;
  }

  /** The same cluster, another credential (or none). */
  withToken(token: string | null): Client {
    return new Client(this.cluster, token as string);
  }

  path(rest: string): string {
    return `/clusters/${this.cluster}${rest}`;
  }

  call(rest: string, options: CallOptions = {}): Promise<Response> {
    return call(this.path(rest), { token: this.token, ...options });
  }

  json<T = unknown>(rest: string, options: CallOptions = {}): Promise<JsonResult<T>> {
    return callJson<T>(this.path(rest), { token: this.token, ...options });
  }

  // -- typed verbs (answer the JSON result; check `status`) --

  get<T = KubeObject>(rest: string, query = ""): Promise<JsonResult<T | Status>> {
    return this.json<T | Status>(rest + query);
  }

  list<T = KubeObject>(rest: string, query = ""): Promise<JsonResult<ListOf<T> | Status>> {
    return this.json(rest + query);
  }

  create<T = KubeObject>(rest: string, body: unknown, query = ""): Promise<JsonResult<T | Status>> {
    return this.json<T | Status>(rest + query, { method: "POST", body });
  }

  update<T = KubeObject>(rest: string, body: unknown, query = ""): Promise<JsonResult<T | Status>> {
    return this.json<T | Status>(rest + query, { method: "PUT", body });
  }

  patch<T = KubeObject>(
    rest: string,
    type: keyof typeof PATCH_TYPES,
    body: unknown,
    query = "",
  ): Promise<JsonResult<T | Status>> {
    return this.json<T | Status>(rest + query, { method: "PATCH", body, contentType: PATCH_TYPES[type] });
  }

  delete<T = KubeObject>(rest: string, query = "", body?: unknown): Promise<JsonResult<T | Status>> {
    return this.json<T | Status>(rest + query, { method: "DELETE", body });
  }

  // -- checked helpers: throw unless the expected status comes back --

  async mustGet<T = KubeObject>(rest: string, query = ""): Promise<T> {
    return expectStatus(await this.get<T>(rest, query), 200, `GET ${rest}${query}`) as T;
  }

  async mustList<T = KubeObject>(rest: string, query = ""): Promise<ListOf<T>> {
    return expectStatus(await this.list<T>(rest, query), 200, `LIST ${rest}${query}`) as ListOf<T>;
  }

  async mustCreate<T = KubeObject>(rest: string, body: unknown, query = ""): Promise<T> {
    return expectStatus(await this.create<T>(rest, body, query), 201, `POST ${rest}${query}`) as T;
  }

  async mustUpdate<T = KubeObject>(rest: string, body: unknown): Promise<T> {
    return expectStatus(await this.update<T>(rest, body), 200, `PUT ${rest}`) as T;
  }

  async mustDelete<T = KubeObject>(rest: string, query = "", code = 200): Promise<T> {
    return expectStatus(await this.delete<T>(rest, query), code, `DELETE ${rest}${query}`) as T;
  }

  /** Creates a namespace (201) and, unless told otherwise, waits until it is ready (see `ready`). */
  async createNamespace(name: string, options: { ready?: boolean } = {}): Promise<KubeObject> {
    const created = await this.mustCreate("/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name },
    });
    if (options.ready !== false) await this.ready(name);
    return created;
  }

  /**
   * Waits until the namespace's controllers wrote its system objects (the `kube-root-ca.crt`
   * ConfigMap, after the `default` ServiceAccount), so they do not interleave with a test's writes.
   */
  async ready(namespace: string): Promise<void> {
    if (!namespacedControllers().some((c) => c.name === "serviceaccount-controller")) return;
    const name = [...SYSTEM_CONFIGMAPS][0];
    const watch = await this.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      `resourceVersion=0&fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
      undefined,
      { includeSystem: true },
    );
    try {
      await watch.waitFor((events) => events.length > 0, `${name} in ${namespace}`);
    } finally {
      await watch.cancel();
    }
  }

  /**
   * Starts a watch; the response must be 200. `query` is appended after `?watch=true`. Events about
   * the controllers' system objects are dropped unless `includeSystem`.
   */
  async watch(
    rest: string,
    query = "",
    accept?: string,
    options: { includeSystem?: boolean } = {},
  ): Promise<WatchReader> {
    const response = await this.call(`${rest}?watch=true${query ? `&${query}` : ""}`, { accept });
    if (response.status !== 200) throw new Error(`watch ${rest}: HTTP ${response.status}: ${await response.text()}`);
    return new WatchReader(response, options.includeSystem ? undefined : (event) => !isSystemObject(event.object));
  }
}

/** An object's resourceVersion as a number. */
export const rvOf = (object: { metadata?: { resourceVersion?: string } }): number => {
  const rv = object.metadata?.resourceVersion;
  if (rv === undefined || !/^\d+$/.test(rv)) throw new Error(`no numeric resourceVersion in ${JSON.stringify(object)}`);
  return Number(rv);
};

/** name → resourceVersion of a list's items, plus the list's own resourceVersion (to compare states). */
export function snapshotOf(list: KubeList): { resourceVersion: string | undefined; items: Record<string, string> } {
  const items: Record<string, string> = {};
  for (const item of list.items)
    items[`${item.metadata.namespace ?? ""}/${item.metadata.name}`] = item.metadata.resourceVersion ?? "";
  return { resourceVersion: list.metadata.resourceVersion, items };
}

// ---- watches ----

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** Waits for a condition that some event will make true; never a fixed sleep. */
export class Signal {
  private waiters = new Set<() => void>();

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves once `condition()` is true (checked now and on every notify); rejects after `timeoutMs`. */
  until(condition: () => boolean, describe: () => string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}

/**
 * Reads a watch response (newline-delimited JSON) in the background. Keepalive blank lines are
 * counted, not recorded. Wait on conditions with `waitFor` / `waitForEvents` / `closed`.
 */
export class WatchReader<T = KubeObject> {
  readonly events: WatchEvent<T>[] = [];
  readonly response: Response;
  keepalives = 0;
  isClosed = false;
  failure: unknown;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly signal = new Signal();
  private readonly done: Promise<void>;

  private readonly keep: ((event: WatchEvent<T>) => boolean) | undefined;

  /** `keep` filters the recorded events (ERROR and BOOKMARK events are always kept). */
  constructor(response: Response, keep?: (event: WatchEvent<T>) => boolean) {
    this.response = response;
    this.keep = keep;
    if (!response.body) throw new Error("watch response without a body");
    this.reader = response.body.getReader();
    this.done = this.pump();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line === "") this.keepalives += 1;
          else this.record(JSON.parse(line) as WatchEvent<T>);
        }
        this.signal.notify();
      }
      buffer += decoder.decode();
      if (buffer.trim() !== "") this.record(JSON.parse(buffer) as WatchEvent<T>);
    } catch (err) {
      this.failure = err;
    } finally {
      this.isClosed = true;
      this.signal.notify();
    }
  }

  private record(event: WatchEvent<T>): void {
    if (event.type === "ERROR" || event.type === "BOOKMARK" || !this.keep || this.keep(event)) this.events.push(event);
  }

  /** Events other than BOOKMARK. */
  get changes(): WatchEvent<T>[] {
    return this.events.filter((e) => e.type !== "BOOKMARK");
  }

  get bookmarks(): WatchEvent<T>[] {
    return this.events.filter((e) => e.type === "BOOKMARK");
  }

  /** Resolves once `condition(events)` holds; rejects on timeout (or if the stream ends first, unless allowed). */
  async waitFor(
    condition: (events: WatchEvent<T>[]) => boolean,
    what = "a watch condition",
    timeoutMs = 10_000,
  ): Promise<WatchEvent<T>[]> {
    await this.signal.until(
      () => condition(this.events) || this.isClosed,
      () => `${what}; got ${this.describe()}`,
      timeoutMs,
    );
    if (!condition(this.events)) {
      throw new Error(`watch ended before ${what}; got ${this.describe()}; failure: ${String(this.failure)}`);
    }
    return this.events;
  }

  /** Waits until at least `n` non-BOOKMARK events arrived; answers the first `n`. */
  async waitForChanges(n: number, timeoutMs = 10_000): Promise<WatchEvent<T>[]> {
    await this.waitFor((events) => events.filter((e) => e.type !== "BOOKMARK").length >= n, `${n} events`, timeoutMs);
    return this.changes.slice(0, n);
  }

  /** Waits for the server to end the stream. */
  async closed(timeoutMs = 10_000): Promise<void> {
    await this.signal.until(
      () => this.isClosed,
      () => `the watch to close; got ${this.describe()}`,
      timeoutMs,
    );
  }

  /** Ends the watch from the client side. */
  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
    await this.done;
  }

  describe(): string {
    return JSON.stringify(
      this.events.map((e) => {
        const meta = (e.object as { metadata?: { name?: string; resourceVersion?: string } } | undefined)?.metadata;
        return `${e.type} ${meta?.name ?? ""}@${meta?.resourceVersion ?? ""}`;
      }),
    );
  }
}

/** `type name@rv` of each event, for comparing sequences. */
export const summarize = (events: WatchEvent[]) =>
  events.map(
    (e) =>
      `${e.type} ${e.object.metadata?.namespace ?? ""}/${e.object.metadata?.name ?? ""}@${e.object.metadata?.resourceVersion ?? ""}`,
  );
