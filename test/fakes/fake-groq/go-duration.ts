/**
 * Formats a duration the way Go's time.Duration.String does, which is what Groq sends in
 * x-ratelimit-reset-* headers and in "Please try again in …" messages: "7.66s", "2m59.56s",
 * "1h2m3s", "1m0s", "120ms", "0s". Precision is whole milliseconds, rounded up so that a client
 * which waits exactly the advertised time is never early.
 */
export function formatGoDuration(milliseconds: number): string {
  // Rounding to microseconds first keeps floating-point noise (4770.0000001) from adding a millisecond.
  const totalMilliseconds = Math.max(0, Math.ceil(Math.round(milliseconds * 1000) / 1000));
  if (totalMilliseconds === 0) return "0s";
  if (totalMilliseconds < 1000) return `${totalMilliseconds}ms`;

  const hours = Math.floor(totalMilliseconds / 3_600_000);
  const minutes = Math.floor((totalMilliseconds % 3_600_000) / 60_000);
  const wholeSeconds = Math.floor((totalMilliseconds % 60_000) / 1000);
  const fractionMilliseconds = totalMilliseconds % 1000;

  const fraction = fractionMilliseconds === 0 ? "" : `.${String(fractionMilliseconds).padStart(3, "0").replace(/0+$/, "")}`;
  // Go writes the larger units only when present, but always the units below the largest one ("1h0m0s").
  const hoursText = hours > 0 ? `${hours}h` : "";
  const minutesText = hours > 0 || minutes > 0 ? `${minutes}m` : "";
  return `${hoursText}${minutesText}${wholeSeconds}${fraction}s`;
}
