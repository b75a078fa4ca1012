// Latency statistics: nearest-rank percentiles over every sample (no histogram buckets).

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples: number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  const total = values.reduce((sum, x) => sum + x, 0);
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.length ? values[values.length - 1] : NaN,
    mean: values.length ? total / values.length : NaN,
  };
}

export const ms = (value: number, digits = 1) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : "n/a");
export const perSecond = (value: number) =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString("en-US")}/s` : "n/a";
export const mib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : "n/a");
export const ratio = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : "n/a");
