// The delay before a Job replaces failed Pods: 10s after the first failure since the last
// success, doubling with each further failure, at most 6 minutes; measured from the last failure.

export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 360_000;

export interface FinishedPod {
  finishedAt: number;
  succeeded: boolean;
}

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

export function backoffRecord(finished: FinishedPod[]): BackoffRecord {
  const lastSuccess = Math.max(-Infinity, ...finished.filter((p) => p.succeeded).map((p) => p.finishedAt));
  const failures = finished.filter((p) => !p.succeeded && p.finishedAt >= lastSuccess);
  if (failures.length === 0) return { failuresAfterLastSuccess: 0 };
  return {
    failuresAfterLastSuccess: failures.length,
    lastFailureTime: Math.max(...failures.map((p) => p.finishedAt)),
  };
}

/** How long new Pods must still wait (0: create now). */
export function remainingBackoff(record: BackoffRecord, now: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < record.failuresAfterLastSuccess && delay < MAX_POD_FAILURE_BACKOFF_MS; i++) delay *= 2;
  delay = Math.min(delay, MAX_POD_FAILURE_BACKOFF_MS);
  const elapsed = now - record.lastFailureTime;
  return elapsed >= delay ? 0 : delay - elapsed;
}
