// Kubernetes' slow start for creating many objects: batches of 1, 2, 4, … so that a
// systematic failure (quota, admission, invalid template) costs one call, not hundreds.

export interface SlowStartResult {
  successes: number;
  /** The first failure; later batches were not attempted. */
  error?: unknown;
}

/** Calls `fn` up to `count` times in doubling batches; stops after the first batch with a failure. */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => void): SlowStartResult {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let error: unknown;
    for (let i = 0; i < batch; i++) {
      try {
        fn();
        successes += 1;
      } catch (err) {
        error ??= err;
      }
    }
    if (error !== undefined) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}
