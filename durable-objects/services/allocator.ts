// The cluster's ClusterIP and NodePort allocators (what kube-apiserver's service registry
// keeps in etcd), persisted in the ClusterStore's meta table. Allocation is idempotent per
// Service (namespace/name): a retried create gets the same addresses.
import { portAlreadyAllocated } from "./errors.ts";
import { NODE_PORT_RANGE, serviceCIDRSize, serviceIP, type ServiceAddresses } from "../../api/services/addresses.ts";
import type { ObjectStore } from "../storage/object-store.ts";

interface Allocation {
  clusterIP?: string;
  nodePorts: number[];
}

export class ServiceAddressAllocator {
  private readonly objects: ObjectStore;

  constructor(objects: ObjectStore) {
    this.objects = objects;
  }

  private get(key: string): string | undefined {
    return this.objects.getMeta(key);
  }

  allocate(service: string, wantsIP: boolean, requestedPorts: number[], missingPorts: number): ServiceAddresses {
    const existing = this.get(`svc:${service}`);
    if (existing) return JSON.parse(existing) as ServiceAddresses;
    for (const port of requestedPorts) {
      const owner = this.get(`nodeport:${port}`);
      if (owner && owner !== service) throw portAlreadyAllocated(port);
    }
    const allocation: Allocation = { nodePorts: [] };
    if (wantsIP) allocation.clusterIP = this.nextIP(service);
    for (let i = 0; i < missingPorts; i++) allocation.nodePorts.push(this.nextPort(service));
    for (const port of requestedPorts) this.objects.setMeta(`nodeport:${port}`, service);
    this.objects.setMeta(`svc:${service}`, JSON.stringify({ ...allocation, requested: requestedPorts }));
    return allocation;
  }

  release(service: string): void {
    const existing = this.get(`svc:${service}`);
    if (!existing) return;
    const allocation = JSON.parse(existing) as Allocation & { requested?: number[] };
    if (allocation.clusterIP) this.objects.deleteMeta(`ip:${allocation.clusterIP}`);
    for (const port of [...allocation.nodePorts, ...(allocation.requested ?? [])])
      this.objects.deleteMeta(`nodeport:${port}`);
    this.objects.deleteMeta(`svc:${service}`);
  }

  /** Sequential scan from a moving cursor; .1 is kept for the `kubernetes` service. */
  private nextIP(service: string): string {
    const size = serviceCIDRSize();
    let cursor = Number(this.get("ipCursor") ?? "2");
    for (let tried = 0; tried < size; tried++, cursor++) {
      if (cursor >= size - 1) cursor = 2;
      const ip = serviceIP(cursor);
      if (this.get(`ip:${ip}`)) continue;
      this.objects.setMeta(`ip:${ip}`, service);
      this.objects.setMeta("ipCursor", String(cursor + 1));
      return ip;
    }
    throw new Error("the service IP range is full");
  }

  private nextPort(service: string): number {
    const span = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
    let cursor = Number(this.get("portCursor") ?? "0");
    for (let tried = 0; tried < span; tried++, cursor++) {
      const port = NODE_PORT_RANGE.first + (cursor % span);
      if (this.get(`nodeport:${port}`)) continue;
      this.objects.setMeta(`nodeport:${port}`, service);
      this.objects.setMeta("portCursor", String(cursor + 1));
      return port;
    }
    throw new Error("the node port range is full");
  }
}
