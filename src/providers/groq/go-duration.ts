const unitMilliseconds: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};

const durationPattern = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/;
const componentPattern = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;

/**
 * Parses Go's `time.Duration` strings as Groq sends them in `x-ratelimit-reset-*` headers and
 * 429 messages: `7.66s`, `2m59.56s`, `1h2m3s`, `120ms`. Returns milliseconds, or undefined
 * for anything else.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  if (!durationPattern.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(componentPattern)) {
    total += Number(match[1]) * (unitMilliseconds[match[2] ?? ""] ?? 0);
  }
  return Math.round(total);
}
