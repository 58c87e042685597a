/** The value below which `fraction` of the samples fall (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((first, second) => first - second);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** Prints a benchmark's median and p95 on one line and returns them. */
export function reportLatency(label: string, values: readonly number[], unit = "ms"): { median: number; p95: number } {
  const middle = median(values);
  const p95 = percentile(values, 0.95);
  console.log(`${label}: median ${middle.toFixed(1)} ${unit}, p95 ${p95.toFixed(1)} ${unit} (n=${values.length})`);
  return { median: middle, p95 };
}
