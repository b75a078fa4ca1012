// Keeps a store's watch history bounded: after every `checkEvery` writes it drops all but
// the newest `keep` events. Watches resuming from before the floor get 410 Expired.
import type { ObjectStore } from "../storage/object-store.ts";

export class Compactor {
  private readonly objects: ObjectStore;
  private readonly keep: number;
  private readonly checkEvery: number;
  private writesSinceCheck = 0;

  constructor(objects: ObjectStore, keep: number) {
    this.objects = objects;
    this.keep = keep;
    this.checkEvery = Math.max(1, Math.floor(keep / 10));
  }

  noteWrites(count: number): void {
    this.writesSinceCheck += count;
    if (this.writesSinceCheck < this.checkEvery) return;
    this.writesSinceCheck = 0;
    const floor = this.objects.rvBeforeNewest(this.keep);
    if (floor !== undefined) this.objects.compactThrough(floor);
  }
}
