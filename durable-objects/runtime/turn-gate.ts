// Group commit for a Durable Object's SQLite. A Durable Object commits its writes once per turn of
// its event loop, and a commit costs far more than the rows in it (about 0.25 ms of CPU locally,
// against tens of µs per row). Callers that await `next()` resume together in the next turn, each
// running to its next await in arrival order, so the writes they make synchronously share one
// transaction.
export class TurnGate {
  private turn: Promise<void> | undefined;

  /** Resolves in the next turn of the event loop, together with every other caller meanwhile. */
  next(): Promise<void> {
    return (this.turn ??= new Promise((resolve) =>
      setTimeout(() => {
        this.turn = undefined;
        resolve();
      }, 0),
    ));
  }

  /** Whether callers are waiting for the next turn. */
  get open(): boolean {
    return this.turn !== undefined;
  }
}
